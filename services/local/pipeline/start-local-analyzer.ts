/**
 * The analyzer as a local SQS consumer on the stand-ins: the same handler code as in Lambda (createReportProcessor
 * behind createBatchHandler), fed real SQS event shapes, with a token for the local GitHub API. Used by `npm start`
 * and by `osdc-rca canary --local`.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { ANALYZER_SERVICE_NAME, METRICS_NAMESPACE } from '../../../shared/contract/constants';
import { createAnalyzerDeps, DEFAULT_TUNING } from '../../analyzer/create-analyzer-deps';
import { createBatchHandler } from '../../analyzer/create-batch-handler';
import { createReportProcessor } from '../../analyzer/create-report-processor';
import { DEFAULT_LEASE_RETRY_SECONDS, readAnalyzerConfig } from '../../analyzer/read-analyzer-config';
import { refreshRankCounts } from '../../analyzer/refresh-rank-counts';
import { LOCAL_AWS } from '../standins/aws/dynamodb-local';
import { startLocalSqsConsumer } from './local-sqs-consumer';
import type { StandIns } from './start-stand-ins';

export interface LocalAnalyzerOptions {
  readonly standIns: StandIns;
  /** The model to call and the client to call it with; the offline rules analyst when absent. */
  readonly bedrock:
    | {
        readonly client: BedrockRuntimeClient;
        readonly modelId: string;
        readonly fallbackModelId?: string;
      }
    | undefined;
  /** The event source's batching window (production: 2000 ms). */
  readonly batchingWindowMs?: number;
  /**
   * `npm start --time-scale`: the model answers this much faster, so the times the analyzer expects (which a waiting
   * job compares with its own, scaled, inline wait) and its lease-wait retry shrink with it. Default 1.
   */
  readonly timeScale?: number;
  /** A batch that threw; SQS redelivers it. */
  readonly onError: (error: unknown) => void;
}

export function startLocalAnalyzer(options: LocalAnalyzerOptions): { stop(): Promise<void> } {
  const { dynamoClient, sqs, tables, dlqUrl, queueUrl, queueArn, github } = options.standIns;
  const scale = options.timeScale ?? 1;
  const config = readAnalyzerConfig({
    OSDC_RCA_RESULTS_TABLE: tables.Results,
    OSDC_RCA_STATE_TABLE: tables.State,
    OSDC_RCA_DLQ_URL: dlqUrl,
    OSDC_RCA_ANALYST: options.bedrock ? 'bedrock' : 'rules',
    ...(options.bedrock ? { OSDC_RCA_MODEL_ID: options.bedrock.modelId } : {}),
    ...(options.bedrock?.fallbackModelId
      ? { OSDC_RCA_FALLBACK_MODEL_ID: options.bedrock.fallbackModelId }
      : {}),
    OSDC_RCA_GITHUB_TOKEN: 'local-token',
    OSDC_RCA_GITHUB_API_URL: github.url,
    OSDC_RCA_LEASE_SECONDS: '60',
    OSDC_RCA_LEASE_RETRY_SECONDS: String(Math.max(1, Math.round(DEFAULT_LEASE_RETRY_SECONDS * scale))),
    OSDC_RCA_QUEUE_URL: queueUrl,
  });
  const deps = createAnalyzerDeps(config, {
    dynamo: dynamoClient,
    sqs,
    bedrock: options.bedrock?.client,
    logger: new Logger({ serviceName: ANALYZER_SERVICE_NAME, logLevel: 'ERROR' }),
    // EMF lines would drown the output; metrics are for CloudWatch.
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: ANALYZER_SERVICE_NAME }),
    tuning: {
      ...DEFAULT_TUNING,
      expectedAnalysisMs: DEFAULT_TUNING.expectedAnalysisMs * scale,
      expectedReuseMs: DEFAULT_TUNING.expectedReuseMs * scale,
    },
  });
  const handler = createBatchHandler(createReportProcessor(deps), {
    afterBatch: () => refreshRankCounts(dynamoClient, tables.State),
  });
  return startLocalSqsConsumer({
    client: sqs,
    queueUrl,
    queueArn,
    region: LOCAL_AWS.region,
    handler,
    waitTimeSeconds: 1,
    batchingWindowMs: options.batchingWindowMs,
    onError: options.onError,
  });
}
