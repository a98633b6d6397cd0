/**
 * Item keys and time buckets of the DynamoDB tables (see docs/data-model.md). Pure functions, so the reporter, the
 * analyzer and the dashboard agree on keys without sharing any SDK code.
 */
import { PROMPT_VERSION } from './constants';
import type { TrustScope } from './trust-scope';

/**
 * Results table: the analyzer's per-report item (idempotency state, the verified job), keyed by the digest of the
 * report's secret (shared/contract/result-key.ts), never by the id the sender chose. Runner pods cannot read it.
 */
export function reportKey(reportDigest: string): string {
  return `report#${reportDigest}`;
}

/** Results table: which report a job's step is bound to (the first one verified for it). */
export function bindingKey(jobId: number, step: string): string {
  return `bind#${jobId}#${step}`;
}

/**
 * Results table: the cached analysis of a strong signature in one repository and trust scope (see
 * contract/trust-scope.ts). The scope comes last: a branch name may hold `#`, a signature never does.
 */
export function cacheKey(
  repo: string,
  signature: string,
  scope: TrustScope,
  promptVersion: string = PROMPT_VERSION,
): string {
  return `cache#${promptVersion}#${repo}#${signature}#${scope}`;
}

/** State table: the summary item of a signature (counts, buckets, latest analysis). */
export function signatureSummaryKey(signature: string): { pk: string; sk: string } {
  return { pk: `sig#${signature}`, sk: 'summary' };
}

/** State table: one occurrence of a signature; sort keys order occurrences by time. */
export function occurrenceKey(signature: string, at: Date, reportId: string): { pk: string; sk: string } {
  return { pk: `occ#${signature}`, sk: `${at.toISOString()}#${reportId}` };
}

/** State table: the model spend of one UTC day, for one repository or for all (`*`). */
export function budgetKey(day: string, repo: string | '*'): { pk: string; sk: string } {
  return { pk: `budget#${day}`, sk: repo };
}

/** State table: one spend-cap counter (model calls), e.g. of a job, or of a PR or author on one UTC day. */
export function spendCapKey(scope: string): { pk: string; sk: string } {
  return { pk: `cap#${scope}`, sk: 'calls' };
}

/** State table: the spend-cap decision of one report, so a redelivery neither counts twice nor decides anew. */
export function spendReservationKey(reportDigest: string): { pk: string; sk: string } {
  return { pk: `cap#report#${reportDigest}`, sk: 'reservation' };
}

/** `2026-11-25T10:11:12Z` → `20261125`. */
export function dayBucket(at: Date): string {
  return at.toISOString().slice(0, 10).replaceAll('-', '');
}

/** `2026-11-25T10:11:12Z` → `2026112510`. */
export function hourBucket(at: Date): string {
  return `${dayBucket(at)}${at.toISOString().slice(11, 13)}`;
}

/** `2026-11-25T10:11:12Z` → `2026-11-25`, the key of daily budgets. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Attribute name of a signature's daily counter: `d_20261125`. */
export function dayAttribute(at: Date): string {
  return `d_${dayBucket(at)}`;
}

/** Attribute name of a signature's hourly counter: `h_2026112510`. */
export function hourAttribute(at: Date): string {
  return `h_${hourBucket(at)}`;
}

export type BranchKind = 'main' | 'pr' | 'branch';

/** Where a job ran: on the trunk, on a pull request, or on another branch. */
export function branchKindOf(ref: string | undefined, prNumber: number | undefined): BranchKind {
  if (prNumber !== undefined || ref?.startsWith('refs/pull/')) return 'pr';
  if (ref === 'refs/heads/main' || ref === 'refs/heads/master' || ref === 'refs/heads/viable/strict')
    return 'main';
  return 'branch';
}

/** State table: the lease and progress of the rank-count refresh (see docs/data-model.md, "Ranking without scans"). */
export function rankRefreshKey(): { pk: string; sk: string } {
  return { pk: 'refresh#ranks', sk: 'lease' };
}

/** `refs/pull/123/merge` (or `/head`) → 123. */
export function prNumberFromRef(ref: string | undefined): number | undefined {
  const match = ref?.match(/^refs\/pull\/(\d+)\/(?:merge|head)$/);
  return match ? Number(match[1]) : undefined;
}
