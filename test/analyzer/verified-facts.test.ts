import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordOccurrence } from '../../services/analyzer/occurrence-store';
import {
  anOccurrence,
  createStateTable,
  hoursAgo,
  NOW,
  onMain,
  type StateTable,
} from '../dashboard/factories';

describe('Function: recordOccurrence (shared facts are verified facts)', () => {
  let table: StateTable;
  beforeAll(async () => {
    table = await createStateTable();
  });
  afterAll(() => table.client.destroy());

  const summaryOf = async (signature: string) => {
    const { Item } = await table.client.send(
      new GetItemCommand({
        TableName: table.tableName,
        Key: { pk: { S: `sig#${signature}` }, sk: { S: 'summary' } },
        ConsistentRead: true,
      }),
    );
    return Item ?? {};
  };

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
