/** What GitHub confirmed about the job a report belongs to; the only identity the analyzer acts on. */
export interface VerifiedJob {
  readonly repo: string; // owner/name, from the run
  readonly runId: number;
  readonly runAttempt: number;
  readonly jobId: number;
  readonly jobName: string;
  readonly jobUrl: string;
  readonly headSha: string;
  readonly ref: string; // e.g. refs/heads/main or refs/pull/N/merge, from the run (head_branch / event)
  readonly event: string; // from the run
  readonly prNumber?: number; // from the run's pull_requests / the PR lookup
  readonly prAuthor?: string; // login, from the PR
  readonly authorAssociation?: string; // from the PR (OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, …)
  readonly headRepo?: string; // the PR head's repository full_name (fork when ≠ repo)
  readonly trusted: boolean; // push to default/protected branch, or PR whose author has write access
  readonly sentAt: string; // ISO time from SQS SentTimestamp, never the body
  readonly workflow?: string; // the run's workflow name, from the run
  readonly actor?: string; // login of whoever triggered the run, from the run (the author of a push)
}
