/**
 * Wires the real analyzer (config, report processor, Powertools batch processing) to protocol-level stand-ins:
 * DynamoDB Local, fauxqs, the local GitHub API and the local Bedrock server. Records reach the processor the way
 * Lambda delivers them: received from the SQS queue, turned into an `SQSEvent`, deleted only when not reported as
 * failed, so redeliveries are real SQS redeliveries.
 */
import { randomUUID } from 'node:crypto';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import {
  type AnalyzerDeps,
  createAnalyzerDeps,
  DEFAULT_TUNING,
} from '../../../services/analyzer/create-analyzer-deps';
import {
  createReportProcessor,
  type ReportProcessor,
} from '../../../services/analyzer/create-report-processor';
import { readAnalyzerConfig } from '../../../services/analyzer/read-analyzer-config';
import { toSqsRecord } from '../../../services/local/pipeline/local-sqs-consumer';
import {
  createTables,
  type TableNames,
  tableNames,
} from '../../../services/local/standins/aws/create-tables';
import { LOCAL_AWS } from '../../../services/local/standins/aws/dynamodb-local';
import type { LocalGitHub } from '../../../services/local/standins/github/github-server';
import type { FailureReport } from '../../../shared/contract/failure-report';
import { reportKey, signatureSummaryKey } from '../../../shared/contract/keys';
import { secretDigest } from '../../../shared/contract/result-key';

export interface HarnessOptions {
  readonly dynamoEndpoint: string;
  readonly sqsEndpoint: string;
  readonly github: LocalGitHub;
  /** The Bedrock stand-in's endpoint; the rules analyst is configured without it. */
  readonly bedrockEndpoint?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** A DynamoDB endpoint for the analyzer only (a fault-injecting proxy); the harness reads through the real one. */
  readonly analyzerDynamoEndpoint?: string;
  readonly modelTimeoutMs?: number;
  /** The report queue's visibility timeout; 1 s by default so that failed records come back at once. */
  readonly visibilityTimeoutSeconds?: number;
}

export interface AnalyzerHarness {
  readonly deps: AnalyzerDeps;
  readonly processor: ReportProcessor;
  readonly tables: TableNames;
  readonly queueUrl: string;
  readonly dlqUrl: string;
  readonly sqs: SQSClient;
  readonly dynamo: DynamoDBClient;
  send(report: FailureReport | string): Promise<void>;
  /** Receives one batch (waiting up to `waitSeconds`) and runs it through the handler's batch processing. */
  deliverBatch(
    waitSeconds?: number,
    context?: Context,
  ): Promise<{ delivered: number; response: SQSBatchResponse; records: SQSRecord[] }>;
  /** Delivers batches until the queue stays empty (failed records come back after the 1 s visibility timeout). */
  drain(maxBatches?: number): Promise<number>;
  /**
   * The analyzer's item of a report this harness sent, found by its id (the table keys it by the digest of the
   * report's secret); a report never sent through `send` is looked up as if its id were the digest.
   */
  readReportItem(reportId: string): Promise<Record<string, unknown> | undefined>;
  /** The occurrence count on a signature's summary item (State table). */
  signatureTotal(signature: string): Promise<number>;
  /** Metric name → sum of the values recorded since the last call. */
  takeMetrics(): Record<string, number>;
  destroy(): void;
}

