/**
 * The facts of a real workflow run that a canary report must carry to pass the analyzer's verification: the run's
 * head commit and the name of a runner one of its jobs ran on. The canary reads them from GitHub, as the analyzer
 * will, so the operator only names the run.
 */
import type { Octokit } from '@octokit/rest';

export interface CanaryRun {
  readonly repo: string;
  readonly runId: number;
  readonly runAttempt: number;
  readonly headSha: string;
  readonly runnerName: string;
  readonly workflow: string | undefined;
}

export class CanaryRunError extends Error {
  override readonly name = 'CanaryRunError';
}

export async function lookUpRun(
  octokit: Octokit,
  target: { readonly repo: string; readonly runId: number; readonly runAttempt: number },
): Promise<CanaryRun> {
  const [owner = '', repo = ''] = target.repo.split('/');
  const run = await octokit.rest.actions
    .getWorkflowRunAttempt({ owner, repo, run_id: target.runId, attempt_number: target.runAttempt })
    .catch((cause: unknown) => {
      throw new CanaryRunError(
        `run ${target.runId} attempt ${target.runAttempt} of ${target.repo} not found`,
        {
          cause,
        },
      );
    });
  const { data } = await octokit.rest.actions.listJobsForWorkflowRunAttempt({
    owner,
    repo,
    run_id: target.runId,
    attempt_number: target.runAttempt,
    per_page: 100,
  });
  const runnerName = data.jobs.find((job) => job.runner_name)?.runner_name;
  if (!runnerName) {
    throw new CanaryRunError(
      `no job of run ${target.runId} in ${target.repo} names its runner; pick a run that ran`,
    );
  }
  return { ...target, headSha: run.data.head_sha, runnerName, workflow: run.data.name ?? undefined };
}
