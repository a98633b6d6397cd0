/** Seeding, recording and fault-injection types of the local GitHub API stand-in. */

export type RunStatus = 'queued' | 'in_progress' | 'completed';

export interface SeedStep {
  readonly name: string;
  readonly number: number;
  readonly status?: RunStatus;
  readonly conclusion?: string | null;
  /** ISO time; the run's creation time by default. */
  readonly startedAt?: string;
}

export interface SeedJob {
  readonly id: number;
  readonly name: string;
  readonly runnerName: string;
  /** `in_progress` by default: the analyzer runs while the failed job is still going. */
  readonly status?: RunStatus;
  readonly conclusion?: string | null;
  readonly steps?: readonly SeedStep[];
  readonly labels?: readonly string[];
  /** ISO times; the run's creation time by default (`completedAt` only for a completed job). */
  readonly startedAt?: string;
  readonly completedAt?: string;
}

/** A repository permission as GitHub's permission API names it. */
export type RepoPermission = 'admin' | 'maintain' | 'write' | 'triage' | 'read';

export interface SeedRun {
  /** `owner/name`. */
  readonly repo: string;
  readonly runId: number;
  readonly runAttempt?: number;
  readonly headSha: string;
  readonly headBranch?: string;
  readonly event?: string;
  readonly prNumber?: number;
  /** The PR's merge commit (what `GITHUB_SHA` is on `pull_request` events); derived from the head SHA if absent. */
  readonly mergeCommitSha?: string;
  readonly workflowName?: string;
  readonly status?: RunStatus;
  readonly conclusion?: string | null;
  readonly jobs?: readonly SeedJob[];
  /** The GitHub App installation that covers the repository. */
  readonly installationId?: number;
  /** What that installation was granted (its tokens carry these); checks:write and the reads the analyzer needs if absent. */
  readonly installationPermissions?: Readonly<Record<string, 'read' | 'write'>>;
  /** Who opened the run's PR (`octocat` by default) and GitHub's `author_association` for them (`CONTRIBUTOR`). */
  readonly prAuthor?: string;
  readonly authorAssociation?: string;
  /**
   * `owner/name` of the PR's head repository: a fork when it differs from `repo` (the default is `repo`). GitHub
   * lists no `pull_requests` on a run from a fork, and neither does the stand-in.
   */
  readonly headRepo?: string;
  /** Who triggered the run (`octocat` by default). */
  readonly actor?: string;
  /** Collaborators of `repo` and their permission; anyone else has `read` (a public repository). */
  readonly collaborators?: Readonly<Record<string, RepoPermission>>;
  /** Protected branches of `repo` (its default branch is `main`). */
  readonly protectedBranches?: readonly string[];
}

export interface CheckRunAnnotation {
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly start_column?: number;
  readonly end_column?: number;
  readonly annotation_level: 'notice' | 'warning' | 'failure';
  readonly message: string;
  readonly title?: string;
  readonly raw_details?: string;
}

/** A check run as it stands after every create and update it received. */
export interface RecordedCheckRun {
  readonly id: number;
  readonly repo: string;
  readonly name: string;
  readonly head_sha: string;
  readonly status: RunStatus;
  readonly conclusion: string | null;
  readonly started_at: string;
  readonly completed_at: string | null;
  readonly external_id: string | null;
  readonly details_url: string | null;
  readonly output: {
    readonly title: string | null;
    readonly summary: string | null;
    readonly text: string | null;
    /** Accumulated over the create and every update, as GitHub appends them. */
    readonly annotations: readonly CheckRunAnnotation[];
  };
  /** Number of successful PATCHes. */
  readonly updates: number;
}

export type AuthKind = 'none' | 'jwt' | 'token';

export interface RecordedRequest {
  /** When the request reached the stand-in (epoch ms): tests compare arrivals instead of timing round trips. */
  readonly receivedAt: number;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly operationId: string | undefined;
  readonly auth: AuthKind;
  /** True when `failNext` answered instead of the API. */
  readonly injected: boolean;
}

export interface SchemaViolation {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly issues: ReadonlyArray<{ readonly path: string; readonly message: string }>;
  readonly body: unknown;
}

export interface GitHubFault {
  /** Any method when absent. */
  readonly method?: string;
  /** Request path, no query. In a string, `*` matches within one segment and `**` across segments. */
  readonly pathPattern: string | RegExp;
  readonly status: number;
  /** How many matching requests fail; 1 by default. */
  readonly times?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON body; a GitHub-like message for the status by default. */
  readonly body?: unknown;
}
