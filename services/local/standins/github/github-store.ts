/** In-memory state of the GitHub stand-in: seeded repositories, runs and pull requests, and what was posted. */
import { createHash } from 'node:crypto';
import type { RecordedCheckRun, RepoPermission, RunStatus, SeedJob, SeedRun } from './github-types';

export interface RepoState {
  readonly fullName: string;
  readonly owner: string;
  readonly name: string;
  readonly id: number;
  readonly installationId: number;
  /** SHAs check runs may be created on, as GitHub only accepts commits of the repository. */
  readonly commits: Set<string>;
  readonly defaultBranch: string;
  /** Branches of the repository itself (heads of its non-fork runs, and the default branch). */
  readonly branches: Set<string>;
  readonly protectedBranches: Set<string>;
  /** Lower-cased login → permission. */
  readonly collaborators: Map<string, RepoPermission>;
}

/** A repository GitHub knows only by name here: a fork that a PR comes from. */
export type RepoName = Pick<RepoState, 'fullName' | 'owner' | 'name' | 'id'>;

export interface RunAttemptState {
  readonly repo: RepoState;
  readonly runId: number;
  readonly attempt: number;
  readonly headSha: string;
  readonly headBranch: string;
  readonly event: string;
  readonly prNumber: number | undefined;
  readonly headRepo: RepoName;
  readonly actor: string;
  readonly workflowName: string;
  readonly status: RunStatus;
  readonly conclusion: string | null;
  readonly jobs: readonly SeedJob[];
  readonly createdAt: string;
}

export interface PullState {
  readonly repo: RepoState;
  readonly number: number;
  readonly headSha: string;
  readonly headBranch: string;
  readonly headRepo: RepoName;
  readonly mergeCommitSha: string;
  readonly author: string;
  readonly authorAssociation: string;
}

export class GitHubSeedError extends Error {
  override readonly name = 'GitHubSeedError';
}

export class GitHubStore {
  readonly #repos = new Map<string, RepoState>();
  /** Keyed by `repo#runId`; attempts in order. */
  readonly #runs = new Map<string, RunAttemptState[]>();
  readonly #pulls = new Map<string, PullState>();
  readonly #checkRuns = new Map<number, RecordedCheckRun>();
  readonly #installationIds = new Set<number>();
  readonly #installationPermissions = new Map<number, Readonly<Record<string, string>>>();
  #nextCheckRunId = 1;

  constructor(private readonly defaultInstallationId: number) {}

  addRun(seed: SeedRun): RunAttemptState {
    const repo = this.#ensureRepo(seed.repo, seed.installationId ?? this.defaultInstallationId);
    if (seed.installationPermissions) {
      this.#installationPermissions.set(repo.installationId, seed.installationPermissions);
    }
    for (const [login, permission] of Object.entries(seed.collaborators ?? {})) {
      repo.collaborators.set(login.toLowerCase(), permission);
    }
    for (const branch of seed.protectedBranches ?? []) repo.protectedBranches.add(branch);
    const headRepo = seed.headRepo && seed.headRepo !== repo.fullName ? repoName(seed.headRepo) : repo;
    const attempt: RunAttemptState = {
      repo,
      runId: seed.runId,
      attempt: seed.runAttempt ?? 1,
      headSha: seed.headSha,
      headBranch: seed.headBranch ?? 'main',
      event: seed.event ?? (seed.prNumber === undefined ? 'push' : 'pull_request'),
      prNumber: seed.prNumber,
      headRepo,
      actor: seed.actor ?? 'octocat',
      workflowName: seed.workflowName ?? 'CI',
      status: seed.status ?? 'in_progress',
      conclusion: seed.conclusion ?? null,
      jobs: seed.jobs ?? [],
      createdAt: new Date().toISOString(),
    };
    const key = runKey(repo.fullName, seed.runId);
    const attempts = (this.#runs.get(key) ?? []).filter((existing) => existing.attempt !== attempt.attempt);
    attempts.push(attempt);
    attempts.sort((a, b) => a.attempt - b.attempt);
    this.#runs.set(key, attempts);
    repo.commits.add(seed.headSha);
    if (headRepo === repo) repo.branches.add(attempt.headBranch);
    if (seed.prNumber !== undefined) {
      const mergeCommitSha = seed.mergeCommitSha ?? derivedSha(`merge:${seed.headSha}`);
      repo.commits.add(mergeCommitSha);
      this.#pulls.set(runKey(repo.fullName, seed.prNumber), {
        repo,
        number: seed.prNumber,
        headSha: seed.headSha,
        headBranch: attempt.headBranch,
        headRepo,
        mergeCommitSha,
        author: seed.prAuthor ?? 'octocat',
        authorAssociation: seed.authorAssociation ?? 'CONTRIBUTOR',
      });
    }
    return attempt;
  }

  repo(owner: string, name: string): RepoState | undefined {
    return this.#repos.get(`${owner}/${name}`.toLowerCase());
  }

  /** The given attempt, or the latest one (what `GET /actions/runs/{id}` shows). */
  run(repo: RepoState, runId: number, attempt?: number): RunAttemptState | undefined {
    const attempts = this.#runs.get(runKey(repo.fullName, runId)) ?? [];
    return attempt === undefined ? attempts.at(-1) : attempts.find((found) => found.attempt === attempt);
  }

  pull(repo: RepoState, number: number): PullState | undefined {
    return this.#pulls.get(runKey(repo.fullName, number));
  }

  hasInstallation(id: number): boolean {
    return this.#installationIds.has(id);
  }

  /** What a seed granted the installation; undefined means the default grant. */
  installationPermissions(id: number): Readonly<Record<string, string>> | undefined {
    return this.#installationPermissions.get(id);
  }

  nextCheckRunId(): number {
    const id = this.#nextCheckRunId;
    this.#nextCheckRunId += 1;
    return id;
  }

  saveCheckRun(checkRun: RecordedCheckRun): void {
    this.#checkRuns.set(checkRun.id, checkRun);
  }

  checkRun(repo: RepoState, id: number): RecordedCheckRun | undefined {
    const found = this.#checkRuns.get(id);
    return found && found.repo.toLowerCase() === repo.fullName.toLowerCase() ? found : undefined;
  }

  checkRuns(): RecordedCheckRun[] {
    return [...this.#checkRuns.values()];
  }

  clearCheckRuns(): void {
    this.#checkRuns.clear();
  }

  #ensureRepo(fullName: string, installationId: number): RepoState {
    const [owner, name, ...rest] = fullName.split('/');
    if (!owner || !name || rest.length > 0)
      throw new GitHubSeedError(`repo must be owner/name, got ${fullName}`);
    const key = fullName.toLowerCase();
    let repo = this.#repos.get(key);
    if (!repo) {
      repo = {
        fullName,
        owner,
        name,
        id: this.#repos.size + 1000,
        installationId,
        commits: new Set(),
        defaultBranch: 'main',
        branches: new Set(['main']),
        protectedBranches: new Set(),
        collaborators: new Map(),
      };
      this.#repos.set(key, repo);
    }
    this.#installationIds.add(repo.installationId);
    return repo;
  }
}

function runKey(repo: string, id: number): string {
  return `${repo.toLowerCase()}#${id}`;
}

function derivedSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

function repoName(fullName: string): RepoName {
  const [owner = '', name = ''] = fullName.split('/');
  // A stable id per name, distinct from seeded repositories' (which count up from 1000).
  const id = Number.parseInt(createHash('sha256').update(fullName).digest('hex').slice(0, 8), 16) + 1_000_000;
  return { fullName, owner, name, id };
}
