/**
 * Reads one Results-table item (a report's item or a signature's cache item, see docs/data-model.md) and says
 * whether its analysis is ready, and if not, how far the analyzer has got. Runner pods may GetItem on this table and
 * nothing else. Every read of an analysis goes through here, so a change of key or item shape is one edit.
 */
import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { AnalysisRecord } from '../../shared/contract/analysis';
import { RESULT_ITEM_ATTRIBUTES } from '../../shared/contract/result-key';
import { parseAnalysisRecord } from './parse-analysis-record';

/** What the analyzer has written about a report it has not finished; every field is absent until it is known. */
export interface AnalysisProgress {
  /** Epoch ms when the analyzer picked the report up; absent while the report waits in the queue. */
  readonly startedAt?: number;
  /** Epoch ms by which the analyzer expects the analysis. */
  readonly expectedBy?: number;
  /** The commit the check run goes on (the PR head), once the report is verified. */
  readonly headSha?: string;
  readonly checkRunUrl?: string;
}

export type AnalysisResult =
  /** `fromCache`: the analysis was reused from an earlier failure (a report item says so; a cache item is one). */
  | { readonly state: 'done'; readonly record: AnalysisRecord; readonly fromCache: boolean }
  /** Not written yet, or still being analysed: ask again later. */
  | { readonly state: 'pending'; readonly progress: AnalysisProgress }
  /** Rejected by the analyzer, or done without a usable record: there will never be anything to print. */
  | { readonly state: 'none' };

export async function readAnalysisResult(
  client: DynamoDBClient,
  table: string,
  pk: string,
  signal: AbortSignal,
): Promise<AnalysisResult> {
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: table,
      Key: { pk: { S: pk } },
      ProjectionExpression: RESULT_ITEM_ATTRIBUTES.map((_, index) => `#a${index}`).join(', '),
      ExpressionAttributeNames: Object.fromEntries(
        RESULT_ITEM_ATTRIBUTES.map((name, index) => [`#a${index}`, name]),
      ),
    }),
    { abortSignal: signal },
  );
  const status = Item?.status?.S;
  if (status === 'rejected') return { state: 'none' };
  if (status !== 'done') {
    const progress: { -readonly [K in keyof AnalysisProgress]: AnalysisProgress[K] } = {};
    const startedAt = Number(Item?.startedAt?.N);
    const expectedBy = Number(Item?.expectedBy?.N);
    if (Number.isFinite(startedAt)) progress.startedAt = startedAt;
    if (Number.isFinite(expectedBy)) progress.expectedBy = expectedBy;
    if (Item?.headSha?.S) progress.headSha = Item.headSha.S;
    if (Item?.checkRunUrl?.S) progress.checkRunUrl = Item.checkRunUrl.S;
    return { state: 'pending', progress };
  }
  const json = Item?.record?.S;
  const record = json === undefined ? undefined : parseAnalysisRecord(json);
  return record ? { state: 'done', record, fromCache: Item?.fromCache?.BOOL === true } : { state: 'none' };
}
