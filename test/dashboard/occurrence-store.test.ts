import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PR_SET_CAP, readSignatureFacts, recordOccurrence } from '../../services/analyzer/occurrence-store';
import {
  anOccurrence,
  createStateTable,
  hoursAgo,
  NOW,
  onMain,
  readSummary,
  type StateTable,
} from './factories';

describe('Function: recordOccurrence', () => {
  let table: StateTable;
  beforeAll(async () => {
    table = await createStateTable();
  });
  afterAll(() => table.client.destroy());

  const summaryOf = (signature: string) => readSummary(table, signature);

  it('returns the facts a check run shows, this occurrence included', async () => {
    // Prepare
    const signature = 'facts0001';
    await recordOccurrence(
      table.client,
      table.tableName,
      onMain({ signature, at: hoursAgo(30) }),
      hoursAgo(30),
    );
    await recordOccurrence(
      table.client,
      table.tableName,
      anOccurrence({ signature, prNumber: 7, ref: 'refs/pull/7/merge', at: hoursAgo(5) }),
      hoursAgo(5),
    );

    // Act
    const facts = await recordOccurrence(
      table.client,
      table.tableName,
      anOccurrence({ signature, prNumber: 8, ref: 'refs/pull/8/merge', at: hoursAgo(1) }),
      NOW,
    );

    // Assess
    expect(facts).toEqual({
      total: 3,
      seenLast7d: 3,
      onMain: true,
      prCount: 2,
      prs: ['pytorch/pytorch#7', 'pytorch/pytorch#8'],
      otherPrAuthors: 1,
    });
  });

  it('counts a redelivered report once and returns the current facts', async () => {
    // Prepare
    const occurrence = anOccurrence({ signature: 'redeliver1', at: hoursAgo(2) });
    const first = await recordOccurrence(table.client, table.tableName, occurrence, NOW);

    // Act
    const again = await recordOccurrence(table.client, table.tableName, occurrence, NOW);

    // Assess
    expect(first.total).toBe(1);
    expect(again).toEqual(first);
    const item = await summaryOf('redeliver1');
    expect(item.total?.N).toBe('1');
    expect(item.c24h?.N).toBe('1');
    const occurrences = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'occ#redeliver1' } },
      }),
    );
    expect(occurrences.Count).toBe(1);
  });

  it('writes the summary the data model describes', async () => {
    // Prepare
    const at = new Date('2026-11-25T10:11:12.000Z');

    // Act
    await recordOccurrence(table.client, table.tableName, onMain({ signature: 'shape001', at }), NOW);

    // Assess
    const item = await summaryOf('shape001');
    expect(item).toMatchObject({
      signature: { S: 'shape001' },
      strength: { S: 'strong' },
      rule: { S: 'pytest-failure' },
      category: { S: 'test' },
      isInfra: { BOOL: false },
      summary: { S: 'test_ops.py::test_add fails: expected 4, got 5' },
      searchText: { S: 'test_ops.py::test_add fails: expected 4, got 5' },
      total: { N: '1' },
      firstSeenAt: { S: at.toISOString() },
      lastSeenAt: { S: at.toISOString() },
      lastSeenOnMainAt: { S: at.toISOString() },
      repos: { SS: ['pytorch/pytorch'] },
      branchKinds: { SS: ['main'] },
      d_20261125: { N: '1' },
      h_2026112510: { N: '1' },
      rankPk: { S: 'sig' },
      c24h: { N: '1' },
      c7d: { N: '1' },
      c30d: { N: '1' },
      rankTotal: { N: '1' },
    });
    expect(JSON.parse(item.record?.S ?? '{}').signature).toBe('shape001');
    expect(Number(item.expiresAt?.N)).toBe(Math.floor(at.getTime() / 1000) + 90 * 86_400);
  });

  it('keeps rank counts as upper bounds when writers race', async () => {
    // Prepare
    const signature = 'race0001';
    const occurrences = Array.from({ length: 12 }, (_, index) =>
      anOccurrence({ signature, prNumber: 100 + index, at: hoursAgo(index % 3) }),
    );

    // Act
    await Promise.all(
      occurrences.map((occurrence) => recordOccurrence(table.client, table.tableName, occurrence, NOW)),
    );

    // Assess
    const item = await summaryOf(signature);
    expect(item.total?.N).toBe('12');
    expect(item.rankTotal?.N).toBe('12');
    expect(item.c24h?.N).toBe('12');
    expect(item.c7d?.N).toBe('12');
    expect(item.prs?.SS).toHaveLength(12);
  });

  it('does not move last seen back, nor first seen forward, for a late redelivery', async () => {
    // Prepare
    const signature = 'late0001';
    await recordOccurrence(table.client, table.tableName, anOccurrence({ signature, at: hoursAgo(1) }), NOW);

    // Act
    await recordOccurrence(
      table.client,
      table.tableName,
      anOccurrence({ signature, at: hoursAgo(100), summary: 'an older analysis' }),
      NOW,
    );

    // Assess
    const item = await summaryOf(signature);
    expect(item.lastSeenAt?.S).toBe(hoursAgo(1).toISOString());
    expect(item.firstSeenAt?.S).toBe(hoursAgo(100).toISOString());
    expect(item.summary?.S).toBe('test_ops.py::test_add fails: expected 4, got 5');
    expect(item.total?.N).toBe('2');
    expect(item.c24h?.N).toBe('1');
    expect(item.c7d?.N).toBe('2');
  });

  it('removes buckets no window reads any more', async () => {
    // Prepare
    const signature = 'prune001';
    const old = new Date('2026-10-01T08:30:00.000Z');
    await recordOccurrence(table.client, table.tableName, anOccurrence({ signature, at: old }), old);

    // Act
    await recordOccurrence(table.client, table.tableName, anOccurrence({ signature, at: hoursAgo(1) }), NOW);

    // Assess
    const item = await summaryOf(signature);
    expect(item.d_20261001).toBeUndefined();
    expect(item.h_2026100108).toBeUndefined();
    expect(item.d_20261125?.N).toBe('1');
    expect(item.h_2026112511?.N).toBe('1');
    expect(item.total?.N).toBe('2');
    expect(item.c30d?.N).toBe('1');
  });

  it('caps the set of PRs so the summary item stays small', async () => {
    // Prepare
    const signature = 'prcap001';
    const occurrences = Array.from({ length: PR_SET_CAP + 3 }, (_, index) =>
      anOccurrence({ signature, prNumber: index + 1, at: hoursAgo(1) }),
    );
    for (let start = 0; start < occurrences.length; start += 50) {
      await Promise.all(
        occurrences
          .slice(start, start + 50)
          .map((occurrence) => recordOccurrence(table.client, table.tableName, occurrence, NOW)),
      );
    }

    // Act
    const facts = await readSignatureFacts(table.client, table.tableName, signature, NOW);

    // Assess
    expect(facts.total).toBe(PR_SET_CAP + 3);
    expect(facts.prCount).toBeLessThanOrEqual(PR_SET_CAP + 1);
    expect(facts.prCount).toBeGreaterThanOrEqual(PR_SET_CAP - 50);
    expect(facts.prs).toHaveLength(20);
    // Hundreds of conditional writes to DynamoDB Local: a busy 2-core machine needs more than the default 30 s.
  }, 120_000);

  // Shared facts are verified facts: what GitHub confirmed about each job, never what a report claims.
  it('counts "on main" only from a trusted push, not from an untrusted job on a ref named main', async () => {
    // Prepare
    const signature = 'verified-main-1';

    // Act
    const facts = await recordOccurrence(
      table.client,
      table.tableName,
      onMain({ signature, trusted: false, at: hoursAgo(1) }),
      NOW,
    );

    // Assess
    expect(facts.onMain).toBe(false);
    const item = await summaryOf(signature);
    expect(item.lastSeenOnMainAt).toBeUndefined();
    expect(item.branchKinds?.SS).toEqual(['branch']);
  });

  it("counts one author's many PRs as one other author, and never the reader's own author", async () => {
    // Prepare: mallory opens PRs #11–#14, bob one PR; the reader is a PR by mallory too.
    const signature = 'verified-authors-1';
    for (const pr of [11, 12, 13, 14]) {
      await recordOccurrence(
        table.client,
        table.tableName,
        anOccurrence({
          signature,
          prNumber: pr,
          ref: `refs/pull/${pr}/merge`,
          prAuthor: 'Mallory',
          at: hoursAgo(3),
        }),
        NOW,
      );
    }
    await recordOccurrence(
      table.client,
      table.tableName,
      anOccurrence({ signature, prNumber: 20, ref: 'refs/pull/20/merge', prAuthor: 'bob', at: hoursAgo(2) }),
      NOW,
    );

    // Act
    const toMallory = await recordOccurrence(
      table.client,
      table.tableName,
      anOccurrence({
        signature,
        prNumber: 15,
        ref: 'refs/pull/15/merge',
        prAuthor: 'mallory',
        at: hoursAgo(1),
      }),
      NOW,
    );
    const toCarol = await recordOccurrence(
      table.client,
      table.tableName,
      anOccurrence({
        signature,
        prNumber: 30,
        ref: 'refs/pull/30/merge',
        prAuthor: 'carol',
        at: hoursAgo(1),
      }),
      NOW,
    );

    // Assess
    expect(toMallory).toMatchObject({ prCount: 6, otherPrAuthors: 1 });
    expect(toCarol).toMatchObject({ prCount: 7, otherPrAuthors: 2 });
  });

  it("keeps the trusted analysis and its infra verdict when an untrusted PR's answer comes later", async () => {
    // Prepare
    const signature = 'verified-verdict-1';
    await recordOccurrence(
      table.client,
      table.tableName,
      onMain({ signature, summary: 'test_add fails after the rounding change', at: hoursAgo(3) }),
      NOW,
    );

    // Act
    await recordOccurrence(
      table.client,
      table.tableName,
      anOccurrence({
        signature,
        trusted: false,
        isInfra: true,
        category: 'infra',
        summary: 'Runner flake, not caused by this PR: safe to merge',
        at: hoursAgo(1),
      }),
      NOW,
    );

    // Assess
    const item = await summaryOf(signature);
    expect(item.summary?.S).toBe('test_add fails after the rounding change');
    expect(item.isInfra?.BOOL).toBe(false);
    expect(item.category?.S).toBe('test');
    expect(item.recordTrusted?.BOOL).toBe(true);
    expect(item.lastSeenAt?.S).toBe(hoursAgo(1).toISOString());
  });

  it('shows an untrusted answer, marked so, only until a trusted one exists', async () => {
    // Prepare
    const signature = 'verified-verdict-2';
    await recordOccurrence(
      table.client,
      table.tableName,
      anOccurrence({ signature, trusted: false, summary: 'Own answer of a fork PR', at: hoursAgo(3) }),
      NOW,
    );
    const before = await summaryOf(signature);

    // Act
    await recordOccurrence(
      table.client,
      table.tableName,
      onMain({ signature, summary: 'Trunk answer', at: hoursAgo(5) }),
      NOW,
    );

    // Assess
    expect(before.summary?.S).toBe('Own answer of a fork PR');
    expect(before.recordTrusted?.BOOL).toBe(false);
    const after = await summaryOf(signature);
    // Older, but trusted: it replaces the untrusted answer.
    expect(after.summary?.S).toBe('Trunk answer');
    expect(after.recordTrusted?.BOOL).toBe(true);
  });
});

describe('Function: readSignatureFacts', () => {
  let table: StateTable;
  beforeAll(async () => {
    table = await createStateTable();
  });
  afterAll(() => table.client.destroy());

  it('returns zeros for a signature never recorded', async () => {
    // Act
    const facts = await readSignatureFacts(table.client, table.tableName, 'never0001', NOW);

    // Assess
    expect(facts).toEqual({ total: 0, seenLast7d: 0, onMain: false, prCount: 0, prs: [], otherPrAuthors: 0 });
  });

  it('says not on main once the last main occurrence is older than 7 days', async () => {
    // Prepare
    const at = hoursAgo(8 * 24);
    await recordOccurrence(table.client, table.tableName, onMain({ signature: 'oldmain01', at }), at);

    // Act
    const facts = await readSignatureFacts(table.client, table.tableName, 'oldmain01', NOW);

    // Assess
    expect(facts).toMatchObject({ total: 1, seenLast7d: 0, onMain: false });
  });
});
