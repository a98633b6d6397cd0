/**
 * The VerifiedJob the analyzer acts on until the verifier (verify-report.ts, trust-identity) decides ref, PR, author
 * and trust from GitHub. The job, its page and its head commit are GitHub's already; ref and PR are still the
 * report's, and every job counts as trusted, which is how reuse behaved before trust scoping (one answer per
 * repository). The verifier replaces this module; nothing else depends on where the VerifiedJob comes from.
 */
import type { SQSRecord } from 'aws-lambda';
import type { FailureReport } from '../../shared/contract/failure-report';
import type { VerifiedJob } from './verified-job';
import type { VerifiedReport } from './verify-report';

export function interimVerifiedJob(
  report: FailureReport,
  verified: VerifiedReport,
  sentAt: string,
): VerifiedJob {
  return {
    repo: report.repo,
    runId: report.runId,
    runAttempt: report.runAttempt,
    jobId: verified.jobId,
    jobName: report.job,
    jobUrl: verified.jobUrl,
    headSha: verified.headSha,
    ref: report.ref ?? '',
    event: report.event ?? '',
    ...(report.prNumber === undefined ? {} : { prNumber: report.prNumber }),
    trusted: true,
    sentAt,
  };
}

/** When SQS accepted the message: the only time of a report that the sender cannot choose. */
export function sentAtOf(record: SQSRecord, now: Date): string {
  const sent = Number(record.attributes.SentTimestamp);
  return new Date(Number.isFinite(sent) && sent > 0 ? sent : now.getTime()).toISOString();
}
