/**
 * The one configured Octokit class of the analyzer: retries on 5xx and honours `retry-after` on rate limits,
 * through the official plugins rather than wrappers of our own.
 */
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';

export const AnalyzerOctokit = Octokit.plugin(retry, throttling).defaults({
  userAgent: 'osdc-rca-analyzer',
});
export type AnalyzerOctokit = InstanceType<typeof AnalyzerOctokit>;

/** A Lambda invocation cannot wait out a long rate-limit reset; SQS redelivers the record instead. */
const MAX_RATE_LIMIT_WAIT_SECONDS = 60;
const MAX_RATE_LIMIT_RETRIES = 2;

export interface GitHubClientOptions {
  readonly baseUrl: string;
  /** Base of the retry backoff (ms × retry²); tests make it short. */
  readonly retryBaseMs?: number;
  readonly auth?: unknown;
  readonly authStrategy?: unknown;
  /**
   * The throttling plugin spaces content-creating requests one second apart per process, as GitHub asks to avoid
   * secondary rate limits. Tests and benchmarks against the local stand-in turn that off; production keeps it.
   */
  readonly paceWrites?: boolean;
  /**
   * Clients with the same group share one pace (the plugin's default is one group per process, which is one Lambda
   * instance). A benchmark that runs several emulated instances in one process gives each its own.
   */
  readonly pacingGroup?: string;
}

/** A stand-in for the plugin's write limiter group that lets every request through at once. */
const UNPACED = { key: () => ({ schedule: () => Promise.resolve() }) };

export function createOctokit(options: GitHubClientOptions): AnalyzerOctokit {
  const retryBaseMs = options.retryBaseMs ?? 1000;
  const onLimit = (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) =>
    retryCount < MAX_RATE_LIMIT_RETRIES && retryAfter <= MAX_RATE_LIMIT_WAIT_SECONDS;
  return new AnalyzerOctokit({
    baseUrl: options.baseUrl,
    auth: options.auth,
    authStrategy: options.authStrategy,
    retry: { retryAfterBaseValue: retryBaseMs },
    throttle: {
      ...(options.pacingGroup === undefined ? {} : { id: options.pacingGroup }),
      retryAfterBaseValue: retryBaseMs,
      onRateLimit: onLimit,
      onSecondaryRateLimit: onLimit,
      ...(options.paceWrites === false ? { write: UNPACED, notifications: UNPACED } : {}),
    },
    // Octokit would log request failures itself; the processor logs them once, with the report id.
    log: { debug() {}, info() {}, warn() {}, error() {} },
  } as ConstructorParameters<typeof AnalyzerOctokit>[0]);
}

/** The HTTP status of an Octokit request error, or undefined for any other error (network, abort, bug). */
export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
  const { status } = error as { status: unknown };
  return typeof status === 'number' && error instanceof Error && error.name === 'HttpError'
    ? status
    : undefined;
}
