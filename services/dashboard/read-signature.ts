/** One signature for the detail page: its summary item with the latest analysis, and its per-day counts. */
import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { signatureSummaryKey } from '../../shared/contract/keys';
import type { RankWindow } from '../../shared/contract/tables';
import { countInWindow, windowSeries } from '../../shared/contract/window-counts';
import { decodeSignatureSummary, type SignatureSummary } from './signature-summary';

export interface SignatureDetail {
  readonly summary: SignatureSummary;
  readonly counts: Readonly<Record<RankWindow, number>>;
  /** The last 30 UTC days, oldest first, as `YYYY-MM-DD`. */
  readonly days: ReadonlyArray<{ readonly day: string; readonly count: number }>;
}

/** Signatures are short hashes; anything else cannot be a key and is simply not found. */
export const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** The signature's detail, or `undefined` when the analyzer never recorded it. */
export async function readSignature(
  client: DynamoDBClient,
  tableName: string,
  signature: string,
  now: Date = new Date(),
): Promise<SignatureDetail | undefined> {
  if (!SIGNATURE_PATTERN.test(signature)) return undefined;
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: { pk: { S: signatureSummaryKey(signature).pk }, sk: { S: signatureSummaryKey(signature).sk } },
    }),
  );
  const summary = Item && decodeSignatureSummary(Item);
  if (!summary) return undefined;
  return {
    summary,
    counts: {
      '24h': countInWindow(summary.buckets, '24h', now),
      '7d': countInWindow(summary.buckets, '7d', now),
      '30d': countInWindow(summary.buckets, '30d', now),
    },
    days: windowSeries(summary.buckets, '30d', now).map(({ bucket, count }) => ({
      day: `${bucket.slice(2, 6)}-${bucket.slice(6, 8)}-${bucket.slice(8, 10)}`,
      count,
    })),
  };
}
