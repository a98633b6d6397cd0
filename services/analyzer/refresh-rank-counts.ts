/**
 * Keeps the stored window counts of the rank indexes close to the true ones. A stored count is exact when an
 * occurrence writes it and only too high later, as old buckets leave the window; the dashboard's threshold
 * algorithm stays correct with stale counts but must read every item whose stored count is still high, so a
 * signature that burst ten days ago would otherwise be read on every 24 h page forever.
 *
 * Hour buckets leave the 24 h window every hour; day buckets leave the 7 d and 30 d windows only at 00:00 UTC. So
 * the 24 h index is refreshed at most every `minIntervalMs` (only items with a stored count ≥ 1 are read: those
 * active within about a day), and the day indexes once per UTC day. A lease item makes one caller do it at a time.
 */
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { dayBucket, rankRefreshKey } from '../../shared/contract/keys';
import {
  RANK_INDEXES,
  RANK_PARTITION_ATTRIBUTE,
  RANK_PARTITION_VALUE,
  type RankWindow,
} from '../../shared/contract/tables';
import { countInWindow, WINDOW_SPANS, windowBucketNames } from '../../shared/contract/window-counts';

export interface RefreshRankCountsOptions {
  /** Least time between two refreshes of the 24 h index, fleet-wide. */
  readonly minIntervalMs?: number;
  /** Parallel conditional updates. */
  readonly concurrency?: number;
}

export interface RefreshRankCountsResult {
  /** The windows refreshed; empty when another caller holds the lease or refreshed recently. */
  readonly windows: readonly RankWindow[];
  readonly itemsRead: number;
  readonly updated: number;
}

export const DEFAULT_REFRESH_INTERVAL_MS = 10 * 60_000;

/**
 * Call it after each analyzer batch: it returns at once (one conditional write) unless a refresh is due.
 *
 * @example
 * await refreshRankCounts(client, config.stateTable);
 */
export async function refreshRankCounts(
  client: DynamoDBClient,
  tableName: string,
  now: Date = new Date(),
  options: RefreshRankCountsOptions = {},
): Promise<RefreshRankCountsResult> {
  const interval = options.minIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS;
  const previous = await takeLease(client, tableName, now, interval);
  if (!previous) return { windows: [], itemsRead: 0, updated: 0 };

  const today = dayBucket(now);
  const windows: RankWindow[] = previous.lastDay === today ? ['24h'] : ['24h', '7d', '30d'];
  let itemsRead = 0;
  let updated = 0;
  for (const window of windows) {
    const result = await refreshWindow(client, tableName, window, now, options.concurrency ?? 8);
    itemsRead += result.itemsRead;
    updated += result.updated;
  }
  if (windows.includes('30d')) {
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: leaseKey(),
        UpdateExpression: 'SET lastDay = :today',
        ExpressionAttributeValues: { ':today': { S: today } },
      }),
    );
  }
  return { windows, itemsRead, updated };
}

/** Takes the lease if the last refresh is at least `interval` old; returns the lease as it was, or undefined. */
async function takeLease(
  client: DynamoDBClient,
  tableName: string,
  now: Date,
  interval: number,
): Promise<{ lastDay?: string } | undefined> {
  try {
    const { Attributes } = await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: leaseKey(),
        UpdateExpression: 'SET nextAt = :next, expiresAt = :expires',
        ConditionExpression: 'attribute_not_exists(nextAt) OR nextAt <= :now',
        ExpressionAttributeValues: {
          ':now': { N: String(now.getTime()) },
          ':next': { N: String(now.getTime() + interval) },
          ':expires': { N: String(Math.floor(now.getTime() / 1000) + 7 * 86_400) },
        },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes?.lastDay?.S ? { lastDay: Attributes.lastDay.S } : {};
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

async function refreshWindow(
  client: DynamoDBClient,
  tableName: string,
  window: RankWindow,
  now: Date,
  concurrency: number,
): Promise<{ itemsRead: number; updated: number }> {
  const { indexName, sortKey } = RANK_INDEXES[window];
  const ahead = new Date(now.getTime() + (WINDOW_SPANS[window].unit === 'hour' ? 3_600_000 : 86_400_000));
  const buckets = [...windowBucketNames(window, now), windowBucketNames(window, ahead).at(-1)!];
  const names: Record<string, string> = {
    '#rankPk': RANK_PARTITION_ATTRIBUTE,
    '#rank': sortKey,
    '#total': 'total',
  };
  const projection = ['pk', 'sk', '#rank', '#total'];
  buckets.forEach((bucket, index) => {
    names[`#b${index}`] = bucket;
    projection.push(`#b${index}`);
  });

  let itemsRead = 0;
  let updated = 0;
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: indexName,
        KeyConditionExpression: '#rankPk = :rankPk AND #rank >= :one',
        ProjectionExpression: projection.join(', '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':rankPk': { S: RANK_PARTITION_VALUE }, ':one': { N: '1' } },
        Limit: 1000,
        ExclusiveStartKey: startKey,
      }),
    );
    itemsRead += page.Items?.length ?? 0;
    const stale = (page.Items ?? []).flatMap((item) => {
      const counts: Record<string, number> = {};
      for (const bucket of buckets) if (item[bucket]?.N) counts[bucket] = Number(item[bucket].N);
      const fresh = countInWindow(counts, window, now);
      return fresh < Number(item[sortKey]?.N ?? 0) ? [{ item, fresh }] : [];
    });
    for (let start = 0; start < stale.length; start += concurrency) {
      const results = await Promise.all(
        stale
          .slice(start, start + concurrency)
          .map(({ item, fresh }) => lowerCount(client, tableName, item, sortKey, fresh)),
      );
      updated += results.filter(Boolean).length;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { itemsRead, updated };
}

/**
 * Lowers a stored count only if no occurrence was counted since it was read (`total` unchanged): an occurrence's
 * writer sets the count itself, from buckets that include it.
 */
async function lowerCount(
  client: DynamoDBClient,
  tableName: string,
  item: Record<string, AttributeValue>,
  sortKey: string,
  fresh: number,
): Promise<boolean> {
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { pk: item.pk!, sk: item.sk! },
        UpdateExpression: 'SET #rank = :fresh',
        ConditionExpression: '#total = :total',
        ExpressionAttributeNames: { '#rank': sortKey, '#total': 'total' },
        ExpressionAttributeValues: { ':fresh': { N: String(fresh) }, ':total': item.total ?? { N: '0' } },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

function leaseKey(): Record<string, AttributeValue> {
  const key = rankRefreshKey();
  return { pk: { S: key.pk }, sk: { S: key.sk } };
}
