/**
 * The ranked list of repeated failures, read from a rank index with a threshold algorithm (docs/data-model.md):
 * stored window counts are exact when written and only too high later, so the index is read in descending order,
 * each item's true count is recomputed from its buckets, and reading stops as soon as no unread item can still
 * make the page. A page costs a few Query calls whatever the number of signatures; nothing is ever scanned.
 */
import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { Category } from '../../shared/contract/analysis';
import { type BranchKind, dayAttribute, hourAttribute } from '../../shared/contract/keys';
import {
  RANK_INDEXES,
  RANK_PARTITION_ATTRIBUTE,
  RANK_PARTITION_VALUE,
  type RankWindow,
} from '../../shared/contract/tables';
import {
  countInWindow,
  WINDOW_SPANS,
  windowBucketNames,
  windowSeries,
  windowStart,
} from '../../shared/contract/window-counts';
import { decodeCursor, encodeCursor, type ListCursor, ListCursorSchema } from './cursor';
import {
  decodeSignatureSummary,
  type SignatureSummary,
  type WhereSeen,
  whereSeen,
} from './signature-summary';

export interface ListSignaturesQuery {
  readonly window: RankWindow;
  readonly repo?: string;
  readonly category?: Category;
  /** Only signatures ever seen on this kind of branch. */
  readonly branch?: BranchKind;
  /** Case-insensitive text in the one-line cause, or a signature prefix. */
  readonly text?: string;
  readonly limit: number;
  readonly cursor?: string;
}

/** One row of the list: a signature ranked by its occurrences in the window. */
export interface SignatureRow
  extends Pick<
    SignatureSummary,
    | 'signature'
    | 'strength'
    | 'rule'
    | 'category'
    | 'isInfra'
    | 'summary'
    | 'total'
    | 'firstSeenAt'
    | 'lastSeenAt'
    | 'repos'
  > {
  /** Occurrences in the window. */
  readonly count: number;
  /** Per-hour (24 h window) or per-day counts, oldest first. */
  readonly trend: readonly number[];
  readonly lastSeenOnMainAt: string | null;
  readonly prCount: number;
  /** Distinct authors of those PRs. */
  readonly prAuthorCount: number;
  /** The shown summary and verdict come from a trusted context (false: from untrusted PRs only, unverified). */
  readonly analysisTrusted: boolean;
  readonly whereSeen: WhereSeen;
}

export interface SignaturePage {
  readonly window: RankWindow;
  /** The instant the counts are computed for; later pages keep it so the ranking does not shift under them. */
  readonly asOf: string;
  readonly items: readonly SignatureRow[];
  readonly nextCursor: string | null;
  /** Cost of the page: Query calls and index items DynamoDB read. */
  readonly stats: { readonly queries: number; readonly itemsRead: number };
}

export interface ListSignaturesOptions {
  /** Items asked of the first Query page (later pages double, up to 1000); small values let tests see paging. */
  readonly firstPageSize?: number;
}

const FIRST_PAGE_MIN = 100;
const PAGE_MAX = 1000;

/**
 * @example
 * const page = await listSignatures(client, 'osdc-rca-State', { window: '7d', limit: 50 });
 * page.items[0]; // the most frequent failure of the last 7 days
 */
