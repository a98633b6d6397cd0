/**
 * Attack 6 of docs/security.md: the runner role is shared by every runner pod of the fleet, and it could `GetItem`
 * any key of the Results table: other jobs' results, check-run links, claim tokens, any repository's cached answer.
 * What an attacker can see of a victim (the report id printed in the job log, the run, the runner, the job, the
 * commit, the signature it computes offline) now names no item it may read: a job's result is under the hash of a
 * secret only the victim's pod knows, and the role's IAM condition admits `result#` keys only.
 *
 * What a local test can prove about IAM: DynamoDB Local does not evaluate IAM, so the last test evaluates the
 * synthesized runner role's policies (the local IAM's evaluator: `dynamodb:LeadingKeys` under `ForAllValues:StringLike`)
 * for a `GetItem` of each key the analyzer really wrote. That AWS enforces the condition on `GetItem` is AWS's part, not proven here; the full
 * stack's policy is asserted in test/infra/osdc-rca-stack.test.ts.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { evaluatePolicies } from '../../services/local/standins/aws/evaluate-policies';
import { readAnalysisResult } from '../../services/reporter/read-analysis-result';
import type { FailureReport } from '../../shared/contract/failure-report';
import { cacheKey } from '../../shared/contract/keys';
import { RESULT_ITEM_ATTRIBUTES, resultKey } from '../../shared/contract/result-key';
import { REPOSITORY_SCOPE } from '../../shared/contract/trust-scope';
import { deployedRunnerPolicies, RESULTS_TABLE_ARN } from '../support/runner-role-policies';
import { type SeededJob, useSecurityWorld } from './support/security-world';
import { signatureOf } from './support/verified-dashboard';

const RUNNER_POLICIES = deployedRunnerPolicies();

describe("Attack: reading others' results", () => {
  const world = useSecurityWorld();
  const sent: FailureReport[] = [];

  async function analysed(job: SeededJob): Promise<SeededJob> {
    sent.push(job.report);
    await world().sendAndDrain(job.report);
    return job;
  }

  /** What the runner role's reader (the reporter's own lookup) gets for a key. */
  function readAs(pk: string) {
    const { harness } = world();
    return readAnalysisResult(harness.dynamo, harness.tables.Results, pk, AbortSignal.timeout(5000));
  }

  /** Everything the attacker sees of the victim's job without the victim's pod: the log, GitHub, the signature. */
  function publicFactsOf(job: SeededJob): string[] {
    const { report } = job;
    return [
      report.id,
      String(report.runId),
      report.runnerName,
      String(job.jobId),
      `${job.jobId}/wrapper-${report.stepIndex}`,
      report.sha,
      signatureOf(report),
    ];
  }

  it("prints nothing of the victim's analysis for its printed report id, with any secret but the victim's", async () => {
    // Prepare
    const victim = await analysed(
      world().seedJob({ prNumber: 601, prAuthor: 'alice', testName: 'test_victim_read' }),
    );
    const stolenId = { ...victim.report, resultSecret: randomBytes(32).toString('base64url') };

    // Act: the attacker's reporter, holding the victim's report id and a secret of its own.
    const attackerPrint = await world().inlinePrint(stolenId);

    // Assess
    expect(attackerPrint).toBe('');
    expect(await world().inlinePrint(victim.report)).toContain('test_victim_read failed');
  });

  it('names no readable result with anything public; the result is under the hash of the secret only', async () => {
    // Prepare
    const victim = await analysed(
      world().seedJob({ prNumber: 602, prAuthor: 'alice', testName: 'test_victim_public' }),
    );

    // Act: every key an attacker could build from what it sees, as the key itself, as a secret, or hashed.
    const guesses = publicFactsOf(victim).flatMap((fact) => [
      `result#${fact}`,
      resultKey(fact),
      `result#${createHash('sha256').update(fact).digest('hex')}`,
    ]);
    const found = await Promise.all(guesses.map(readAs));
    const own = await readAs(resultKey(victim.report.resultSecret));

    // Assess
    expect(
      found.filter((result) => result.state !== 'pending' || Object.keys(result.progress).length > 0),
    ).toEqual([]);
    expect(own).toMatchObject({
      state: 'done',
      record: { analysis: { summary: 'test_victim_public failed' } },
    });
  });

  it('writes results under secrets only, and leaves report items, bindings and cached answers outside the IAM condition', async () => {
    // Prepare: a trunk job makes a cached answer that any repository member's job reuses; its key is computable.
    const trunk = await analysed(world().seedJob({ testName: 'test_trunk_cached' }));
    await analysed(world().seedJob({ prNumber: 603, prAuthor: 'alice', testName: 'test_trunk_cached' }));

    // Act
    const items = await scanResults();

    // Assess
    const readable = items.filter((item) => runnerRoleMayRead(item.pk));
    const secretKeys = new Set(sent.map((report) => resultKey(report.resultSecret)));
    expect(readable.map((item) => item.pk).filter((pk) => !secretKeys.has(pk))).toEqual([]);
    for (const item of readable) {
      expect(
        item.attributes.filter((name) => !['pk', 'expiresAt', ...RESULT_ITEM_ATTRIBUTES].includes(name)),
      ).toEqual([]);
    }
    const unreadable = new Set(
      items.filter((item) => !readable.includes(item)).map((item) => item.pk.split('#')[0]),
    );
    expect([...unreadable].sort()).toEqual(['bind', 'cache', 'report']);
    const planted = cacheKey(trunk.report.repo, signatureOf(trunk.report), REPOSITORY_SCOPE);
    expect(items.map((item) => item.pk)).toContain(planted);
    expect(runnerRoleMayRead(planted)).toBe(false);
  });

  async function scanResults(): Promise<Array<{ pk: string; attributes: string[] }>> {
    const { harness } = world();
    const { Items = [] } = await harness.dynamo.send(
      new ScanCommand({ TableName: harness.tables.Results, ConsistentRead: true }),
    );
    return Items.map((item) => ({ pk: item.pk?.S ?? '', attributes: Object.keys(item) }));
  }
});

/** Whether the runner role, as the construct synthesizes it, may `GetItem` this key: IAM's evaluation of its policies. */
function runnerRoleMayRead(pk: string): boolean {
  const { decision } = evaluatePolicies(RUNNER_POLICIES, {
    action: 'dynamodb:GetItem',
    resource: RESULTS_TABLE_ARN,
    context: new Map([['dynamodb:LeadingKeys', [pk]]]),
  });
  return decision === 'allowed';
}
