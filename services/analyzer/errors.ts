/**
 * Errors of the analyzer. A record handler that throws one of the retryable ones fails its SQS record, so SQS
 * redelivers it after the visibility timeout; the others are handled where they are thrown.
 */

/** Another report holds the single-flight lease of this signature: retry later, the answer will be cached. */
export class LeaseHeldError extends Error {
  override readonly name = 'LeaseHeldError';
  constructor(
    readonly signature: string,
    readonly leaseOwner: string,
    /** When the holder's lease runs out (epoch ms) and a waiter may take over; unknown if the item vanished. */
    readonly leaseExpiresAt: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(
      `signature ${signature} is being analysed for report ${leaseOwner}; retry after it finishes`,
      options,
    );
  }
}

/** The report does not match GitHub (unknown run, wrong SHA or attempt, no such job): it is rejected, not retried. */
export class ReportVerificationError extends Error {
  override readonly name = 'ReportVerificationError';
  constructor(
    message: string,
    readonly reason: VerificationFailure,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type VerificationFailure =
  | 'unknown-run'
  | 'wrong-repository'
  | 'wrong-sha'
  | 'wrong-attempt'
  | 'no-job-for-runner'
  | 'app-not-installed'
  /** The job on that runner completed without failing (success, skipped, cancelled): nothing to analyse. */
  | 'job-not-failed'
  /** The job has not started, or the report was sent before it did. */
  | 'job-not-running'
  /** SQS received the report longer than the report window after GitHub says the job ended. */
  | 'report-after-job'
  /** A pull-request run whose PR GitHub does not confirm (not the run's, or another head). */
  | 'unverified-pull-request'
  /** Another report is already bound to this job and step; the first one keeps it. */
  | 'job-step-already-reported';

/** The model could not give a usable analysis (after retries and the fallback); the rules analyst answers instead. */
export class ModelAnalysisError extends Error {
  override readonly name = 'ModelAnalysisError';
  constructor(
    message: string,
    readonly kind: 'throttled' | 'timeout' | 'invalid-output' | 'failed',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Another delivery of the same report is being processed right now (SQS may deliver a message twice at once). */
export class ReportBusyError extends Error {
  override readonly name = 'ReportBusyError';
  constructor(
    readonly reportId: string,
    options?: { cause?: unknown },
  ) {
    super(`report ${reportId} is being processed by another delivery; retry after it finishes`, options);
  }
}

/** Another delivery took this report's claim over (ours expired): stop before a second check run is posted. */
export class ClaimLostError extends Error {
  override readonly name = 'ClaimLostError';
  constructor(
    readonly reportId: string,
    options?: { cause?: unknown },
  ) {
    super(`lost the claim on report ${reportId} to another delivery`, options);
  }
}

/**
 * A message carries the secret of a report already stored with another body: only the pod that made the report
 * knows the secret, but whatever it sends later cannot change what was decided for the first body. Set aside.
 */
export class ReportBodyChangedError extends Error {
  override readonly name = 'ReportBodyChangedError';
  readonly issues: readonly string[] = ['body: differs from the first message of this report'];
  constructor(
    readonly reportId: string,
    options?: { cause?: unknown },
  ) {
    super(`report ${reportId} was already received with another body; this message is set aside`, options);
  }
}