export async function listSignatures(
  client: DynamoDBClient,
  tableName: string,
  query: ListSignaturesQuery,
  now: Date = new Date(),
  options: ListSignaturesOptions = {},
): Promise<SignaturePage> {
  const cursor = query.cursor ? decodeCursor(query.cursor, ListCursorSchema) : undefined;
  const asOf = cursor ? new Date(cursor.asOf) : now;
  const { indexName, sortKey } = RANK_INDEXES[query.window];
  const want = query.limit + 1;
  const request = buildRequest(tableName, indexName, sortKey, query, asOf);

  const best: SignatureRow[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  let pageLimit = options.firstPageSize ?? Math.max(FIRST_PAGE_MIN, 2 * want);
  let queries = 0;
  let itemsRead = 0;
  for (;;) {
    const page = await client.send(
      new QueryCommand({ ...request, Limit: pageLimit, ExclusiveStartKey: startKey }),
    );
    queries += 1;
    itemsRead += page.ScannedCount ?? 0;
    for (const item of page.Items ?? []) {
      const summary = decodeSignatureSummary(item);
      if (!summary) continue;
      const count = countInWindow(summary.buckets, query.window, asOf);
      if (count === 0) continue;
      const row: SignatureRow = {
        signature: summary.signature,
        strength: summary.strength,
        rule: summary.rule,
        category: summary.category,
        isInfra: summary.isInfra,
        summary: summary.summary,
        count,
        total: summary.total,
        trend: windowSeries(summary.buckets, query.window, asOf).map((point) => point.count),
        firstSeenAt: summary.firstSeenAt,
        lastSeenAt: summary.lastSeenAt,
        lastSeenOnMainAt: summary.lastSeenOnMainAt ?? null,
        repos: summary.repos,
        prCount: summary.prs.length,
        prAuthorCount: summary.prAuthorCount,
        analysisTrusted: summary.analysisTrusted,
        whereSeen: whereSeen(summary, query.window, asOf),
      };
      if (cursor && !ranksAfter(row, cursor)) continue;
      insertRanked(best, row, want);
    }
    startKey = page.LastEvaluatedKey;
    if (!startKey) break;
    // Every unread item's stored count, hence its true count, is at most the last stored count read.
    const bound = Number(startKey[sortKey]?.N ?? 0);
    const kth = best[want - 1];
    if (kth && kth.count > bound) break;
    pageLimit = Math.min(PAGE_MAX, pageLimit * 2);
  }

  const items = best.slice(0, query.limit);
  const last = items.at(-1);
  return {
    window: query.window,
    asOf: asOf.toISOString(),
    items,
    nextCursor:
      best.length > query.limit && last
        ? encodeCursor({ asOf: asOf.toISOString(), count: last.count, signature: last.signature })
        : null,
    stats: { queries, itemsRead },
  };
}

/** The Query without paging: key condition, server-side filters and a projection of only what a row shows. */
function buildRequest(
  tableName: string,
  indexName: string,
  sortKey: string,
  query: ListSignaturesQuery,
  asOf: Date,
) {
  const names: Record<string, string> = { '#rankPk': RANK_PARTITION_ATTRIBUTE, '#rank': sortKey };
  const values: Record<string, AttributeValue> = {
    ':rankPk': { S: RANK_PARTITION_VALUE },
    ':one': { N: '1' },
  };
  // Once the refresh lags, stale items still come back from the index; a signature not seen since the window began
  // cannot count, so DynamoDB drops it before it is sent.
  names['#lastSeenAt'] = 'lastSeenAt';
  values[':since'] = { S: windowStart(query.window, asOf).toISOString() };
  const filters: string[] = ['#lastSeenAt >= :since'];
  if (query.repo) {
    names['#repos'] = 'repos';
    values[':repo'] = { S: query.repo };
    filters.push('contains(#repos, :repo)');
  }
  if (query.category) {
    names['#category'] = 'category';
    values[':category'] = { S: query.category };
    filters.push('#category = :category');
  }
  const text = query.text?.trim().toLowerCase();
  if (text) {
    names['#searchText'] = 'searchText';
    names['#signature'] = 'signature';
    values[':text'] = { S: text };
    filters.push('(contains(#searchText, :text) OR begins_with(#signature, :text))');
  }
  if (query.branch) {
    names['#branchKinds'] = 'branchKinds';
    values[':branch'] = { S: query.branch };
    filters.push('contains(#branchKinds, :branch)');
  }
  // The latest analysis can be kilobytes; a row needs only these (and a bucket ahead, for clock skew).
  const projected = [
    'signature',
    'strength',
    'rule',
    'category',
    'isInfra',
    'summary',
    'total',
    'firstSeenAt',
    'lastSeenAt',
    'lastSeenOnMainAt',
    'repos',
    'prs',
    'prAuthors',
    'recordTrusted',
    'branchKinds',
    ...windowBucketNames(query.window, asOf),
    nextBucketName(query.window, asOf),
  ];
  const projection = projected.map((attribute, index) => {
    names[`#p${index}`] = attribute;
    return `#p${index}`;
  });
  return {
    TableName: tableName,
    IndexName: indexName,
    KeyConditionExpression: '#rankPk = :rankPk AND #rank >= :one',
    ScanIndexForward: false,
    ProjectionExpression: projection.join(', '),
    FilterExpression: filters.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

function nextBucketName(window: RankWindow, asOf: Date): string {
  return WINDOW_SPANS[window].unit === 'hour'
    ? hourAttribute(new Date(asOf.getTime() + 3_600_000))
    : dayAttribute(new Date(asOf.getTime() + 86_400_000));
}

/** Rows rank by window count, most first, then by signature so the order is total and pages never overlap. */
function compareRows(
  a: { count: number; signature: string },
  b: { count: number; signature: string },
): number {
  return b.count - a.count || (a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : 0);
}

function ranksAfter(row: SignatureRow, cursor: ListCursor): boolean {
  return compareRows(row, cursor) > 0;
}

/** Keeps `best` sorted and at most `size` long. */
function insertRanked(best: SignatureRow[], row: SignatureRow, size: number): void {
  const last = best[size - 1];
  if (best.length >= size && last && compareRows(row, last) >= 0) return;
  let index = best.findIndex((other) => compareRows(row, other) < 0);
  if (index === -1) index = best.length;
  best.splice(index, 0, row);
  if (best.length > size) best.pop();
}
