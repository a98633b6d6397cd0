/**
 * Decides, from GitHub alone, which job and step a report belongs to. The body names a run attempt and a runner;
 * everything else the analyzer acts on comes from GitHub's answers: the job that ran on that runner (running, or
 * failed shortly before SQS received the report), its name and step, the commit, and (resolve-trust-context.ts) the
 * ref, event, PR, author and whether that context is trusted. A report for a job that succeeded, has not started or
 * ended long before is not analysed. Without this, anyone who can reach the queue could make the analyzer post on
 * any public commit (docs/security.md, attacks 3 and 4).
 */
import type { FailureReport } from '../../shared/contract/failure-report';
import { type AnalyzerOctokit, httpStatusOf } from './analyzer-octokit';
import { ReportVerificationError } from './errors';
import { resolveTrustContext } from './resolve-trust-context';
import { splitRepo } from './split-repo';
import type { VerifiedJob } from './verified-job';

export interface VerifiedReport {
  readonly job: VerifiedJob;
  /**
   * GitHub's number of the failing step (the one running or failed when the report was sent), for
   * `#step:<n>:<line>` links; the wrapper's own step count misses action steps, so GitHub's number wins.
   */
  readonly stepNumber: number | undefined;
}

export interface VerifyReportOptions {
  /** When SQS received the message (`SentTimestamp`): the only clock the sender cannot set. */
  readonly sentAt: Date;
  /** How long after its job ended a report is still analysed. */
  readonly reportWindowSeconds: number;
}

/** GitHub's clocks and ours differ a little; a report may seem to precede its job by this much. */
const CLOCK_SKEW_MS = 60_000;

type Run = Awaited<ReturnType<AnalyzerOctokit['rest']['actions']['getWorkflowRunAttempt']>>['data'];
type Job = Awaited<ReturnType<AnalyzerOctokit['rest']['actions']['getJobForWorkflowRun']>>['data'];

/**
 * @example
 * const { job, stepNumber } = await verifyReport(octokit, report, { sentAt, reportWindowSeconds: 600 });
 * // throws ReportVerificationError with a reason
 */
export async function verifyReport(
  octokit: AnalyzerOctokit,
  report: FailureReport,
  options: VerifyReportOptions,
): Promise<VerifiedReport> {
  const [owner, repo] = splitRepo(report.repo);
  const run = await getRunAttempt(octokit, owner, repo, report);
  if (run.repository.full_name.toLowerCase() !== report.repo.toLowerCase()) {
    throw new ReportVerificationError(
      `run ${report.runId} belongs to ${run.repository.full_name}, not ${report.repo}`,
      'wrong-repository',
    );
  }
  if (run.run_attempt !== undefined && run.run_attempt !== report.runAttempt) {
    throw new ReportVerificationError(
      `run ${report.runId} answered with attempt ${run.run_attempt}, the report says ${report.runAttempt}`,
      'wrong-attempt',
    );
  }
  // Independent questions, asked together: the analysis waits for both.
  const [{ mergeCommitSha, ...context }, jobs] = await Promise.all([
    resolveTrustContext(octokit, run, report.prNumber),
    octokit.paginate(octokit.rest.actions.listJobsForWorkflowRunAttempt, {
      owner,
      repo,
      run_id: report.runId,
      attempt_number: report.runAttempt,
      per_page: 100,
    }),
  ]);
  // On pull_request events `GITHUB_SHA` is the PR's merge commit, not the run's head SHA.
  if (run.head_sha !== report.sha && mergeCommitSha !== report.sha) {
    throw new ReportVerificationError(
      `run ${report.runId} is on ${run.head_sha}, the report says ${report.sha}`,
      'wrong-sha',
    );
  }
  const job = failingJobOn(jobs, report, options);
  return {
    stepNumber: failingStepOf(job, options.sentAt),
    job: {
      ...context,
      repo: run.repository.full_name,
      runId: run.id,
      runAttempt: run.run_attempt ?? report.runAttempt,
      jobId: job.id,
      jobName: job.name,
      jobUrl:
        job.html_url ?? `https://github.com/${run.repository.full_name}/actions/runs/${run.id}/job/${job.id}`,
      headSha: run.head_sha,
      sentAt: options.sentAt.toISOString(),
      ...(run.name ? { workflow: run.name } : {}),
    },
  };
}

