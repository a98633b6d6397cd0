/**
 * Checks a report against GitHub before anything is posted: anyone who can reach the queue (or forge a runner's
 * environment) could otherwise make the analyzer post on any commit. The run attempt must exist in the reported
 * repository with the reported commit, and a job of that attempt must have run on the reported runner.
 */
import type { FailureReport } from '../../shared/contract/failure-report';
import { type AnalyzerOctokit, httpStatusOf } from './analyzer-octokit';
import { ReportVerificationError } from './errors';

export interface VerifiedReport {
  /** The commit check runs go on: the run's head SHA. */
  readonly headSha: string;
  readonly jobId: number;
  /** The job's page, e.g. `https://github.com/o/r/actions/runs/1/job/2`. */
  readonly jobUrl: string;
  /**
   * GitHub's number of the failing step (the one still running or already failed), for `#step:<n>:<line>` links;
   * the wrapper's own step count misses action steps, so GitHub's number wins when there is one.
   */
  readonly stepNumber: number | undefined;
}

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);

/**
 * @example
 * const { headSha, jobId, jobUrl } = await verifyReport(octokit, report); // throws ReportVerificationError
 */
export async function verifyReport(octokit: AnalyzerOctokit, report: FailureReport): Promise<VerifiedReport> {
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
  if (run.head_sha !== report.sha && !(await isMergeCommitOf(octokit, owner, repo, report, run.event))) {
    throw new ReportVerificationError(
      `run ${report.runId} is on ${run.head_sha}, the report says ${report.sha}`,
      'wrong-sha',
    );
  }

  const jobs = await octokit.paginate(octokit.rest.actions.listJobsForWorkflowRunAttempt, {
    owner,
    repo,
    run_id: report.runId,
    attempt_number: report.runAttempt,
    per_page: 100,
  });
  const candidates = jobs.filter((job) => job.runner_name === report.runnerName);
  const job = candidates.find((candidate) => candidate.status === 'in_progress') ?? candidates.at(-1);
  if (!job) {
    throw new ReportVerificationError(
      `no job of run ${report.runId} attempt ${report.runAttempt} ran on runner ${report.runnerName}`,
      'no-job-for-runner',
    );
  }
  const steps = job.steps ?? [];
  const failingStep =
    steps.find((step) => step.status === 'in_progress') ??
    steps.find((step) => step.conclusion === 'failure');
  return {
    headSha: run.head_sha,
    stepNumber: failingStep?.number,
    jobId: job.id,
    jobUrl: job.html_url ?? `https://github.com/${report.repo}/actions/runs/${report.runId}/job/${job.id}`,
  };
}

async function getRunAttempt(octokit: AnalyzerOctokit, owner: string, repo: string, report: FailureReport) {
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

/** On pull_request events `GITHUB_SHA` is the PR's merge commit, not the run's head SHA. */
async function isMergeCommitOf(
  octokit: AnalyzerOctokit,
  owner: string,
  repo: string,
  report: FailureReport,
  event: string,
): Promise<boolean> {
  if (report.prNumber === undefined || !PULL_REQUEST_EVENTS.has(event)) return false;
  try {
    const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: report.prNumber });
    return data.merge_commit_sha === report.sha;
  } catch (error) {
    if (httpStatusOf(error) === 404) return false;
    throw error;
  }
}

function splitRepo(fullName: string): [string, string] {
  const [owner = '', repo = ''] = fullName.split('/');
  return [owner, repo];
}
