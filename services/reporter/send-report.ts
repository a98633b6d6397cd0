/** Sends one failure report to the queue. The caller owns the deadline; this only wires its signal through. */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { FailureReport } from '../../shared/contract/failure-report';

/** Thrown when SQS accepts the request but returns no message id, which the analyzer could never have received. */
export class ReportNotSentError extends Error {
  override readonly name = 'ReportNotSentError';
  constructor(
    readonly reportId: string,
    options?: { cause?: unknown },
  ) {
    super(`report ${reportId} was not accepted by the queue`, options);
  }
}

/** @returns the SQS message id. */
export async function sendReport(
  client: SQSClient,
  queueUrl: string,
  report: FailureReport,
  signal: AbortSignal,
): Promise<string> {
  const output = await client.send(
    new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(report) }),
    { abortSignal: signal },
  );
  if (!output.MessageId) throw new ReportNotSentError(report.id);
  return output.MessageId;
}
