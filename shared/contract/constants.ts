/** Defaults shared by the reporter, the analyzer and the CLI. Runtime configuration overrides them at the edge. */

/** Bumped whenever the prompt or the analysis schema changes: cache keys include it, so old answers are not reused. */
export const PROMPT_VERSION = 'p1';

/** Version of the failure report message body (the SQS contract). */
export const REPORT_VERSION = 1;

/** The report body stays under this size so it fits queues that still have the old 256 KiB limit. */
export const MAX_REPORT_BODY_BYTES = 240 * 1024;

export const DEFAULT_MODEL_ID = 'global.anthropic.claude-opus-4-6-v1';
export const DEFAULT_FALLBACK_MODEL_ID = 'global.anthropic.claude-sonnet-4-6';

export const CHECK_RUN_NAME = 'OSDC failure analysis';

/** The reporter's hard overall deadline for sending a report, credential resolution included. */
export const DEFAULT_REPORT_DEADLINE_MS = 2000;
/** The reporter's deadline for reading a finished analysis on a later step. */
export const DEFAULT_RESULT_READ_DEADLINE_MS = 1000;
/**
 * How long after sending a report a failed job waits (at most) for its analysis before it ends, so that a first-seen
 * failure is printed in its own log. Chosen from bench:inline (docs/benchmarks.md): above the p99 of report → analysis
 * with Opus 4.6 and the production batching window.
 */
export const DEFAULT_INLINE_WAIT_MS = 45_000;
/** The ceiling of that wait: a job must never be held longer for an optional side effect. */
export const MAX_INLINE_WAIT_MS = 60_000;

/** CloudWatch namespace of the services' EMF metrics; the alarms and the CloudWatch dashboard read the same one. */
export const METRICS_NAMESPACE = 'osdc-rca';
/**
 * The analyzer's Powertools service name: the `service` dimension of its metrics (which the alarms select) and the
 * `service` key of its log lines. Infra sets POWERTOOLS_SERVICE_NAME to it as well.
 */
export const ANALYZER_SERVICE_NAME = 'osdc-rca-analyzer';
