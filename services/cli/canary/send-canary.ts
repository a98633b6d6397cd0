/**
 * Sends a canary report through the reports queue and waits for its item in the Results table: the end-to-end
 * latency (queue → analyzer → verification → analysis → result) as a runner pod's later step would see it.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { FailureReport } from '../../../shared/contract/failure-report';
import { secretDigest } from '../../../shared/contract/result-key';
import { type ReportItem, ReportStore } from '../../analyzer/report-store';

export interface SendCanaryInput {
  readonly sqs: SQSClient;
  readonly dynamo: DynamoDBClient;
  readonly queueUrl: string;
  readonly resultsTable: string;
  readonly report: FailureReport;
  readonly timeoutMs: number;
  readonly pollMs?: number;
}

export type CanaryOutcome =
  | { readonly kind: 'analysed'; readonly latencyMs: number; readonly item: ReportItem }
  | { readonly kind: 'rejected'; readonly latencyMs: number; readonly reason: string }
  | { readonly kind: 'timeout'; readonly latencyMs: number; readonly lastStatus: string };

export async function sendCanary(input: SendCanaryInput): Promise<CanaryOutcome> {
  const store = new ReportStore({
    client: input.dynamo,
    tableName: input.resultsTable,
    now: () => new Date(),
  });
  const sentAt = Date.now();
  await input.sqs.send(
    new SendMessageCommand({ QueueUrl: input.queueUrl, MessageBody: JSON.stringify(input.report) }),
  );
  let lastStatus = 'not picked up';
  while (Date.now() - sentAt < input.timeoutMs) {
    const item = await store.get(secretDigest(input.report.resultSecret));
    const latencyMs = Date.now() - sentAt;
    if (item?.status === 'rejected')
      return { kind: 'rejected', latencyMs, reason: item.rejectReason ?? 'no reason' };
    if (item?.status === 'done' && item.record) return { kind: 'analysed', latencyMs, item };
    if (item) lastStatus = `${item.status}${item.stage ? ` (${item.stage})` : ''}`;
    await new Promise((resolve) => setTimeout(resolve, input.pollMs ?? 250));
  }
  return { kind: 'timeout', latencyMs: Date.now() - sentAt, lastStatus };
}
