/**
 * The dedup facts of a signature ("seen N times; on main; on PRs by M other authors"), read from its summary item in
 * the State table. They are shared facts: every PR failing the same way is told them, so they count only what GitHub
 * confirmed (the job's ref, PR and author, never the report body), "on main" only from trusted pushes, and other PRs
 * only by distinct authors other than the reader's own (PyTorch's Dr. CI counts a similar failure only from a
 * different commit and a different author: one author opening PRs #11–#14 is one witness, not four).
 */
import { type BranchKind, branchKindOf } from '../../shared/contract/keys';
import { distinctPrAuthors, type WitnessExclusion } from '../../shared/contract/pr-witness';
import { countInWindow } from '../../shared/contract/window-counts';
import { FACTS_PR_LIMIT, type SignatureFacts } from './occurrence';
import { bucketsOf, DAY_MS, numberOf, type StateItem } from './state-item';

/** The job the facts are told to: its own PR and author do not count as other witnesses. */
export type FactsReader = WitnessExclusion;

/**
 * Where a job ran, as far as GitHub vouches for it: `main` only for a trusted job (a push to the default or a
 * protected branch) on the trunk, so a fork naming its branch `main` is a PR or a branch, never the trunk.
 */
export function verifiedBranchKind(job: {
  readonly trusted: boolean;
  readonly ref?: string | undefined;
  readonly prNumber?: number | undefined;
}): BranchKind {
  const kind = branchKindOf(job.ref, job.prNumber);
  return kind === 'main' && !job.trusted ? 'branch' : kind;
}

/** The facts of a summary item as `reader` should be told them. */
export function factsOf(summary: StateItem, now: Date, reader?: FactsReader): SignatureFacts {
  const buckets = bucketsOf(summary);
  const prs = [...(summary.prs?.SS ?? [])].sort();
  const lastOnMain = summary.lastSeenOnMainAt?.S;
  return {
    total: numberOf(summary.total),
    seenLast7d: countInWindow(buckets, '7d', now),
    onMain: lastOnMain !== undefined && now.getTime() - Date.parse(lastOnMain) <= 7 * DAY_MS,
    prCount: prs.length,
    prs: prs.slice(0, FACTS_PR_LIMIT),
    otherPrAuthors: distinctPrAuthors(summary.prAuthors?.SS ?? [], reader),
  };
}
