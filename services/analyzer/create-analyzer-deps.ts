/**
 * Builds the analyzer's dependencies once per cold start: SDK clients, GitHub access, logger and metrics. Endpoints
 * come from the SDK's standard variables (`AWS_ENDPOINT_URL_DYNAMODB`, …), so the local pipeline reaches its
 * stand-ins with the same code; tests pass their own clients in.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ANALYZER_SERVICE_NAME, METRICS_NAMESPACE } from '../../shared/contract/constants';
import { createGitHubAccess, type GitHubAccess } from './create-github-access';
import { DEFAULT_MODEL_PRICES, type ModelPrice } from './model-prices';
import type { AnalyzerConfig } from './read-analyzer-config';

/** Timing and limits that tests shorten; production uses the defaults. */
export interface AnalyzerTuning {
  readonly throttleRetries: number;
  readonly backoffBaseMs: number;
  readonly modelTimeoutMs: number;
  /**
   * Invocation time kept back from the model for what follows it: the rules fallback, DynamoDB writes and the check
   * run (GitHub's write pacing and retries included).
   */
  readonly publishReserveMs: number;
  readonly maxOutputTokens: number;
  /**
   * What a report's item says at pick-up about when its analysis will be ready (verification and a model call,
   * typical of Opus 4.6: docs/benchmarks.md); a job waiting for it stops when that is past its own deadline.
   */
  readonly expectedAnalysisMs: number;
  /** The same once the analysis it waited for is cached: a redelivery, a cache read, a write. */
  readonly expectedReuseMs: number;
  /** Cache lifetime of a rules answer given because the model failed: short, so the model gets another chance. */
  readonly rulesFallbackTtlSeconds: number;
  readonly modelPrices: ReadonlyArray<readonly [string, ModelPrice]>;
  /** Base of GitHub's retry backoff (ms × retry²). */
  readonly githubRetryBaseMs: number;
  /** One content-creating GitHub request per second per process (GitHub's advice); off only against stand-ins. */
  readonly githubWritePacing: boolean;
  /** Who shares that pace: absent, the whole process (one Lambda instance); see GitHubClientOptions.pacingGroup. */
  readonly githubPacingGroup?: string;
}

export interface AnalyzerDeps {
  readonly config: AnalyzerConfig;
  readonly dynamo: DynamoDBClient;
  readonly sqs: SQSClient;
  /** Absent when the rules analyst is configured. */
  readonly bedrock: BedrockRuntimeClient | undefined;
  readonly github: GitHubAccess;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly now: () => Date;
  readonly tuning: AnalyzerTuning;
}

export const DEFAULT_TUNING: AnalyzerTuning = {
  throttleRetries: 3,
  backoffBaseMs: 500,
  modelTimeoutMs: 90_000,
  publishReserveMs: 30_000,
  maxOutputTokens: 2048,
  expectedAnalysisMs: 20_000,
  expectedReuseMs: 3000,
  rulesFallbackTtlSeconds: 3600,
  modelPrices: DEFAULT_MODEL_PRICES,
  githubRetryBaseMs: 1000,
  githubWritePacing: true,
};

export function createAnalyzerDeps(
  config: AnalyzerConfig,
  overrides: Partial<AnalyzerDeps> = {},
): AnalyzerDeps {
  const tuning = overrides.tuning ?? DEFAULT_TUNING;
  return {
    config,
    dynamo: overrides.dynamo ?? new DynamoDBClient({}),
    sqs: overrides.sqs ?? new SQSClient({}),
    bedrock:
      'bedrock' in overrides
        ? overrides.bedrock
        : config.analyst === 'bedrock'
          ? new BedrockRuntimeClient({
              // Throttling is retried by bedrock-analyst.ts, with the fallback model in between.
              maxAttempts: 1,
              requestHandler: { requestTimeout: tuning.modelTimeoutMs },
            })
          : undefined,
    github:
      overrides.github ??
      createGitHubAccess({
        auth: config.githubAuth,
        baseUrl: config.githubApiUrl,
        secretsManager: config.githubAuth.kind === 'app' ? new SecretsManagerClient({}) : undefined,
        retryBaseMs: tuning.githubRetryBaseMs,
        paceWrites: tuning.githubWritePacing,
        pacingGroup: tuning.githubPacingGroup,
      }),
    logger: overrides.logger ?? new Logger({ serviceName: ANALYZER_SERVICE_NAME }),
    metrics:
      overrides.metrics ?? new Metrics({ namespace: METRICS_NAMESPACE, serviceName: ANALYZER_SERVICE_NAME }),
    now: overrides.now ?? (() => new Date()),
    tuning,
  };
}
