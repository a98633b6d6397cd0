/**
 * A canary report: a fixture log, captured and encoded exactly as the reporter would, for a real run, marked
 * `canary: true` so the analyzer posts no check run and records no occurrence.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { REPORT_VERSION } from '../../../shared/contract/constants';
import type { FailureReport } from '../../../shared/contract/failure-report';
import { encodeReportLog } from '../../../shared/contract/report-log-codec';
import { captureLogFile } from '../capture-log-file';
import type { CanaryRun } from './look-up-run';

/** The job name a canary report claims: not a real job key, and plain in the analyzer's logs. */
export const CANARY_JOB = 'osdc-rca-canary';

export async function buildCanaryReport(
  run: CanaryRun,
  logPath: string,
  now = new Date(),
): Promise<FailureReport> {
  const snapshot = await captureLogFile(logPath);
  return {
    v: REPORT_VERSION,
    id: randomUUID(),
    resultSecret: randomBytes(32).toString('base64url'),
    repo: run.repo,
    runId: run.runId,
    runAttempt: run.runAttempt,
    job: CANARY_JOB,
    runnerName: run.runnerName,
    workflow: run.workflow,
    exitCode: 1,
    sha: run.headSha,
    reportedAt: now.toISOString(),
    log: encodeReportLog(snapshot),
    canary: true,
  };
}
