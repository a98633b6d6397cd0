/**
 * The reports queue as plain data, so the CDK app (infra/constructs/report-queue.ts), the local stand-ins and
 * `osdc-rca doctor` agree on what a correctly configured queue looks like.
 */

/** AWS's guidance for Lambda event sources: visibility ≥ 6 × the function timeout, so throttled retries fit. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/**
 * Receives before a report goes to the dead-letter queue. Each wait on another report's single-flight lease costs
 * one receive; the waits double from 15 s and stop at the lease's end (Lambda timeout + 60 s), which is at most 5
 * waits with the default timeout, so 10 leaves room for real failures besides.
 */
export const MAX_RECEIVE_COUNT = 10;

/** The analyzer's Lambda timeout when `osdc-rca:analyzerTimeoutSeconds` is not set (cdk.json ships this value). */
export const DEFAULT_ANALYZER_TIMEOUT_SECONDS = 180;

/** The queue's visibility timeout for an analyzer timeout. */
export function visibilityTimeoutFor(analyzerTimeoutSeconds: number): number {
  return analyzerTimeoutSeconds * VISIBILITY_TIMEOUT_FACTOR;
}
