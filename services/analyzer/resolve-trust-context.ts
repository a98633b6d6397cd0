/**
 * Where a verified run comes from and whether its answers may be trusted beyond it, from GitHub's records only:
 * the run's event and branch, the PR that GitHub links to the run (or the PR the report names, if GitHub confirms
 * that it is this run's PR), its author and whether that author has write access. A fork can name its branch `main`
 * and its job like a trunk job; none of that reaches this function.
 *
 * Trusted, as GitHub Actions scopes caches: a push (or schedule, dispatch…) to the default or a protected branch of
 * the repository itself, or a PR whose author has write access. Everything else is untrusted.
 */
import { type AnalyzerOctokit, httpStatusOf } from './analyzer-octokit';
import { ReportVerificationError } from './errors';
import { splitRepo } from './split-repo';
import type { VerifiedJob } from './verified-job';

export type TrustContext = Pick<
  VerifiedJob,
  'ref' | 'event' | 'prNumber' | 'prAuthor' | 'authorAssociation' | 'headRepo' | 'trusted' | 'actor'
> & {
  /** The PR's merge commit (what `GITHUB_SHA` is on pull_request events); not part of the verified job. */
  readonly mergeCommitSha?: string | undefined;
};

type Run = Awaited<ReturnType<AnalyzerOctokit['rest']['actions']['getWorkflowRunAttempt']>>['data'];

const WRITE_PERMISSIONS = new Set(['admin', 'maintain', 'write']);

/**
 * @param claimedPrNumber the PR number the report names; used only when GitHub lists no PR on the run (it lists
 * none for PRs from forks) and only if that PR's head is this run's head.
 */
export async function resolveTrustContext(
  octokit: AnalyzerOctokit,
  run: Run,
  claimedPrNumber: number | undefined,
): Promise<TrustContext> {
  const [owner, repo] = splitRepo(run.repository.full_name);
  const actor = run.triggering_actor?.login ?? run.actor?.login;
  const base = { event: run.event, ...(actor ? { actor } : {}) };
  if (!run.event.startsWith('pull_request')) {
    const branch = run.head_branch ?? '';
    const ownRepository =
      (run.head_repository?.full_name ?? run.repository.full_name) === run.repository.full_name;
    return {
      ...base,
      ref: `refs/heads/${branch}`,
      trusted: ownRepository && branch !== '' && (await isDefaultOrProtected(octokit, owner, repo, branch)),
    };
  }

  const linked = run.pull_requests?.find((pull) => pull.head.sha === run.head_sha) ?? run.pull_requests?.[0];
  const number = linked?.number ?? claimedPrNumber;
  if (number === undefined) {
    throw new ReportVerificationError(
      `run ${run.id} is a ${run.event} run, but GitHub links no PR to it and the report names none`,
      'unverified-pull-request',
    );
  }
  const pull = await getPull(octokit, owner, repo, number);
  const sameHead =
    pull !== undefined &&
    pull.base.repo.full_name === run.repository.full_name &&
    (pull.head.sha === run.head_sha ||
      (pull.head.ref === run.head_branch && pull.head.repo?.full_name === run.head_repository?.full_name));
  if (!pull || !sameHead) {
    throw new ReportVerificationError(
      `PR #${number} is not the PR of run ${run.id}`,
      'unverified-pull-request',
    );
  }
  const author = pull.user.login;
  return {
    ...base,
    ref: `refs/pull/${number}/merge`,
    prNumber: number,
    prAuthor: author,
    authorAssociation: pull.author_association,
    // A deleted fork has no repository any more: certainly not this one.
    headRepo: pull.head.repo?.full_name ?? '(deleted fork)',
    trusted: await hasWriteAccess(octokit, owner, repo, author, pull.author_association),
    mergeCommitSha: pull.merge_commit_sha ?? undefined,
  };
}

async function getPull(octokit: AnalyzerOctokit, owner: string, repo: string, number: number) {
  try {
    return (await octokit.rest.pulls.get({ owner, repo, pull_number: number })).data;
  } catch (error) {
    if (httpStatusOf(error) === 404) return undefined;
    throw error;
  }
}

/** GitHub's permission API is authoritative; `author_association` alone says MEMBER for org members without write. */
async function hasWriteAccess(
  octokit: AnalyzerOctokit,
  owner: string,
  repo: string,
  login: string,
  association: string,
): Promise<boolean> {
  if (association === 'OWNER') return true;
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
      owner,
      repo,
      username: login,
    });
    return WRITE_PERMISSIONS.has(data.permission) || WRITE_PERMISSIONS.has(data.role_name);
  } catch (error) {
    // Not a collaborator (404), or the App may not ask (403): not trusted. Failing closed costs reuse, not safety.
    const status = httpStatusOf(error);
    if (status === 404 || status === 403) return false;
    throw error;
  }
}

async function isDefaultOrProtected(
  octokit: AnalyzerOctokit,
  owner: string,
  repo: string,
  branch: string,
): Promise<boolean> {
  const { data: repository } = await octokit.rest.repos.get({ owner, repo });
  if (repository.default_branch === branch) return true;
  try {
    return (await octokit.rest.repos.getBranch({ owner, repo, branch })).data.protected;
  } catch (error) {
    const status = httpStatusOf(error);
    if (status === 404 || status === 403) return false;
    throw error;
  }
}
