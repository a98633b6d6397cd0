/**
 * The dashboard's view of a signature summary item (docs/data-model.md), decoded from DynamoDB attribute values,
 * and where a failure was seen: the label that tells a broken trunk from a flaky test from one PR's own bug.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { AnalysisRecord, Category } from '../../shared/contract/analysis';
import { AnalysisRecordSchema, CATEGORIES } from '../../shared/contract/analysis';
import type { BranchKind } from '../../shared/contract/keys';
import { distinctPrAuthors } from '../../shared/contract/pr-witness';
import type { RankWindow } from '../../shared/contract/tables';
import { WINDOW_SPANS } from '../../shared/contract/window-counts';
import type { SignatureStrength } from '../../shared/signature/types';

export type WhereSeen = 'broken-trunk' | 'likely-flaky' | 'this-pr' | 'branches';

export interface SignatureSummary {
  readonly signature: string;
  readonly strength: SignatureStrength;
  readonly rule: string;
  readonly category: Category;
  readonly isInfra: boolean;
  /** The one-line cause. */
  readonly summary: string;
  readonly total: number;
  readonly firstSeenAt: string;
  readonly lastSeenAt: string;
  readonly lastSeenOnMainAt?: string;
  readonly repos: readonly string[];
  /** `owner/name#N`, sorted. */
  readonly prs: readonly string[];
  /** Distinct authors of those PRs, as GitHub gave them (one author's many PRs are one witness). */
  readonly prAuthorCount: number;
  /**
   * The shown analysis and its verdict (category, infra) were made in a trusted context. False: only untrusted PRs
   * have been analysed so far, and the dashboard says so instead of vouching for the answer.
   */
  readonly analysisTrusted: boolean;
  readonly branchKinds: readonly BranchKind[];
  /** The `d_…` and `h_…` counters present on the item. */
  readonly buckets: Readonly<Record<string, number>>;
  /** The latest analysis; absent when the list read did not fetch it, or when it does not parse. */
  readonly record?: AnalysisRecord;
}

type Item = Record<string, AttributeValue>;

/** Decodes a summary item; `undefined` for an item that is not one (e.g. written half-way by an older writer). */
export function decodeSignatureSummary(item: Item): SignatureSummary | undefined {
  const signature = item.signature?.S;
  const lastSeenAt = item.lastSeenAt?.S;
  if (!signature || !lastSeenAt) return undefined;
  const category = item.category?.S ?? 'unknown';
  const buckets: Record<string, number> = {};
  for (const [name, value] of Object.entries(item)) {
    if (/^(d_\d{8}|h_\d{10})$/.test(name) && value.N !== undefined) buckets[name] = Number(value.N);
  }
  const summary: SignatureSummary = {
    signature,
    strength: item.strength?.S === 'weak' ? 'weak' : 'strong',
    rule: item.rule?.S ?? '',
    category: (CATEGORIES as readonly string[]).includes(category) ? (category as Category) : 'unknown',
    isInfra: item.isInfra?.BOOL ?? false,
    summary: item.summary?.S ?? '',
    total: Number(item.total?.N ?? 0),
    firstSeenAt: item.firstSeenAt?.S ?? lastSeenAt,
    lastSeenAt,
    ...(item.lastSeenOnMainAt?.S ? { lastSeenOnMainAt: item.lastSeenOnMainAt.S } : {}),
    repos: [...(item.repos?.SS ?? [])].sort(),
    prs: [...(item.prs?.SS ?? [])].sort(),
    prAuthorCount: distinctPrAuthors(item.prAuthors?.SS ?? []),
    analysisTrusted: item.recordTrusted?.BOOL === true,
    branchKinds: (item.branchKinds?.SS ?? []).filter((kind): kind is BranchKind =>
      ['main', 'pr', 'branch'].includes(kind),
    ),
    buckets,
  };
  const record = parseRecord(item.record?.S);
  return record ? { ...summary, record } : summary;
}

function parseRecord(json: string | undefined): AnalysisRecord | undefined {
  if (json === undefined) return undefined;
  try {
    const parsed = AnalysisRecordSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where a failure was seen, from verified facts only: on main (trusted pushes) within the window → broken trunk;
 * otherwise PRs by two or more distinct authors → likely flaky; PRs by one author → this PR; only other branches →
 * branches. A fork can name its branch `main` or open many PRs, but neither moves it out of "this PR".
 */
export function whereSeen(summary: SignatureSummary, window: RankWindow, now: Date): WhereSeen {
  const { unit, buckets } = WINDOW_SPANS[window];
  const windowMs = buckets * (unit === 'hour' ? 3_600_000 : 86_400_000);
  if (summary.lastSeenOnMainAt && now.getTime() - Date.parse(summary.lastSeenOnMainAt) <= windowMs) {
    return 'broken-trunk';
  }
  if (summary.prAuthorCount >= 2) return 'likely-flaky';
  if (summary.prs.length >= 1) return 'this-pr';
  return 'branches';
}

export const WHERE_SEEN_LABELS: Readonly<Record<WhereSeen, string>> = {
  'broken-trunk': 'broken trunk',
  'likely-flaky': 'likely flaky',
  'this-pr': 'this PR',
  branches: 'branches',
};
