/**
 * The CDK app's configuration, read once from CDK context (cdk.json, or `-c key=value` on the command line) at the
 * edge and passed down as typed props. cdk.json holds every default, so a fresh clone synthesizes offline; the
 * operator overrides what differs per deployment. Messages name the context key and say what it must be.
 */
import type { IConstruct } from 'constructs';
import { parseModelId } from './bedrock-model-arns';

export interface InfraConfig {
  readonly stackName: string;
  /** Unset means an environment-agnostic stack: `cdk deploy` uses the CLI's account and region. */
  readonly account: string | undefined;
  readonly region: string | undefined;
  /** Bedrock inference profile (or model) ids the analyzer may invoke. */
  readonly modelId: string;
  readonly fallbackModelId: string | undefined;
  readonly dailyBudgetUsd: number;
  readonly repoDailyBudgetUsd: number;
  /** Spend caps before the budgets: model calls per job, per PR per day, per untrusted author per day. */
  readonly spendCaps: {
    readonly perJob: number;
    readonly perPrPerDay: number;
    readonly perAuthorPerDay: number;
  };
  readonly githubAppId: string;
  /** IAM OIDC provider of the EKS cluster that runs the runner pods. */
  readonly oidcProviderArn: string;
  readonly runnerNamespace: string;
  readonly runnerServiceAccount: string;
  readonly analyzerTimeoutSeconds: number;
  /** Upper bound on concurrent analyzer invocations, so Bedrock and GitHub are not stampeded in a burst. */
  readonly analyzerMaxConcurrency: number;
  readonly dashboardAuth: 'AWS_IAM' | 'NONE';
  /** Existing SNS topic that alarms notify; unset means alarms only change state. */
  readonly alarmTopicArn: string | undefined;
  readonly logRetentionDays: number;
  /** Context keys still at the placeholder values shipped in cdk.json: fine to synthesize, not to deploy. */
  readonly placeholders: readonly string[];
}

