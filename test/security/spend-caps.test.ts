/**
 * Attack 5 of docs/security.md: budgets alone were per repository and global, so one run failing a dozen jobs with
 * distinct signatures spent a repository's day and every later PR got the offline rules analyst. Spend caps per job,
 * per PR and per untrusted author come before the budgets: a capped report gets the rules analyst with the reason on
 * every surface, and other PRs and the trunk still get the model.
 *
 * The repository budget here pays for 8 model calls, so each attack below would spend it without its cap; each test
 * plays in its own repository (budgets are per repository) and with its own attacker (caps are per author).
 */
import { describe, expect, it } from 'vitest';
import { estimateCostMicroUsd } from '../../services/analyzer/model-prices';
import { DEFAULT_MODEL_ID } from '../../shared/contract/constants';
import type { FailureReport } from '../../shared/contract/failure-report';
import { buildReport, pytestFailureLog } from '../analyzer/support/report-factory';
import { echoFailingTest, type SeededJob, useSecurityWorld } from './support/security-world';
import { dashboardOf, signatureOf } from './support/verified-dashboard';

/** What one model answer is billed for: $0.525 at Opus prices. */
const BILLED = { inputTokens: 100_000, outputTokens: 1_000 };
const CALL_USD = estimateCostMicroUsd(DEFAULT_MODEL_ID, BILLED) / 1e6;

