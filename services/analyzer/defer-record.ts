/**
 * Brings a failed SQS record back sooner than the queue's visibility timeout. That timeout is 6× the Lambda's (about
 * 18 minutes in production, so a crashed invocation is not retried while it might still run), far too long for a
 * report that only waits for another report's analysis of the same failure.
 */
import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';

export interface RetryDelayInput {
  /** The configured first delay. */
  readonly baseSeconds: number;
  /** The record's `ApproximateReceiveCount`: each wait doubles the next, so a slow holder costs few receives. */
  readonly receiveCount: number;
  /** How long the holder may still hold the lease; past it the waiter takes over, so waiting longer is useless. */
  readonly holdSecondsLeft: number | undefined;
}

/** SQS's ceiling for a visibility timeout. */
const MAX_VISIBILITY_SECONDS = 43_200;

export function retryDelaySeconds(input: RetryDelayInput): number {
  const doublings = Math.min(Math.max(input.receiveCount - 1, 0), 16);
  const backoff = input.baseSeconds * 2 ** doublings;
  const cap = input.holdSecondsLeft === undefined ? backoff : Math.ceil(input.holdSecondsLeft) + 1;
  return Math.min(Math.max(Math.min(backoff, cap), 1), MAX_VISIBILITY_SECONDS);
}

/** Sets the record's visibility to `seconds` from now; the caller then fails the record so SQS keeps it. */
export async function deferRecord(
  sqs: SQSClient,
  queueUrl: string,
  record: SQSRecord,
  seconds: number,
): Promise<void> {
  await sqs.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: queueUrl,
      ReceiptHandle: record.receiptHandle,
      VisibilityTimeout: seconds,
    }),
  );
}