/** The job of the attempt that ran on the report's runner, if it is running or failed within the window. */
function failingJobOn(jobs: readonly Job[], report: FailureReport, options: VerifyReportOptions): Job {
  const candidates = jobs.filter((job) => job.runner_name === report.runnerName);
  const job =
    candidates.find((candidate) => candidate.status === 'in_progress') ??
    candidates.find((candidate) => candidate.conclusion === 'failure') ??
    candidates[0];
  if (!job) {
    throw new ReportVerificationError(
      `no job of run ${report.runId} attempt ${report.runAttempt} ran on runner ${report.runnerName}`,
      'no-job-for-runner',
    );
  }
  // An operator's canary measures the pipeline on a run that has ended; it posts nothing and binds no job step.
  if (report.canary) return job;
  const sentAt = options.sentAt.getTime();
  const startedAt = Date.parse(job.started_at);
  if ((job.status !== 'in_progress' && job.status !== 'completed') || sentAt < startedAt - CLOCK_SKEW_MS) {
    throw new ReportVerificationError(
      `job ${job.id} was not running when the report was sent (status ${job.status})`,
      'job-not-running',
    );
  }
  if (job.status === 'completed') {
    if (job.conclusion !== 'failure') {
      throw new ReportVerificationError(
        `job ${job.id} completed with ${job.conclusion ?? 'no conclusion'}, not a failure`,
        'job-not-failed',
      );
    }
    const endedAt = job.completed_at ? Date.parse(job.completed_at) : Number.NaN;
    if (Number.isFinite(endedAt) && sentAt > endedAt + options.reportWindowSeconds * 1000) {
      throw new ReportVerificationError(
        `the report was sent ${Math.round((sentAt - endedAt) / 1000)} s after job ${job.id} ended (window ${options.reportWindowSeconds} s)`,
        'report-after-job',
      );
    }
  }
  return job;
}

/**
 * The step that was running or had failed when the report was sent: of the running and failed steps, the last one
 * to start by then. A job that goes on after a failure (`continue-on-error`, `if: always()`) has later steps running
 * by the time the analyzer asks, so "the step in progress now" would be the wrong one.
 */
function failingStepOf(job: Job, sentAt: Date): number | undefined {
  const latest = sentAt.getTime() + CLOCK_SKEW_MS;
  const eligible = (job.steps ?? []).filter(
    (step) =>
      (step.status === 'in_progress' || step.conclusion === 'failure') &&
      (!step.started_at || Date.parse(step.started_at) <= latest),
  );
  const startOf = (step: (typeof eligible)[number]) => (step.started_at ? Date.parse(step.started_at) : 0);
  return eligible.reduce<(typeof eligible)[number] | undefined>(
    (best, step) => (best === undefined || startOf(step) >= startOf(best) ? step : best),
    undefined,
  )?.number;
}

async function getRunAttempt(
  octokit: AnalyzerOctokit,
  owner: string,
  repo: string,
  report: FailureReport,
): Promise<Run> {
  try {
    const { data } = await octokit.rest.actions.getWorkflowRunAttempt({
      owner,
      repo,
      run_id: report.runId,
      attempt_number: report.runAttempt,
    });
    return data;
  } catch (error) {
    if (httpStatusOf(error) !== 404) throw error;
  }
  const runExists = await octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: report.runId }).then(
    () => true,
    (error: unknown) => {
      if (httpStatusOf(error) === 404) return false;
      throw error;
    },
  );
  throw runExists
    ? new ReportVerificationError(`run ${report.runId} has no attempt ${report.runAttempt}`, 'wrong-attempt')
    : new ReportVerificationError(`run ${report.runId} does not exist in ${report.repo}`, 'unknown-run');
}
