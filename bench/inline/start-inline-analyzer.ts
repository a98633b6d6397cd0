/**
 * The analyzer of bench:inline as the event source mapping runs it: `instances` pollers (the mapping's maximum
 * concurrency), each its own handler with its own GitHub write pacing like one Lambda instance, batches of 10 gathered
 * for up to the batching window, every record through the same report processor as in Lambda.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createAnalyzerDeps, DEFAULT_TUNING } from '../../services/analyzer/create-analyzer-deps';
import { createBatchHandler } from '../../services/analyzer/create-batch-handler';
import { createReportProcessor } from '../../services/analyzer/create-report-processor';
import { readAnalyzerConfig } from '../../services/analyzer/read-analyzer-config';
import { startLocalSqsConsumer } from '../../services/local/pipeline/local-sqs-consumer';
import type { LocalDeployment } from '../../services/local/pipeline/start-local-deployment';
import { LOCAL_AWS } from '../../services/local/standins/aws/dynamodb-local';

export interface InlineAnalyzerOptions {
  readonly instances: number;
  readonly batchingWindowMs: number;
  readonly onError: (error: unknown) => void;
}

export function startInlineAnalyzer(
  deployment: LocalDeployment,
  options: InlineAnalyzerOptions,
): { stop(): Promise<void> } {
  const config = readAnalyzerConfig({
    OSDC_RCA_RESULTS_TABLE: deployment.tables.Results,
    OSDC_RCA_STATE_TABLE: deployment.tables.State,
    OSDC_RCA_DLQ_URL: deployment.dlqUrl,
    OSDC_RCA_QUEUE_URL: deployment.queueUrl,
    OSDC_RCA_ANALYST: 'bedrock',
    OSDC_RCA_GITHUB_TOKEN: 'local-token',
    OSDC_RCA_GITHUB_API_URL: deployment.github.url,
  });
  const dynamo = new DynamoDBClient({ ...LOCAL_AWS, endpoint: deployment.dynamo.endpoint });
  const sqs = new SQSClient({ ...LOCAL_AWS, endpoint: deployment.sqsServer.endpoint });
  const bedrock = new BedrockRuntimeClient({
    ...LOCAL_AWS,
    endpoint: deployment.bedrock.endpoint,
    maxAttempts: 1,
    requestHandler: { requestTimeout: DEFAULT_TUNING.modelTimeoutMs },
  });
  const consumers = Array.from({ length: options.instances }, (_, instance) => {
    const deps = createAnalyzerDeps(config, {
      dynamo,
      sqs,
      bedrock,
      logger: new Logger({ serviceName: 'osdc-rca-analyzer-bench', logLevel: 'SILENT' }),
      metrics: new Metrics({ namespace: 'osdc-rca-bench', serviceName: 'analyzer' }),
      tuning: { ...DEFAULT_TUNING, githubPacingGroup: `instance-${instance}` },
    });
    return startLocalSqsConsumer({
      client: sqs,
      queueUrl: deployment.queueUrl,
      queueArn: deployment.queueArn,
      region: LOCAL_AWS.region,
      handler: createBatchHandler(createReportProcessor(deps)),
      waitTimeSeconds: 1,
      batchingWindowMs: options.batchingWindowMs,
      onError: options.onError,
    });
  });
  return {
    stop: async () => {
      await Promise.all(consumers.map((consumer) => consumer.stop()));
      for (const client of [dynamo, sqs, bedrock]) client.destroy();
    },
  };
}
