/**
 * The analyzer Lambda: consumes the report queue in batches with partial failures, at a bounded concurrency so a
 * burst of failures does not stampede Bedrock and the GitHub API, and may do exactly what it needs: both tables,
 * the dead-letter queue (it sets invalid bodies aside there), the GitHub App secret, and InvokeModel on the
 * configured inference profiles and the foundation models they route to.
 */
import { Aws, Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ANALYZER_SERVICE_NAME, METRICS_NAMESPACE } from '../../shared/contract/constants';
import { STATE_TABLE } from '../../shared/contract/tables';
import { modelInvokeResources, parseModelId } from '../bedrock-model-arns';
import type { ReportQueue } from './report-queue';
import { ServiceFunction } from './service-function';

/** Where the analyzer's EMF metrics land; the alarms and the dashboard read them (services/analyzer). */
export const ANALYZER_METRICS = {
  namespace: METRICS_NAMESPACE,
  /** Powertools Metrics adds the `service` dimension to every metric. */
  dimensions: { service: ANALYZER_SERVICE_NAME },
} as const;

/**
 * How much longer than the Lambda timeout a single-flight lease and a report claim last (OSDC_RCA_LEASE_SECONDS).
 * Only a dead invocation may lose its lease: a live one stops at the timeout, and its model calls already stop
 * `publishReserveMs` (30 s) before it, so the lease also covers the Lambda's own start-up and a clock skew.
 */
export const LEASE_MARGIN_SECONDS = 60;

/** OSDC_RCA_LEASE_SECONDS for a function timeout: always longer than the timeout. */
export function leaseSecondsFor(timeout: Duration): number {
  return timeout.toSeconds() + LEASE_MARGIN_SECONDS;
}

/**
 * The item calls the analyzer makes on both tables (services/analyzer): no Scan, no deletes; Query on the State
 * table's rank indexes only, for the dashboard's rank refresh. A new call in the analyzer needs its action here,
 * which a review then sees.
 */
export const ANALYZER_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:Query',
] as const;

export interface AnalyzerFunctionProps {
  readonly reportQueue: ReportQueue;
  readonly resultsTable: ITable;
  readonly stateTable: ITable;
  readonly githubAppSecret: ISecret;
  readonly githubAppId: string;
  readonly modelId: string;
  readonly fallbackModelId: string | undefined;
  readonly dailyBudgetUsd: number;
  readonly repoDailyBudgetUsd: number;
  readonly spendCaps: {
    readonly perJob: number;
    readonly perPrPerDay: number;
    readonly perAuthorPerDay: number;
  };
  readonly timeout: Duration;
  readonly maxConcurrency: number;
  readonly logRetention: RetentionDays;
}

export class AnalyzerFunction extends Construct {
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: AnalyzerFunctionProps) {
    super(scope, id);
    const { queue, deadLetterQueue } = props.reportQueue;
    const service = new ServiceFunction(this, 'Service', {
      entry: 'services/analyzer/handler.ts',
      description: 'analyses failed CI steps reported by the runner pods',
      timeout: props.timeout,
      memorySize: 1024,
      logRetention: props.logRetention,
      environment: {
        OSDC_RCA_RESULTS_TABLE: props.resultsTable.tableName,
        OSDC_RCA_STATE_TABLE: props.stateTable.tableName,
        OSDC_RCA_DLQ_URL: deadLetterQueue.queueUrl,
        // A report that waits on another's lease shortens its own visibility on this queue (the event source
        // mapping's grant includes sqs:ChangeMessageVisibility).
        OSDC_RCA_QUEUE_URL: queue.queueUrl,
        OSDC_RCA_LEASE_SECONDS: String(leaseSecondsFor(props.timeout)),
        OSDC_RCA_MODEL_ID: props.modelId,
        // Empty means no fallback model: throttling goes straight to the rules analyst.
        OSDC_RCA_FALLBACK_MODEL_ID: props.fallbackModelId ?? '',
        OSDC_RCA_DAILY_BUDGET_USD: String(props.dailyBudgetUsd),
        OSDC_RCA_REPO_DAILY_BUDGET_USD: String(props.repoDailyBudgetUsd),
        OSDC_RCA_JOB_MODEL_CALLS: String(props.spendCaps.perJob),
        OSDC_RCA_PR_DAILY_MODEL_CALLS: String(props.spendCaps.perPrPerDay),
        OSDC_RCA_AUTHOR_DAILY_MODEL_CALLS: String(props.spendCaps.perAuthorPerDay),
        OSDC_RCA_GITHUB_APP_ID: props.githubAppId,
        OSDC_RCA_GITHUB_PRIVATE_KEY_SECRET_ARN: props.githubAppSecret.secretArn,
        POWERTOOLS_SERVICE_NAME: ANALYZER_SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: ANALYZER_METRICS.namespace,
      },
    });
    this.function = service.function;

    this.function.addEventSource(
      new SqsEventSource(queue, {
        batchSize: 10,
        // Short: the developer is waiting, and one report alone is worth a call.
        maxBatchingWindow: Duration.seconds(2),
        reportBatchItemFailures: true,
        maxConcurrency: props.maxConcurrency,
      }),
    );
    deadLetterQueue.grantSendMessages(this.function);
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: [...ANALYZER_TABLE_ACTIONS],
        resources: [
          props.resultsTable.tableArn,
          props.stateTable.tableArn,
          // Each rank index by name rather than `index/*`, as for the dashboard.
          ...STATE_TABLE.globalIndexes.map(
            (index) => `${props.stateTable.tableArn}/index/${index.indexName}`,
          ),
        ],
      }),
    );
    props.githubAppSecret.grantRead(this.function);
    for (const modelId of [props.modelId, props.fallbackModelId]) {
      if (modelId !== undefined) this.allowModel(modelId);
    }
  }

  private allowModel(modelId: string): void {
    const { inferenceProfileArn, foundationModelArns } = modelInvokeResources(modelId, {
      partition: Aws.PARTITION,
      region: Aws.REGION,
      account: Aws.ACCOUNT_ID,
    });
    if (inferenceProfileArn === undefined) {
      this.function.addToRolePolicy(
        new PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: [...foundationModelArns] }),
      );
      return;
    }
    this.function.addToRolePolicy(
      new PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: [inferenceProfileArn] }),
    );
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['bedrock:InvokeModel'],
        resources: [...foundationModelArns],
        // The foundation models are reachable only through the configured profile, never invoked directly.
        conditions: { StringEquals: { 'bedrock:InferenceProfileArn': inferenceProfileArn } },
      }),
    );
    const { foundationModel, profilePrefix } = parseModelId(modelId);
    if (profilePrefix !== 'global') {
      Validations.of(this.function.role!).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:bedrock:*::foundation-model/${foundationModel}]`,
        reason: `The ${profilePrefix} inference profile routes to ${foundationModel} in Regions that AWS adds to over time, so the Region is a wildcard; the model is named, and the condition allows it only through the configured profile.`,
      });
    }
  }
}
