import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordOccurrence } from '../../services/analyzer/occurrence-store';
import { listSignatures } from '../../services/dashboard/list-signatures';
import type { RankWindow } from '../../shared/contract/tables';
import { anOccurrence, createStateTable, hoursAgo, NOW, type StateTable } from './factories';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A deterministic history: 24 signatures, 1 to 11 occurrences each, spread over the last 29 days. */
function history(): Array<{ signature: string; at: Date }> {
  const occurrences: Array<{ signature: string; at: Date }> = [];
  for (let index = 0; index < 24; index += 1) {
    const signature = `sig${String(index).padStart(4, '0')}`;
    const count = ((index * 7) % 11) + 1;
    // Every third signature is recent only, so its stored counts are exact; the others go stale.
    const spread = index % 3 === 0 ? 20 : 29 * 24;
    for (let k = 0; k < count; k += 1) {
      occurrences.push({ signature, at: hoursAgo(((index * 13 + k * 17) % spread) + 0.5) });
    }
  }
  return occurrences;
}

/** The expected ranking, counted from the occurrence times themselves rather than from any bucket. */
function expectedRanking(occurrences: Array<{ signature: string; at: Date }>, window: RankWindow) {
  const startOfDay = (time: number) => Math.floor(time / DAY) * DAY;
  const start = {
    '24h': Math.floor(NOW.getTime() / HOUR) * HOUR - 23 * HOUR,
    '7d': startOfDay(NOW.getTime()) - 6 * DAY,
    '30d': startOfDay(NOW.getTime()) - 29 * DAY,
  }[window];
  const counts = new Map<string, number>();
  for (const { signature, at } of occurrences) {
    if (at.getTime() >= start) counts.set(signature, (counts.get(signature) ?? 0) + 1);
  }
  return [...counts]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .map(([signature, count]) => ({ signature, count }));
}

describe('Function: listSignatures', () => {
  let table: StateTable;
  const occurrences = history();
  beforeAll(async () => {
    table = await createStateTable();
    for (let start = 0; start < occurrences.length; start += 20) {
      await Promise.all(
        occurrences
          .slice(start, start + 20)
          .map(({ signature, at }) =>
            recordOccurrence(table.client, table.tableName, anOccurrence({ signature, at }), at),
          ),
      );
    }
  });
  afterAll(() => table.client.destroy());

  it.each(['24h', '7d', '30d'] as const)(
    'pages through the exact %s ranking with small Query pages',
    async (window) => {
      // Prepare
      const got: Array<{ signature: string; count: number }> = [];
      let cursor: string | undefined;

      // Act
      do {
        const page = await listSignatures(
          table.client,
          table.tableName,
          { window, limit: 4, ...(cursor ? { cursor } : {}) },
          NOW,
          { firstPageSize: 3 },
        );
        got.push(...page.items.map(({ signature, count }) => ({ signature, count })));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);

      // Assess
      expect(got).toEqual(expectedRanking(occurrences, window));
    },
  );

  it('stops reading the index once no unread item can make the page', async () => {
    // Act
    const page = await listSignatures(table.client, table.tableName, { window: '30d', limit: 2 }, NOW, {
      firstPageSize: 3,
    });

    // Assess
    expect(page.items.map(({ signature, count }) => ({ signature, count }))).toEqual(
      expectedRanking(occurrences, '30d').slice(0, 2),
    );
    expect(page.stats.itemsRead).toBeLessThan(24);
  });
});
