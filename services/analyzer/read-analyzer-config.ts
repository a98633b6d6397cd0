/**
 * The analyzer's configuration, read once from the Lambda's env (or the local pipeline's) at the edge, validated,
 * and passed down. Messages name the variable and say what it must be, because an operator reads them in a
 * CloudWatch log line, not in the code.
 */
import { z } from 'zod';
import { DEFAULT_CONTEXT_BUDGET_BYTES } from '../../shared/context/constants';
import { DEFAULT_FALLBACK_MODEL_ID, DEFAULT_MODEL_ID } from '../../shared/contract/constants';

export interface SpendCapLimits {
  readonly perJob: number;
  readonly perPrPerDay: number;
  readonly perAuthorPerDay: number;
}

export type GitHubAuthConfig =
  | { readonly kind: 'app'; readonly appId: number; readonly privateKeySecretArn: string }
  | { readonly kind: 'token'; readonly token: string };

/**
 * First delay before a report that waits on another report's lease comes back (doubling after): short, so a repeat
 * is answered within a job's inline wait once the analysis it waited for is in the cache.
 */
export const DEFAULT_LEASE_RETRY_SECONDS = 5;

export interface AnalyzerConfig {
  readonly resultsTable: string;
  readonly stateTable: string;
  readonly dlqUrl: string;
  readonly analyst: 'bedrock' | 'rules';
  readonly modelId: string;
  /** Used after throttling exhausts the primary model's retries; absent means straight to the rules analyst. */
  readonly fallbackModelId: string | undefined;
  readonly contextBudgetBytes: number;
  readonly dailyBudgetUsd: number;
  readonly repoDailyBudgetUsd: number;
  readonly cacheTtlDays: number;
  /** Model calls one job, one PR (per UTC day) and one untrusted author (per UTC day) may cause; 0: none. */
  readonly spendCaps: SpendCapLimits;
  /** A report sent longer than this after its job ended is not analysed (the job's end is GitHub's). */
  readonly reportWindowSeconds: number;
  /**
   * How long a single-flight lease protects one model call, and a delivery's claim on its report; past it, a waiter
   * may take over. Must exceed the Lambda timeout, or a slow but live invocation loses its lease.
   */
  readonly leaseSeconds: number;
  /** First delay before a report that waits on another's lease is retried; doubles per receive. */
  readonly leaseRetrySeconds: number;
  /**
   * The queue the records come from, for ChangeMessageVisibility; absent, it is derived from the record's
   * `eventSourceARN` (which only matches AWS's own queue URLs).
   */
  readonly queueUrl: string | undefined;
  readonly githubApiUrl: string;
  readonly githubAuth: GitHubAuthConfig;
}

/** Thrown for a missing or unusable variable; the message names the variable and what it must be. */
export class AnalyzerConfigError extends Error {
  override readonly name = 'AnalyzerConfigError';
  constructor(
    message: string,
    readonly variables: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const text = (example: string) =>
  z
    .string({ error: `must be set, e.g. ${example}` })
    .trim()
    .min(1, { error: `must not be empty, e.g. ${example}` });

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined));

const wholeNumber = (fallback: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => (value ? Number(value) : fallback))
    .pipe(
      z
        .number()
        .int({ error: `must be a whole number from ${min} to ${max}` })
        .min(min, { error: `must be a whole number from ${min} to ${max}` })
        .max(max, { error: `must be a whole number from ${min} to ${max}` }),
    );

const dollars = (fallback: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => (value ? Number(value) : fallback))
    .pipe(z.number({ error: 'must be an amount in US dollars, e.g. 25' }).min(0, { error: 'must be ≥ 0' }));

const EnvSchema = z.object({
  OSDC_RCA_RESULTS_TABLE: text('osdc-rca-Results'),
  OSDC_RCA_STATE_TABLE: text('osdc-rca-State'),
  OSDC_RCA_DLQ_URL: text('https://sqs.us-east-1.amazonaws.com/123456789012/osdc-rca-reports-dlq').pipe(
    z.url({ error: 'must be the dead-letter queue URL' }),
  ),
  OSDC_RCA_ANALYST: z
    .string()
    .trim()
    .optional()
    .transform((value) => value || 'bedrock')
    .pipe(z.enum(['bedrock', 'rules'], { error: 'must be "bedrock" or "rules"' })),
  OSDC_RCA_MODEL_ID: optionalText.transform((value) => value ?? DEFAULT_MODEL_ID),
  OSDC_RCA_FALLBACK_MODEL_ID: z
    .string()
    .optional()
    .transform((value) => (value === undefined ? DEFAULT_FALLBACK_MODEL_ID : value.trim() || undefined)),
  OSDC_RCA_CONTEXT_BUDGET_BYTES: wholeNumber(DEFAULT_CONTEXT_BUDGET_BYTES, 1024, 512 * 1024),
  OSDC_RCA_DAILY_BUDGET_USD: dollars(50),
  OSDC_RCA_REPO_DAILY_BUDGET_USD: dollars(20),
  OSDC_RCA_CACHE_TTL_DAYS: wholeNumber(7, 1, 90),
  OSDC_RCA_JOB_MODEL_CALLS: wholeNumber(2, 0, 100),
  OSDC_RCA_PR_DAILY_MODEL_CALLS: wholeNumber(15, 0, 10_000),
  OSDC_RCA_AUTHOR_DAILY_MODEL_CALLS: wholeNumber(25, 0, 10_000),
  OSDC_RCA_REPORT_WINDOW_SECONDS: wholeNumber(600, 30, 86_400),
  OSDC_RCA_LEASE_SECONDS: wholeNumber(240, 10, 3600),
  OSDC_RCA_LEASE_RETRY_SECONDS: wholeNumber(DEFAULT_LEASE_RETRY_SECONDS, 1, 900),
  OSDC_RCA_QUEUE_URL: optionalText.pipe(z.url({ error: 'must be the report queue URL' }).optional()),
  OSDC_RCA_GITHUB_API_URL: optionalText
    .transform((value) => value ?? 'https://api.github.com')
    .pipe(z.url({ error: 'must be a URL like https://api.github.com' })),
  OSDC_RCA_GITHUB_APP_ID: optionalText.pipe(
    z.string().regex(/^\d+$/, { error: 'must be the numeric GitHub App id' }).transform(Number).optional(),
  ),
  OSDC_RCA_GITHUB_PRIVATE_KEY_SECRET_ARN: optionalText.pipe(
    z
      .string()
      .regex(/^arn:aws[\w-]*:secretsmanager:/, { error: 'must be a Secrets Manager secret ARN' })
      .optional(),
  ),
  OSDC_RCA_GITHUB_TOKEN: optionalText,
});

