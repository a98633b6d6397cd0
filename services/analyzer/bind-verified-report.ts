/**
 * The identity step of the pipeline: verify a report against GitHub once, bind its job and step to it, and store
 * what GitHub said on the report item. A redelivery of the same body finds the stored verification (the report item
 * accepts no other body, see report-store.ts), so it acts on what was decided, whatever time it is now.
 */
import type { FailureReport } from '../../shared/contract/failure-report';
import type { AnalyzerOctokit } from './analyzer-octokit';
import { ReportVerificationError } from './errors';
import type { JobStepBinding } from './job-step-binding';
import type { ReportItem, ReportStore } from './report-store';
import { type VerifiedReport, verifyReport } from './verify-report';

export interface BindVerifiedReportInput {
  readonly report: FailureReport;
  readonly digest: string;
  readonly item: ReportItem;
  /** SQS `SentTimestamp` of the message. */
  readonly sentAt: Date;
  readonly reportWindowSeconds: number;
}

/** Throws ReportVerificationError (with a reason) for a report GitHub does not confirm or whose job step is taken. */
export async function bindVerifiedReport(
  deps: {
    readonly octokit: () => Promise<AnalyzerOctokit>;
    readonly reports: ReportStore;
    readonly bindings: JobStepBinding;
  },
  input: BindVerifiedReportInput,
): Promise<VerifiedReport> {
  if (input.item.verified) return input.item.verified;
  const verified = await verifyReport(await deps.octokit(), input.report, {
    sentAt: input.sentAt,
    reportWindowSeconds: input.reportWindowSeconds,
  });
  const step = boundStepOf(verified, input.report);
  // A canary posts nothing for the job it names, so it must not take that job's step from the job's own report.
  if (!input.report.canary && !(await deps.bindings.bind(verified.job.jobId, step, input.digest))) {
    throw new ReportVerificationError(
      `job ${verified.job.jobId} step ${step} is already bound to another report`,
      'job-step-already-reported',
    );
  }
  await deps.reports.markVerified(input.digest, verified);
  return verified;
}

/**
 * GitHub's number of the failing step; the wrapper's own count only when GitHub lists no failing step (it then
 * cannot be checked, and the per-job spend cap bounds what a sender gains by naming other steps).
 */
export function boundStepOf(verified: VerifiedReport, report: FailureReport): string {
  return verified.stepNumber !== undefined ? String(verified.stepNumber) : `wrapper-${report.stepIndex ?? 0}`;
}