export async function createAnalyzerHarness(options: HarnessOptions): Promise<AnalyzerHarness> {
  const prefix = `an-${randomUUID().slice(0, 8)}`;
  const tables = tableNames(prefix);
  const dynamo = new DynamoDBClient({ ...LOCAL_AWS, endpoint: options.dynamoEndpoint });
  await createTables(dynamo, tables);
  const sqs = new SQSClient({ ...LOCAL_AWS, endpoint: options.sqsEndpoint });
  const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-dlq` }))).QueueUrl ?? '';
  const { QueueUrl: queueUrl = '' } = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${prefix}-reports`,
      Attributes: { VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? 1) },
    }),
  );
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const queueArn = Attributes?.QueueArn ?? '';

  const config = readAnalyzerConfig({
    OSDC_RCA_RESULTS_TABLE: tables.Results,
    OSDC_RCA_STATE_TABLE: tables.State,
    OSDC_RCA_DLQ_URL: dlqUrl,
    OSDC_RCA_ANALYST: options.bedrockEndpoint ? 'bedrock' : 'rules',
    OSDC_RCA_GITHUB_TOKEN: 'ghs_test',
    OSDC_RCA_GITHUB_API_URL: options.github.url,
    OSDC_RCA_LEASE_SECONDS: '30',
    OSDC_RCA_LEASE_RETRY_SECONDS: '1',
    OSDC_RCA_QUEUE_URL: queueUrl,
    ...options.env,
  });
  const analyzerDynamo = options.analyzerDynamoEndpoint
    ? new DynamoDBClient({ ...LOCAL_AWS, endpoint: options.analyzerDynamoEndpoint, maxAttempts: 1 })
    : dynamo;
  const metrics = new Metrics({ namespace: 'osdc-rca-test', serviceName: 'analyzer' });
  const recorded: Record<string, number> = {};
  // Sums what would be published, then drops it: tests assert on counts, not on EMF lines in stdout.
  const takeStored = () => {
    if (!metrics.hasStoredMetrics()) return;
    const emf = metrics.serializeMetrics() as unknown as Record<string, unknown>;
    for (const [name, value] of Object.entries(emf)) {
      if (name === '_aws' || name === 'service') continue;
      const values = Array.isArray(value) ? value : [value];
      recorded[name] = (recorded[name] ?? 0) + values.reduce((sum: number, item) => sum + Number(item), 0);
    }
    metrics.clearMetrics();
  };
  const deps = createAnalyzerDeps(config, {
    dynamo: analyzerDynamo,
    sqs,
    bedrock: options.bedrockEndpoint
      ? new BedrockRuntimeClient({ ...LOCAL_AWS, endpoint: options.bedrockEndpoint, maxAttempts: 1 })
      : undefined,
    logger: new Logger({ serviceName: 'osdc-rca-analyzer-test', logLevel: 'SILENT' }),
    metrics,
    tuning: {
      ...DEFAULT_TUNING,
      backoffBaseMs: 5,
      modelTimeoutMs: options.modelTimeoutMs ?? 2000,
      githubRetryBaseMs: 5,
      githubWritePacing: false,
    },
  });
  const processor = createReportProcessor(deps);
  const batchProcessor = new BatchProcessor(EventType.SQS);
  const digests = new Map<string, string>();

  const deliverBatch = async (waitSeconds = 0, context?: Context) => {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return { delivered: 0, response: { batchItemFailures: [] }, records: [] };
    const event: SQSEvent = {
      Records: Messages.map((message) => toSqsRecord(message, queueArn, LOCAL_AWS.region)),
    };
    const response = await processPartialResponse(event, processor.processRecord, batchProcessor, {
      ...(context ? { context } : {}),
      throwOnFullBatchFailure: false,
    });
    takeStored();
    const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    const done = Messages.filter((message) => !failed.has(message.MessageId ?? ''));
    if (done.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: done.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle ?? '',
          })),
        }),
      );
    }
    return { delivered: Messages.length, response, records: event.Records };
  };

  return {
    deps,
    processor,
    tables,
    queueUrl,
    dlqUrl,
    sqs,
    dynamo,
    send: async (report) => {
      if (typeof report !== 'string') digests.set(report.id, secretDigest(report.resultSecret));
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: typeof report === 'string' ? report : JSON.stringify(report),
        }),
      );
    },
    deliverBatch,
    drain: async (maxBatches = 20) => {
      let batches = 0;
      while (batches < maxBatches) {
        const { delivered } = await deliverBatch(0);
        if (delivered > 0) {
          batches += 1;
          continue;
        }
        const { Attributes: counts } = await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: queueUrl,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        );
        const waiting =
          Number(counts?.ApproximateNumberOfMessages) + Number(counts?.ApproximateNumberOfMessagesNotVisible);
        if (waiting === 0) break;
        // Failed records come back once their 1 s visibility timeout is over.
        if ((await deliverBatch(1)).delivered > 0) batches += 1;
      }
      return batches;
    },
    readReportItem: async (reportId) => {
      const { Item } = await dynamo.send(
        new GetItemCommand({
          TableName: tables.Results,
          Key: { pk: { S: reportKey(digests.get(reportId) ?? reportId) } },
          ConsistentRead: true,
        }),
      );
      if (!Item) return undefined;
      return Object.fromEntries(
        Object.entries(Item).map(([name, value]) => [
          name,
          value.S ?? (value.N !== undefined ? Number(value.N) : value.BOOL),
        ]),
      );
    },
    signatureTotal: async (signature) => {
      const key = signatureSummaryKey(signature);
      const { Item } = await dynamo.send(
        new GetItemCommand({
          TableName: tables.State,
          Key: { pk: { S: key.pk }, sk: { S: key.sk } },
          ConsistentRead: true,
        }),
      );
      return Number(Item?.total?.N ?? 0);
    },
    takeMetrics: () => {
      takeStored();
      const snapshot = { ...recorded };
      for (const name of Object.keys(recorded)) delete recorded[name];
      return snapshot;
    },
    destroy: () => {
      dynamo.destroy();
      if (analyzerDynamo !== dynamo) analyzerDynamo.destroy();
      sqs.destroy();
      deps.bedrock?.destroy();
    },
  };
}
