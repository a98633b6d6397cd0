/**
 * Builds the failure report (the SQS message body, contract v1 in shared/failure-report.ts) from the step's env,
 * the runner container's env and the encoded log. A step without the GitHub fields the analyzer needs to verify a
 * report (not an Actions job) gets no report at all rather than one the analyzer would reject.
 */
import { REPORT_VERSION } from '../../shared/contract/constants';
import type { FailureReport, ReportLog } from '../../shared/contract/failure-report';
import { prNumberFromRef } from '../../shared/contract/keys';

export interface BuildFailureReportInput {
  readonly id: string;
  /** Generated in the pod for this report only; never printed (see shared/contract/result-key.ts). */
  readonly resultSecret: string;
  readonly exitCode: number;
  /** The step's env: `args.environmentVariables` of the hook request, or the current env for `exec`. */
  readonly stepEnv: Readonly<Record<string, string | undefined>>;
  /** The runner container's env, which has `RUNNER_NAME`. */
  readonly runnerEnv: Readonly<Record<string, string | undefined>>;
  readonly log: ReportLog;
  readonly reportedAt: Date;
  /** This step's 1-based place among the job's script steps, when the wrapper counted them. */
  readonly stepIndex?: number | undefined;
}

export type BuiltFailureReport =
  | { readonly ok: true; readonly report: FailureReport }
  | { readonly ok: false; readonly missing: readonly string[] };

const REPO = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const SHA = /^[0-9a-f]{40}$/;

/** The report fields that identify the job; the analyzer verifies each of them against GitHub. */
export interface JobFields {
  readonly repo: string;
  readonly runId: number;
  readonly runAttempt: number;
  readonly job: string;
  readonly sha: string;
  readonly runnerName: string;
}

export type ReadJobFields =
  | { readonly ok: true; readonly fields: JobFields }
  | { readonly ok: false; readonly missing: readonly string[] };

/** What a step's env needs for a report the analyzer can verify; `missing` names each variable absent or unusable. */
export function readJobFields(
  stepEnv: Readonly<Record<string, string | undefined>>,
  runnerEnv: Readonly<Record<string, string | undefined>>,
): ReadJobFields {
  const read = (name: string) => stepEnv[name]?.trim() || undefined;
  const missing: string[] = [];
  const repo = read('GITHUB_REPOSITORY');
  if (!repo || !REPO.test(repo)) missing.push('GITHUB_REPOSITORY');
  const runId = positiveInteger(read('GITHUB_RUN_ID'));
  if (runId === undefined) missing.push('GITHUB_RUN_ID');
  const runAttempt = positiveInteger(read('GITHUB_RUN_ATTEMPT') ?? '1');
  if (runAttempt === undefined) missing.push('GITHUB_RUN_ATTEMPT');
  const job = read('GITHUB_JOB');
  if (!job) missing.push('GITHUB_JOB');
  const sha = read('GITHUB_SHA')?.toLowerCase();
  if (!sha || !SHA.test(sha)) missing.push('GITHUB_SHA');
  const runnerName = runnerEnv.RUNNER_NAME?.trim() || read('RUNNER_NAME');
  if (!runnerName) missing.push('RUNNER_NAME');
  if (missing.length > 0 || !repo || !runId || !runAttempt || !job || !sha || !runnerName) {
    return { ok: false, missing };
  }
  return { ok: true, fields: { repo, runId, runAttempt, job, sha, runnerName } };
}

export function buildFailureReport(input: BuildFailureReportInput): BuiltFailureReport {
  const { stepEnv } = input;
  const read = (name: string) => stepEnv[name]?.trim() || undefined;
  const job = readJobFields(stepEnv, input.runnerEnv);
  if (!job.ok) return job;
  const { repo, runId, runAttempt, sha } = job.fields;

  const ref = read('GITHUB_REF');
  const report: FailureReport = {
    v: REPORT_VERSION,
    id: input.id,
    resultSecret: input.resultSecret,
    repo,
    runId,
    runAttempt,
    job: job.fields.job.slice(0, 256),
    runnerName: job.fields.runnerName.slice(0, 256),
    workflow: read('GITHUB_WORKFLOW')?.slice(0, 512),
    stepIndex: input.stepIndex,
    exitCode: input.exitCode,
    sha,
    ref: ref && ref.length <= 512 ? ref : undefined,
    event: read('GITHUB_EVENT_NAME')?.slice(0, 128),
    prNumber: prNumberFromRef(ref),
    reportedAt: input.reportedAt.toISOString(),
    log: input.log,
  };
  return { ok: true, report };
}

function positiveInteger(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\d{1,15}$/.test(raw)) return undefined;
  const value = Number(raw);
  return value > 0 ? value : undefined;
}
