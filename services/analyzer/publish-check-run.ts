/**
 * Posts the analysis as the `OSDC failure analysis` check run on the head SHA, once per report: the first delivery
 * creates it (with `external_id` = the job and step the report is bound to, never the sender's id), any later one updates the same check run.
 */
import { CHECK_RUN_NAME } from '../../shared/contract/constants';
import type { RenderedCheckRun } from '../../shared/render/render-check-run';
import { type AnalyzerOctokit, httpStatusOf } from './analyzer-octokit';

export interface PublishCheckRunInput {
  readonly repo: string;
  readonly headSha: string;
  /** `<jobId>/<step>`: one check run per bound job step. */
  readonly externalId: string;
  readonly detailsUrl: string | undefined;
  readonly rendered: RenderedCheckRun;
  /** Stored by an earlier delivery: update it. */
  readonly checkRunId: number | undefined;
  /**
   * An earlier delivery may have created the check run and died before storing its id: look for it by
   * `external_id` before creating one.
   */
  readonly mayExist: boolean;
}

export interface PublishedCheckRun {
  readonly id: number;
  readonly url: string;
}

export async function publishCheckRun(
  octokit: AnalyzerOctokit,
  input: PublishCheckRunInput,
): Promise<PublishedCheckRun> {
  const [owner = '', repo = ''] = input.repo.split('/');
  const output = {
    title: input.rendered.title,
    summary: input.rendered.summary,
    annotations: [...input.rendered.annotations],
  };
  const existingId =
    input.checkRunId ?? (input.mayExist ? await findCheckRun(octokit, owner, repo, input) : undefined);
  if (existingId !== undefined) {
    const { data } = await octokit.rest.checks.update({
      owner,
      repo,
      check_run_id: existingId,
      status: 'completed',
      conclusion: 'neutral',
      output,
      ...(input.detailsUrl ? { details_url: input.detailsUrl } : {}),
    });
    return { id: data.id, url: data.html_url ?? '' };
  }
  const { data } = await octokit.rest.checks.create({
    owner,
    repo,
    name: CHECK_RUN_NAME,
    head_sha: input.headSha,
    external_id: input.externalId,
    status: 'completed',
    conclusion: 'neutral',
    completed_at: new Date().toISOString(),
    output,
    ...(input.detailsUrl ? { details_url: input.detailsUrl } : {}),
  });
  return { id: data.id, url: data.html_url ?? '' };
}

async function findCheckRun(
  octokit: AnalyzerOctokit,
  owner: string,
  repo: string,
  input: PublishCheckRunInput,
): Promise<number | undefined> {
  try {
    const runs = await octokit.paginate(octokit.rest.checks.listForRef, {
      owner,
      repo,
      ref: input.headSha,
      check_name: CHECK_RUN_NAME,
      filter: 'all',
      per_page: 100,
    });
    return runs.find((run) => run.external_id === input.externalId)?.id;
  } catch (error) {
    // No check runs on that commit yet (or none visible): create one.
    if (httpStatusOf(error) === 404) return undefined;
    throw error;
  }
}