/**
 * Reads and validates the analyzer's env.
 *
 * @example
 * const config = readAnalyzerConfig(); // throws AnalyzerConfigError naming every bad variable
 */
export function readAnalyzerConfig(env: NodeJS.ProcessEnv = process.env): AnalyzerConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`);
    throw new AnalyzerConfigError(
      `invalid analyzer configuration: ${problems.join('; ')}`,
      parsed.error.issues.map((issue) => String(issue.path[0])),
    );
  }
  const values = parsed.data;
  return {
    resultsTable: values.OSDC_RCA_RESULTS_TABLE,
    stateTable: values.OSDC_RCA_STATE_TABLE,
    dlqUrl: values.OSDC_RCA_DLQ_URL,
    analyst: values.OSDC_RCA_ANALYST,
    modelId: values.OSDC_RCA_MODEL_ID,
    fallbackModelId: values.OSDC_RCA_FALLBACK_MODEL_ID,
    contextBudgetBytes: values.OSDC_RCA_CONTEXT_BUDGET_BYTES,
    dailyBudgetUsd: values.OSDC_RCA_DAILY_BUDGET_USD,
    repoDailyBudgetUsd: values.OSDC_RCA_REPO_DAILY_BUDGET_USD,
    cacheTtlDays: values.OSDC_RCA_CACHE_TTL_DAYS,
    spendCaps: {
      perJob: values.OSDC_RCA_JOB_MODEL_CALLS,
      perPrPerDay: values.OSDC_RCA_PR_DAILY_MODEL_CALLS,
      perAuthorPerDay: values.OSDC_RCA_AUTHOR_DAILY_MODEL_CALLS,
    },
    reportWindowSeconds: values.OSDC_RCA_REPORT_WINDOW_SECONDS,
    leaseSeconds: values.OSDC_RCA_LEASE_SECONDS,
    leaseRetrySeconds: values.OSDC_RCA_LEASE_RETRY_SECONDS,
    queueUrl: values.OSDC_RCA_QUEUE_URL,
    githubApiUrl: values.OSDC_RCA_GITHUB_API_URL.replace(/\/+$/, ''),
    githubAuth: readGitHubAuth(values),
  };
}

function readGitHubAuth(values: {
  OSDC_RCA_GITHUB_APP_ID?: number | undefined;
  OSDC_RCA_GITHUB_PRIVATE_KEY_SECRET_ARN?: string | undefined;
  OSDC_RCA_GITHUB_TOKEN?: string | undefined;
}): GitHubAuthConfig {
  const appId = values.OSDC_RCA_GITHUB_APP_ID;
  const secretArn = values.OSDC_RCA_GITHUB_PRIVATE_KEY_SECRET_ARN;
  if (appId !== undefined && secretArn) return { kind: 'app', appId, privateKeySecretArn: secretArn };
  if (appId !== undefined || secretArn) {
    throw new AnalyzerConfigError(
      'GitHub App auth needs both OSDC_RCA_GITHUB_APP_ID and OSDC_RCA_GITHUB_PRIVATE_KEY_SECRET_ARN',
      ['OSDC_RCA_GITHUB_APP_ID', 'OSDC_RCA_GITHUB_PRIVATE_KEY_SECRET_ARN'],
    );
  }
  if (values.OSDC_RCA_GITHUB_TOKEN) return { kind: 'token', token: values.OSDC_RCA_GITHUB_TOKEN };
  throw new AnalyzerConfigError(
    'no GitHub credentials: set OSDC_RCA_GITHUB_APP_ID and OSDC_RCA_GITHUB_PRIVATE_KEY_SECRET_ARN (the GitHub App), or OSDC_RCA_GITHUB_TOKEN for local use',
    ['OSDC_RCA_GITHUB_APP_ID', 'OSDC_RCA_GITHUB_PRIVATE_KEY_SECRET_ARN', 'OSDC_RCA_GITHUB_TOKEN'],
  );
}