describe('Attack: spend', () => {
  const world = useSecurityWorld({
    OSDC_RCA_JOB_MODEL_CALLS: '2',
    OSDC_RCA_PR_DAILY_MODEL_CALLS: '3',
    OSDC_RCA_AUTHOR_DAILY_MODEL_CALLS: '5',
    OSDC_RCA_REPO_DAILY_BUDGET_USD: String(8 * CALL_USD),
  });

  /** A fork PR's failing job whose step prints `testName`'s failure. */
  function forkJob(repo: string, prNumber: number, prAuthor: string, testName: string): SeededJob {
    return world().seedJob({ repo, prNumber, prAuthor, headRepo: `${prAuthor}/fork`, testName });
  }

  /** Another failing step of the same job (the job goes on after a failure), printing `testName`'s failure. */
  function laterStep(job: SeededJob, stepIndex: number, testName: string): FailureReport {
    const { repo, runId, runnerName, sha, ref, event, prNumber } = job.report;
    return buildReport({
      repo,
      runId,
      runnerName,
      sha,
      ref,
      event,
      prNumber,
      stepIndex,
      lines: pytestFailureLog(testName),
    });
  }

  /** The check run's summary for the job step a report is bound to (GitHub lists no steps here: the wrapper's). */
  function checkRunOf(job: SeededJob, report: FailureReport): string {
    const externalId = `${job.jobId}/wrapper-${report.stepIndex}`;
    const [checkRun, ...others] = world()
      .github.checkRuns({ headSha: report.sha })
      .filter((run) => run.external_id === externalId);
    expect(others).toEqual([]);
    return checkRun?.output.summary ?? '';
  }

  /** Every surface says that no model was used and why: the inline print, the check run, the dashboard. */
  async function expectRulesAnalystSaying(job: SeededJob, report: FailureReport, reason: string) {
    expect(await world().inlinePrint(report)).toContain(`Offline rules analyst, no model (${reason})`);
    expect(checkRunOf(job, report)).toContain(`**Analyst:** offline rules, no model was used (${reason})`);
    const signature = signatureOf(report);
    expect((await dashboardOf(world(), signature))?.signature.record?.analyst).toEqual({
      kind: 'rules',
      reason,
    });
    expect(await world().dashboardPage(signature)).toContain(`rules analyst: ${reason}`);
  }

  async function expectModelAnalysis(job: SeededJob) {
    expect(await world().inlinePrint(job.report)).toContain(`Analysis by ${DEFAULT_MODEL_ID}`);
    expect(checkRunOf(job, job.report)).toContain(`**Analyst:** model \`${DEFAULT_MODEL_ID}\``);
  }

  it('gives one job 2 model analyses; its further failing steps get the rules analyst, saying so everywhere', async () => {
    // Prepare: one job of a fork PR fails four steps, each a distinct failure.
    world().bedrock.setDefault(echoFailingTest(BILLED));
    const job = forkJob('pytorch/spend-steps', 501, 'mallory-steps', 'test_step_4');
    const steps = [job.report, ...[5, 6, 7].map((step) => laterStep(job, step, `test_step_${step}`))];

    // Act: one step after the other, as the job fails them.
    for (const report of steps) await world().sendAndDrain(report);

    // Assess
    expect(world().bedrock.requests()).toHaveLength(2);
    expect(checkRunOf(job, steps[1]!)).toContain('test_step_5 failed');
    for (const capped of steps.slice(2)) {
      await expectRulesAnalystSaying(job, capped, 'this job already had 2 model analyses (the per-job cap)');
    }
  });

  it('spends a fork PR that fails a dozen jobs up to its per-PR cap, and another PR and the trunk still get the model', async () => {
    // Prepare: twelve failing jobs with distinct signatures, enough to spend the repository's budget of 8 calls.
    world().bedrock.setDefault(echoFailingTest(BILLED));
    const repo = 'pytorch/spend-burst';
    const attackers = Array.from({ length: 12 }, (_, index) =>
      forkJob(repo, 511, 'mallory-burst', `test_burst_${index}`),
    );
    const victim = forkJob(repo, 512, 'alice-burst', 'test_victim_burst');
    const trunk = world().seedJob({ repo, testName: 'test_trunk_burst' });

    // Act
    await world().sendAndDrain(...attackers.map((attacker) => attacker.report));
    await world().sendAndDrain(victim.report, trunk.report);

    // Assess
    expect(world().bedrock.requests()).toHaveLength(3 + 2);
    const reason = 'PR #511 already had 3 model analyses today (the per-PR cap)';
    const capped = attackers.filter((attacker) =>
      checkRunOf(attacker, attacker.report).includes('no model was used'),
    );
    expect(capped).toHaveLength(9);
    await expectRulesAnalystSaying(capped[0]!, capped[0]!.report, reason);
    await expectModelAnalysis(victim);
    await expectModelAnalysis(trunk);
  });

  it("reuses a capped PR's answers on its later jobs without counting them; only a new failure meets the cap", async () => {
    // Prepare: three distinct failures spend the PR's cap of 3; three later jobs fail the same ways, one a new way.
    world().bedrock.setDefault(echoFailingTest(BILLED));
    const repo = 'pytorch/spend-reuse';
    const first = [0, 1, 2].map((index) => forkJob(repo, 531, 'mallory-reuse', `test_reuse_${index}`));
    const repeats = [0, 1, 2].map((index) => forkJob(repo, 531, 'mallory-reuse', `test_reuse_${index}`));
    const fresh = forkJob(repo, 531, 'mallory-reuse', 'test_reuse_new');

    // Act
    await world().sendAndDrain(...first.map((job) => job.report));
    await world().sendAndDrain(...repeats.map((job) => job.report), fresh.report);

    // Assess
    expect(world().bedrock.requests()).toHaveLength(3);
    for (const [index, repeat] of repeats.entries()) {
      const inline = await world().inlinePrint(repeat.report);
      expect(inline).toContain(`test_reuse_${index} failed`);
      expect(inline).toContain('first analysed on PR #531');
      expect(inline).toContain(`Analysis by ${DEFAULT_MODEL_ID}`);
    }
    await expectRulesAnalystSaying(
      fresh,
      fresh.report,
      'PR #531 already had 3 model analyses today (the per-PR cap)',
    );
  });

  it('does not hold trusted pushes to the author cap: the merge bot pushes every trunk commit', async () => {
    // Prepare: six trunk commits pushed by one account, each failing its own way; the author cap is 5.
    world().bedrock.setDefault(echoFailingTest(BILLED));
    const pushes = Array.from({ length: 6 }, (_, index) =>
      world().seedJob({
        repo: 'pytorch/spend-trunk',
        testName: `test_trunk_${index}`,
        run: { actor: 'mergebot' },
      }),
    );

    // Act
    await world().sendAndDrain(...pushes.map((push) => push.report));

    // Assess
    expect(world().bedrock.requests()).toHaveLength(6);
    for (const push of pushes) await expectModelAnalysis(push);
  });

  it("counts one author's PRs #521–#524 together, while a member's PR and the trunk stay outside the author cap", async () => {
    // Prepare: two failing jobs on each of four PRs by one account: under the per-PR cap, over the per-author cap.
    world().bedrock.setDefault(echoFailingTest(BILLED));
    const repo = 'pytorch/spend-prs';
    const attackers = [521, 522, 523, 524].flatMap((prNumber) =>
      [1, 2].map((job) => forkJob(repo, prNumber, 'mallory-prs', `test_pr_${prNumber}_${job}`)),
    );
    const member = world().seedJob({
      repo,
      prNumber: 525,
      prAuthor: 'bob-prs',
      testName: 'test_member_prs',
      run: { collaborators: { 'bob-prs': 'write' } },
    });
    const trunk = world().seedJob({ repo, testName: 'test_trunk_prs' });

    // Act: one after the other, so that the last three are the capped ones.
    for (const attacker of attackers) await world().sendAndDrain(attacker.report);
    await world().sendAndDrain(member.report, trunk.report);

    // Assess
    expect(world().bedrock.requests()).toHaveLength(5 + 2);
    for (const attacker of attackers.slice(5)) {
      await expectRulesAnalystSaying(
        attacker,
        attacker.report,
        'mallory-prs already had 5 model analyses today (the per-author cap)',
      );
    }
    await expectModelAnalysis(member);
    await expectModelAnalysis(trunk);
  });
});
