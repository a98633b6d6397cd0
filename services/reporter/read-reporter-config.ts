/**
 * The reporter's configuration, read once from the runner container's env at the edge (the wrapper or the CLI) and
 * passed down. A runner without `OSDC_RCA_QUEUE_URL` or with the kill switch on gets `undefined`: the reporter then
 * only passes output through, silently.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_INLINE_WAIT_MS,
  DEFAULT_REPORT_DEADLINE_MS,
  DEFAULT_RESULT_READ_DEADLINE_MS,
  MAX_INLINE_WAIT_MS,
} from '../../shared/contract/constants';
import { DEFAULT_TAIL_BYTES, DEFAULT_WINDOW_BYTES } from '../../shared/log/constants';

export interface ReporterConfig {
  readonly queueUrl: string;
  /** Results table for inline analyses; without it the reporter only sends reports. */
  readonly resultsTable: string | undefined;
  readonly region: string;
  /** The SDK's standard endpoint overrides, read here so that a passed-in env is honoured too. */
  readonly sqsEndpoint: string | undefined;
  readonly dynamoEndpoint: string | undefined;
  /** One hard deadline for everything a failure costs: credentials, SendMessage, the cache lookup. */
  readonly deadlineMs: number;
  readonly resultDeadlineMs: number;
  /**
   * How long after a report was sent `cleanup_job` waits for its analysis (later steps only look while they run);
   * 0: never wait, read once.
   */
  readonly inlineWaitMs: number;
  readonly tailBytes: number;
  readonly windowBytes: number;
  /** Folder of the failure markers that later steps of the job look for. */
  readonly stateDir: string;
}

/** Thrown for a set but unusable variable; the message names the variable and what it must be. */
export class ReporterConfigError extends Error {
  override readonly name = 'ReporterConfigError';
  constructor(
    message: string,
    readonly variable: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const SQS_HOST = /^sqs[.-]([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(?:\.cn)?$/;

/**
 * Reads and validates the reporter's env.
 *
 * @example
 * const config = readReporterConfig(); // undefined when the reporter is not configured or is switched off
 */
export function readReporterConfig(env: NodeJS.ProcessEnv = process.env): ReporterConfig | undefined {
  if (env.OSDC_RCA_DISABLED === '1' || env.OSDC_RCA_DISABLED === 'true') return undefined;
  const queueUrl = env.OSDC_RCA_QUEUE_URL?.trim();
  if (!queueUrl) return undefined;

  let queueHost: string;
  try {
    const url = new URL(queueUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new TypeError(`protocol ${url.protocol}`);
    if (url.pathname.split('/').filter(Boolean).length !== 2)
      throw new TypeError('path is not /<account>/<queue>');
    queueHost = url.hostname;
  } catch (cause) {
    throw new ReporterConfigError(
      `OSDC_RCA_QUEUE_URL must be an SQS queue URL like https://sqs.us-east-1.amazonaws.com/123456789012/osdc-rca-reports, got ${JSON.stringify(queueUrl.slice(0, 200))}`,
      'OSDC_RCA_QUEUE_URL',
      { cause },
    );
  }

  const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || queueHost.match(SQS_HOST)?.[1];
  if (!region) {
    throw new ReporterConfigError(
      'no AWS region: set AWS_REGION (IRSA sets it) or use a regional SQS queue URL',
      'AWS_REGION',
    );
  }

  return {
    queueUrl,
    resultsTable: env.OSDC_RCA_RESULTS_TABLE?.trim() || undefined,
    region,
    sqsEndpoint: readUrl(env, 'AWS_ENDPOINT_URL_SQS'),
    dynamoEndpoint: readUrl(env, 'AWS_ENDPOINT_URL_DYNAMODB'),
    deadlineMs: readInteger(env, 'OSDC_RCA_DEADLINE_MS', DEFAULT_REPORT_DEADLINE_MS, 50, 30_000),
    resultDeadlineMs: readInteger(
      env,
      'OSDC_RCA_RESULT_DEADLINE_MS',
      DEFAULT_RESULT_READ_DEADLINE_MS,
      50,
      1_000,
    ),
    inlineWaitMs: readInteger(env, 'OSDC_RCA_INLINE_WAIT_MS', DEFAULT_INLINE_WAIT_MS, 0, MAX_INLINE_WAIT_MS),
    tailBytes: readInteger(env, 'OSDC_RCA_TAIL_BYTES', DEFAULT_TAIL_BYTES, 4 * 1024, 8 * 1024 * 1024),
    windowBytes: readInteger(env, 'OSDC_RCA_WINDOW_BYTES', DEFAULT_WINDOW_BYTES, 0, 8 * 1024 * 1024),
    stateDir: readStateDir(env),
  };
}

/**
 * The job's state folder. Read on its own as well, because `prepare_job` must empty it and a step must be able to
 * say "off" once per job even when the rest of the configuration is unusable.
 */
export function readStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.OSDC_RCA_STATE_DIR?.trim() || join(tmpdir(), 'osdc-rca');
}

function readInteger(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ReporterConfigError(
      `${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw.slice(0, 50))}`,
      name,
    );
  }
  return value;
}

function readUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  if (!URL.canParse(raw)) {
    throw new ReporterConfigError(
      `${name} must be a URL like http://127.0.0.1:4566, got ${JSON.stringify(raw)}`,
      name,
    );
  }
  return raw;
}
