/**
 * One failure occurrence as the State table records it, and the facts about its signature that a check run shows.
 * Both are shared facts: where the job ran comes from GitHub and its time from SQS, never from the report body.
 */
import type { AnalysisRecord, Category, SignatureStrength } from '../../shared/contract/analysis';

/** One failed job, as GitHub confirmed it (ref, PR, author, commit) and as SQS timed it (`at`). */
export interface Occurrence {
  readonly reportId: string;
  readonly signature: string;
  readonly strength: SignatureStrength;
  readonly rule: string;
  readonly category: Category;
  readonly isInfra: boolean;
  /** The analysis as shown, already sanitised. */
  readonly record: AnalysisRecord;
  readonly repo: string;
  readonly ref?: string;
  readonly prNumber?: number;
  /** The PR's author, from GitHub. */
  readonly prAuthor?: string;
  /** The job ran in a trusted context (see VerifiedJob.trusted). */
  readonly trusted: boolean;
  readonly workflow?: string;
  readonly job: string;
  readonly jobId?: number;
  /** Link to the job log, at the failing line when known. */
  readonly jobUrl?: string;
  readonly runId: number;
  readonly runAttempt: number;
  readonly sha: string;
  readonly at: Date;
}

/**
 * What a check run says about a signature's history: "seen N times in 7 days; on main: yes; on PRs by M other
 * authors", as the reading job is told them (signature-facts.ts).
 */
export interface SignatureFacts {
  readonly total: number;
  readonly seenLast7d: number;
  /** Seen on the trunk, from a trusted push, within the last 7 days. */
  readonly onMain: boolean;
  /** Distinct PRs the signature was seen on, this one included (saturates at {@link PR_SET_CAP}). */
  readonly prCount: number;
  /** Up to {@link FACTS_PR_LIMIT} of those PRs as `owner/name#N`, sorted. */
  readonly prs: readonly string[];
  /** Distinct authors, other than the reading job's PR author, of the other PRs it was seen on. */
  readonly otherPrAuthors: number;
}

/** A flaky test can hit thousands of PRs; the summary item must stay far below DynamoDB's 400 KB item limit. */
export const PR_SET_CAP = 500;
export const FACTS_PR_LIMIT = 20;
