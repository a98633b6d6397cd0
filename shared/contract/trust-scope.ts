/**
 * Trust scopes of reused answers, modelled on GitHub Actions' cache scoping (a branch restores its own caches and the
 * default branch's, never a sibling's). An answer made in a trusted context (a push to the default or a protected
 * branch, a PR whose author has write access) serves the whole repository; one made in an untrusted context (a PR from
 * someone without write access, a push to an unprotected branch) serves only that PR or branch. Whether a job is
 * trusted is decided by the analyzer from GitHub, never from the report body; this module only names the scopes.
 */

/** `repo`: trusted, shared by the repository; `pr:<N>`: one untrusted PR; `ref:<ref>`: one untrusted branch. */
export type TrustScope = 'repo' | `pr:${number}` | `ref:${string}`;

export const REPOSITORY_SCOPE: TrustScope = 'repo';

/** What GitHub confirmed about a job that decides its scope (a subset of the analyzer's VerifiedJob). */
export interface ScopedJob {
  readonly trusted: boolean;
  readonly ref: string;
  readonly prNumber?: number | undefined;
}

/**
 * The scope an answer made by this job is stored under.
 *
 * @example
 * trustScopeOf({ trusted: false, ref: 'refs/pull/12/merge', prNumber: 12 }); // 'pr:12'
 */
export function trustScopeOf(job: ScopedJob): TrustScope {
  if (job.trusted) return REPOSITORY_SCOPE;
  if (job.prNumber !== undefined) return `pr:${job.prNumber}`;
  return `ref:${job.ref}`;
}

/**
 * The scopes this job may reuse answers from, best first: the repository's trusted answers, then its own scope's.
 * A trusted job reuses only trusted answers, so a signature known only from untrusted PRs gets its own analysis.
 */
export function reuseScopesOf(job: ScopedJob): readonly TrustScope[] {
  const own = trustScopeOf(job);
  return own === REPOSITORY_SCOPE ? [REPOSITORY_SCOPE] : [REPOSITORY_SCOPE, own];
}
