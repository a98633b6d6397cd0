/**
 * The reporter's SDK clients, tuned for a job that must not wait: few attempts, connection and request timeouts
 * within the deadline, and a silent logger so that no SDK warning ends up in a job log.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { ReporterConfig } from './read-reporter-config';

export interface ReporterClients {
  /** Absent when only results are read (later steps). */
  readonly sqs: SQSClient | undefined;
  /** Absent when no results table is configured. */
  readonly dynamo: DynamoDBClient | undefined;
  destroy(): void;
}

const silent = { debug() {}, info() {}, warn() {}, error() {}, trace() {} };

export function createReporterClients(
  config: ReporterConfig,
  needs: { readonly sqs: boolean },
): ReporterClients {
  const sqs = needs.sqs
    ? new SQSClient({
        region: config.region,
        endpoint: config.sqsEndpoint,
        // One retry fits in the deadline and covers a dropped connection; more would only queue behind it.
        maxAttempts: 2,
        logger: silent,
        requestHandler: { connectionTimeout: config.deadlineMs, requestTimeout: config.deadlineMs },
      })
    : undefined;
  const dynamo = config.resultsTable
    ? new DynamoDBClient({
        region: config.region,
        endpoint: config.dynamoEndpoint,
        maxAttempts: 1,
        logger: silent,
        requestHandler: {
          connectionTimeout: config.resultDeadlineMs,
          requestTimeout: config.resultDeadlineMs,
        },
      })
    : undefined;
  return {
    sqs,
    dynamo,
    destroy() {
      sqs?.destroy();
      dynamo?.destroy();
    },
  };
}