/** Thrown for a missing or unusable context value; the message names the key and what it must be. */
export class InfraConfigError extends Error {
  override readonly name = 'InfraConfigError';
  constructor(
    message: string,
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const CONTEXT_PREFIX = 'osdc-rca:';

/** The placeholder values in cdk.json: they let a fresh clone synthesize but must be replaced before a deploy. */
export const PLACEHOLDERS = {
  githubAppId: '123456',
  oidcProviderArn:
    'arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
} as const;

const KEYS = [
  'stackName',
  'account',
  'region',
  'modelId',
  'fallbackModelId',
  'dailyBudgetUsd',
  'repoDailyBudgetUsd',
  'jobModelCalls',
  'prDailyModelCalls',
  'authorDailyModelCalls',
  'githubAppId',
  'oidcProviderArn',
  'runnerNamespace',
  'runnerServiceAccount',
  'analyzerTimeoutSeconds',
  'analyzerMaxConcurrency',
  'dashboardAuth',
  'alarmTopicArn',
  'logRetentionDays',
] as const;

type Key = (typeof KEYS)[number];

/** CloudWatch Logs accepts only these retention periods. */
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

const OIDC_PROVIDER_ARN = /^arn:aws[\w-]*:iam::\d{12}:oidc-provider\/[A-Za-z0-9.\-/]+$/;
/** Kubernetes names (RFC 1123 labels). */
const K8S_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const SNS_TOPIC_ARN = /^arn:aws[\w-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

/**
 * Reads and validates the `osdc-rca:*` context of the app.
 *
 * @example
 * const config = readInfraConfig(app); // throws InfraConfigError naming the bad context key
 */
export function readInfraConfig(scope: IConstruct): InfraConfig {
  rejectUnknownKeys(scope);
  const raw = (key: Key): unknown => scope.node.tryGetContext(`${CONTEXT_PREFIX}${key}`);
  const text = (key: Key, pattern: RegExp, example: string): string => {
    const value = optionalText(key, pattern, example);
    if (value === undefined) throw missing(key, example);
    return value;
  };
  const optionalText = (key: Key, pattern: RegExp, example: string): string | undefined => {
    const value = raw(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string' && typeof value !== 'number') throw invalid(key, value, example);
    const trimmed = String(value).trim();
    if (!trimmed) return undefined;
    if (!pattern.test(trimmed)) throw invalid(key, trimmed, example);
    return trimmed;
  };
  const number = (key: Key, min: number, max: number, integer: boolean): number => {
    const value = raw(key);
    const example = `a ${integer ? 'whole number' : 'number'} from ${min} to ${max}`;
    if (value === undefined || value === null || value === '') throw missing(key, example);
    const parsed = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
    if (!Number.isFinite(parsed) || parsed < min || parsed > max || (integer && !Number.isInteger(parsed))) {
      throw invalid(key, value, example);
    }
    return parsed;
  };
  const modelId = (key: Key, required: boolean): string | undefined => {
    const example = 'an inference profile id like global.anthropic.claude-opus-4-6-v1';
    const value = required ? text(key, /./, example) : optionalText(key, /./, example);
    if (value === undefined) return undefined;
    try {
      parseModelId(value);
    } catch (cause) {
      throw new InfraConfigError(
        `context ${CONTEXT_PREFIX}${key} must be ${example}, got ${JSON.stringify(value)}`,
        key,
        { cause },
      );
    }
    return value;
  };

  const logRetentionDays = number('logRetentionDays', 1, 3653, true);
  if (!RETENTION_DAYS.includes(logRetentionDays)) {
    throw invalid('logRetentionDays', logRetentionDays, `one of ${RETENTION_DAYS.join(', ')}`);
  }
  const dashboardAuth = text(
    'dashboardAuth',
    /^(AWS_IAM|NONE)$/,
    '"AWS_IAM" (default) or "NONE" (public URL)',
  );

  const config = {
    stackName: text('stackName', STACK_NAME, 'OsdcRca (letters, digits and -)'),
    account: optionalText('account', ACCOUNT, 'a 12-digit account id, or empty for the CLI account'),
    region: optionalText('region', REGION, 'a region like us-east-1, or empty for the CLI region'),
    modelId: modelId('modelId', true)!,
    fallbackModelId: modelId('fallbackModelId', false),
    dailyBudgetUsd: number('dailyBudgetUsd', 0, 1_000_000, false),
    repoDailyBudgetUsd: number('repoDailyBudgetUsd', 0, 1_000_000, false),
    spendCaps: {
      perJob: number('jobModelCalls', 0, 100, true),
      perPrPerDay: number('prDailyModelCalls', 0, 10_000, true),
      perAuthorPerDay: number('authorDailyModelCalls', 0, 10_000, true),
    },
    githubAppId: text('githubAppId', /^\d+$/, 'the numeric id of the GitHub App'),
    oidcProviderArn: text(
      'oidcProviderArn',
      OIDC_PROVIDER_ARN,
      'the ARN of the EKS cluster IAM OIDC provider, like arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC123',
    ),
    runnerNamespace: text('runnerNamespace', K8S_NAME, 'the Kubernetes namespace of the runner pods'),
    runnerServiceAccount: text(
      'runnerServiceAccount',
      K8S_NAME,
      'the Kubernetes service account of the runner pods',
    ),
    // The analyzer keeps 30 s of each invocation for publishing, so below a minute the model would get too little.
    analyzerTimeoutSeconds: number('analyzerTimeoutSeconds', 60, 900, true),
    // SQS event sources accept a maximum concurrency from 2 upwards.
    analyzerMaxConcurrency: number('analyzerMaxConcurrency', 2, 1000, true),
    dashboardAuth: dashboardAuth as InfraConfig['dashboardAuth'],
    alarmTopicArn: optionalText('alarmTopicArn', SNS_TOPIC_ARN, 'an SNS topic ARN, or empty for none'),
    logRetentionDays,
  };
  const placeholders = (Object.keys(PLACEHOLDERS) as (keyof typeof PLACEHOLDERS)[])
    .filter((key) => config[key] === PLACEHOLDERS[key])
    .map((key) => `${CONTEXT_PREFIX}${key}`);
  return { ...config, placeholders };
}

function rejectUnknownKeys(scope: IConstruct): void {
  const known = new Set<string>(KEYS.map((key) => `${CONTEXT_PREFIX}${key}`));
  // A misspelt key would otherwise be ignored silently and the deploy would use the default.
  const unknown = Object.keys(scope.node.getAllContext()).filter(
    (key) => key.startsWith(CONTEXT_PREFIX) && !known.has(key),
  );
  const first = unknown[0];
  if (first !== undefined) {
    throw new InfraConfigError(
      `unknown context key ${first}: the keys are ${[...known].join(', ')}`,
      first.slice(CONTEXT_PREFIX.length),
    );
  }
}

function missing(key: Key, example: string): InfraConfigError {
  return new InfraConfigError(
    `context ${CONTEXT_PREFIX}${key} is not set: set it in cdk.json or pass -c ${CONTEXT_PREFIX}${key}=… (${example})`,
    key,
  );
}

function invalid(key: Key, value: unknown, example: string): InfraConfigError {
  return new InfraConfigError(
    `context ${CONTEXT_PREFIX}${key} must be ${example}, got ${JSON.stringify(value)?.slice(0, 200)}`,
    key,
  );
}
