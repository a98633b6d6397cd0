/**
 * Reads one Results-table item (a report's item or a signature's cache item, see docs/data-model.md) and says
 * whether its analysis is ready. Runner pods may GetItem on this table and nothing else.
 */
import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { AnalysisRecord } from '../../shared/contract/analysis';
import { parseAnalysisRecord } from './parse-analysis-record';

export type AnalysisResult =
  | { readonly state: 'done'; readonly record: AnalysisRecord }
  /** Not written yet, or still being analysed: ask again on a later step. */
  | { readonly state: 'pending' }
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
      ProjectionExpression: '#status, #record',
      ExpressionAttributeNames: { '#status': 'status', '#record': 'record' },
    }),
    { abortSignal: signal },
  );
  const status = Item?.status?.S;
  if (status === 'rejected') return { state: 'none' };
  if (status !== 'done') return { state: 'pending' };
  const json = Item?.record?.S;
  const record = json === undefined ? undefined : parseAnalysisRecord(json);
  return record ? { state: 'done', record } : { state: 'none' };
}
