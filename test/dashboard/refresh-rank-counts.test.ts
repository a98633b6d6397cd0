import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordOccurrence } from '../../services/analyzer/occurrence-store';
import { refreshRankCounts } from '../../services/analyzer/refresh-rank-counts';
import { listSignatures } from '../../services/dashboard/list-signatures';
import { anOccurrence, createStateTable, hoursAgo, NOW, type StateTable } from './factories';

describe('Function: refreshRankCounts', () => {
  let table: StateTable;
  beforeAll(async () => {
    table = await createStateTable();
    // A burst ten days ago, each written at its time: its stored 24 h and 7 d counts are now far too high.
    for (let minute = 0; minute < 5; minute += 1) {
      const at = new Date(hoursAgo(240).getTime() + minute * 60_000);
      await recordOccurrence(table.client, table.tableName, anOccurrence({ signature: 'burst0001', at }), at);
    }
    const recent = hoursAgo(2);
    await recordOccurrence(
      table.client,
      table.tableName,
      anOccurrence({ signature: 'recent001', at: recent }),
      recent,
    );
  });
  afterAll(() => table.client.destroy());

  const counts = async (signature: string) => {
    const { Item } = await table.client.send(
      new GetItemCommand({
        TableName: table.tableName,
        Key: { pk: { S: `sig#${signature}` }, sk: { S: 'summary' } },
        ConsistentRead: true,
      }),
    );
    return [Item?.c24h?.N, Item?.c7d?.N, Item?.c30d?.N].map(Number);
  };

  it('lowers stale counts to the true ones and leaves exact ones alone', async () => {
    // Prepare
    expect(await counts('burst0001')).toEqual([5, 5, 5]);

    // Act
    const result = await refreshRankCounts(table.client, table.tableName, NOW);

    // Assess
    expect(result.windows).toEqual(['24h', '7d', '30d']);
    expect(result.updated).toBe(2);
    expect(await counts('burst0001')).toEqual([0, 0, 5]);
    expect(await counts('recent001')).toEqual([1, 1, 1]);
  });

  it('lets a list page stop after the items that can still count', async () => {
    // Act
    const page = await listSignatures(table.client, table.tableName, { window: '24h', limit: 10 }, NOW);

    // Assess
    expect(page.items.map((row) => row.signature)).toEqual(['recent001']);
    expect(page.stats.itemsRead).toBe(1);
  });

  it('runs at most once per interval, and refreshes day windows once per UTC day', async () => {
    // Act
    const tooSoon = await refreshRankCounts(table.client, table.tableName, new Date(NOW.getTime() + 60_000));
    const sameDay = await refreshRankCounts(
      table.client,
      table.tableName,
      new Date(NOW.getTime() + 3_600_000),
    );
    const nextDay = await refreshRankCounts(
      table.client,
      table.tableName,
      new Date(NOW.getTime() + 13 * 3_600_000),
    );

    // Assess
    expect(tooSoon.windows).toEqual([]);
    expect(sameDay.windows).toEqual(['24h']);
    expect(nextDay.windows).toEqual(['24h', '7d', '30d']);
  });
});
