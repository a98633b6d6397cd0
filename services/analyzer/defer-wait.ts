/**
 * A report that must wait (another report holds the lease on its signature, or another delivery holds the report)
 * comes back soon instead of after the queue's long visibility timeout, and its item says when its analysis is now
 * expected, so a job waiting for it stops at once when that is past its own deadline.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { deferRecord, retryDelaySeconds } from './defer-record';
import { queueUrlFromArn } from './queue-url-from-arn';
import type { AnalyzerConfig } from './read-analyzer-config';
import type { ReportStore } from './report-store';

export interface DeferWaitDeps {
  readonly sqs: SQSClient;
  readonly config: Pick<AnalyzerConfig, 'leaseRetrySeconds' | 'queueUrl'>;
  readonly reports: ReportStore;
  /** How long a report takes once the analysis it waited for is in the cache. */
  readonly expectedReuseMs: number;
  readonly logger: Logger;
}

/** Returns the delay in seconds, or `undefined` when the queue's own visibility timeout applies. */
export async function deferWait(
  deps: DeferWaitDeps,
  /** The report's key (the digest of its secret). */
  reportDigest: string,
  record: SQSRecord,
  holdSecondsLeft: number | undefined,
): Promise<number | undefined> {
  const seconds = retryDelaySeconds({
    baseSeconds: deps.config.leaseRetrySeconds,
    receiveCount: Number(record.attributes.ApproximateReceiveCount) || 1,
    holdSecondsLeft,
  });
  try {
    const queueUrl = deps.config.queueUrl ?? queueUrlFromArn(record.eventSourceARN);
    await deferRecord(deps.sqs, queueUrl, record, seconds);
  } catch (error) {
    deps.logger.warn('could not shorten the wait; SQS redelivers after the visibility timeout', {
      error: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 500) : String(error),
    });
    return undefined;
  }
  await deps.reports
    .markExpected(reportDigest, Date.now() + seconds * 1000 + deps.expectedReuseMs)
    .catch((error: unknown) =>
      deps.logger.warn('could not store the expected time', { error: String(error) }),
    );
  return seconds;
}
