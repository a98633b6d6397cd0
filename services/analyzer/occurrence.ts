/** One failure occurrence as the State table records it, and the facts about its signature that a check run shows. */
import type { AnalysisRecord, Category, SignatureStrength } from '../../shared/contract/analysis';

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

/** What a check run says about a signature's history: "seen N times in 7 days; on main: yes; on M PRs". */
export interface SignatureFacts {
  readonly total: number;
  readonly seenLast7d: number;
  /** Seen on the trunk within the last 7 days. */
  readonly onMain: boolean;
  /** Distinct PRs the signature was seen on, this one included (saturates at {@link PR_SET_CAP}). */
  readonly prCount: number;
  /** Up to {@link FACTS_PR_LIMIT} of those PRs as `owner/name#N`, sorted. */
  readonly prs: readonly string[];
}

/** A flaky test can hit thousands of PRs; the summary item must stay far below DynamoDB's 400 KB item limit. */
export const PR_SET_CAP = 500;
export const FACTS_PR_LIMIT = 20;
