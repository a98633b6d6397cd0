/**
 * Attack 3 of docs/security.md, the claims side: ref, event, PR number, job and workflow names and the time used to
 * come from the report body, so a fork PR's run that claimed `refs/heads/main`, `reportedAt` in 2099 and PRs #11–#14
 * told every later PR "seen on main … on 4 other PRs", pinned until 2099. What is recorded and shown is what GitHub
 * and SQS say. (forged-trunk-claims.test.ts covers the facts a victim is told when a fork claims the trunk without a
 * PR and when one account really opens four PRs; here the analyzer accepts the fork's report as its own PR, or
 * rejects the PRs it claims.)
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import type { FailureReport } from '../../shared/contract/failure-report';
import { type SeededJob, useSecurityWorld } from './support/security-world';
import { dashboardOf, signatureOf } from './support/verified-dashboard';

const IN_2099 = '2099-01-01T00:00:00.000Z';

describe('Attack: claims from the body', () => {
  const world = useSecurityWorld();

  /** A job of mallory's fork PR, on a branch she named `main`, in a workflow GitHub calls `pull`. */
  function attackerJob(prNumber: number, testName: string): SeededJob {
    return world().seedJob({
      prNumber,
      prAuthor: 'mallory',
      headRepo: 'mallory/pytorch',
      headBranch: 'main',
      testName,
      run: { workflowName: 'pull' },
    });
  }

  /** The same report, claiming to be a push to main by the trunk workflow, sent in 2099. */
  function claimingTheTrunk(report: FailureReport): FailureReport {
    return {
      ...report,
      ref: 'refs/heads/main',
      event: 'push',
      job: 'trunk / linux-jammy-py3.10 / test',
      workflow: 'trunk',
      reportedAt: IN_2099,
    };
  }

  it("records a fork PR's report that claims a trunk push in 2099 as GitHub and SQS say: its PR, its job, now", async () => {
    // Prepare
    const attacker = attackerJob(351, 'test_claims_trunk');
    const again = attackerJob(351, 'test_claims_trunk');
    const victim = world().seedJob({ prNumber: 352, prAuthor: 'alice', testName: 'test_claims_trunk' });
    const sentAt = Date.now();

    // Act
    await world().sendAndDrain(claimingTheTrunk(attacker.report));
    await world().sendAndDrain(claimingTheTrunk(again.report), victim.report);

    // Assess: the victim is told of one other author, not of main.
    expect(await world().rejectReasonOf(attacker.report)).toBeUndefined();
    const [checkRun] = world().github.checkRuns({ headSha: victim.report.sha });
    expect(checkRun?.output.summary).toContain('on main: no; on PRs by 1 other author.');
    expect(await world().inlinePrint(victim.report)).not.toMatch(/branch main|Reused|first analysed/);
    // The attacker's own later job is told where its answer came from as GitHub says it: PR #351, not main.
    const reused = await world().inlinePrint(again.report);
    expect(reused).toContain('first analysed on PR #351');
    expect(reused).not.toContain('branch main');
    // The dashboard shows the occurrence as GitHub ran it, at the time SQS received it.
    const dashboard = await dashboardOf(world(), signatureOf(victim.report));
    expect(dashboard?.signature.lastSeenOnMainAt).toBeUndefined();
    expect(dashboard?.whereSeen).toBe('likely-flaky');
    const occurrence = (await world().dashboard(signatureOf(attacker.report)))?.occurrences.items.find(
      (item) => item.prNumber === 351,
    );
    expect(occurrence).toMatchObject({
      ref: 'refs/pull/351/merge',
      job: 'test (test_claims_trunk)',
      workflow: 'pull',
    });
    expect(Math.abs(Date.parse(occurrence?.at ?? '') - sentAt)).toBeLessThan(60_000);
    expect(await storedDates()).toEqual({ expiresBefore: true, mentions2099: false });
  });

  it('rejects reports that claim other authors\' PRs #11–#14, so the victim is not told "on PRs by 4 other authors"', async () => {
    // Prepare: PRs #11–#14 exist, opened by four other people; mallory's fork PR runs four jobs that claim them.
    for (const [index, prAuthor] of ['bob', 'carol', 'dave', 'erin'].entries()) {
      world().seedJob({ prNumber: 11 + index, prAuthor, testName: `test_their_own_${index}` });
    }
    const forged = [11, 12, 13, 14].map((prNumber) => {
      const { report } = attackerJob(361, 'test_claims_prs');
      return { ...report, prNumber, ref: `refs/pull/${prNumber}/merge`, reportedAt: IN_2099 };
    });
    const victim = world().seedJob({ prNumber: 362, prAuthor: 'alice', testName: 'test_claims_prs' });

    // Act
    await world().sendAndDrain(...forged);
    await world().sendAndDrain(victim.report);

    // Assess
    for (const report of forged) {
      expect(await world().rejectReasonOf(report)).toMatch(
        new RegExp(`^unverified-pull-request: PR #${report.prNumber} is not the PR of run ${report.runId}`),
      );
    }
    const [checkRun] = world().github.checkRuns({ headSha: victim.report.sha });
    expect(checkRun?.output.summary).toContain(
      '**Seen** once in 7 days; on main: no; on PRs by 0 other authors.',
    );
    const dashboard = await dashboardOf(world(), signatureOf(victim.report));
    expect(dashboard?.signature).toMatchObject({ prs: ['pytorch/pytorch#362'], prAuthorCount: 1 });
    expect(dashboard?.whereSeen).toBe('this-pr');
    expect(world().bedrock.requests()).toHaveLength(1);
  });

  /** Whether every item expires within a year (the longest TTL is 90 days) and none mentions 2099. */
  async function storedDates(): Promise<{ expiresBefore: boolean; mentions2099: boolean }> {
    const { harness } = world();
    const items = [];
    for (const table of [harness.tables.Results, harness.tables.State]) {
      items.push(...((await harness.dynamo.send(new ScanCommand({ TableName: table }))).Items ?? []));
    }
    const yearFromNow = Date.now() / 1000 + 366 * 86_400;
    return {
      expiresBefore: items.every((item) => Number(item.expiresAt?.N ?? 0) < yearFromNow),
      mentions2099: /2099-\d\d-\d\dT/.test(JSON.stringify(items)),
    };
  }
});
