/**
 * Attack 1 of docs/security.md: the report id is printed in the public job log, so an attacker with the runner
 * role reuses it. The analyzer keys a report by the digest of a secret only the reporting pod knows, binds a job
 * step to one report, and accepts one body per report: reusing the id changes nothing for the victim.
 */
import { describe, expect, it } from 'vitest';
import { bedrockReplies } from '../../services/local/standins/bedrock/bedrock-replies';
import { buildReport, pytestFailureLog } from '../analyzer/support/report-factory';
import { modelAnswer, useSecurityWorld } from './support/security-world';

describe('Attack: report-id takeover', () => {
  const world = useSecurityWorld();

  it("(a) a message sent first with the victim's id does not become the victim's answer or check run", async () => {
    // Prepare: the victim's PR job and the attacker's fork PR job fail; the attacker reuses the victim's id.
    const victim = world().seedJob({ prNumber: 101, prAuthor: 'victim', testName: 'test_victim_a' });
    const attacker = world().seedJob({
      prNumber: 102,
      prAuthor: 'mallory',
      headRepo: 'mallory/pytorch',
      testName: 'test_ATTACKER_SAYS_MERGE_a',
    });
    const forged = { ...attacker.report, id: victim.report.id };

    // Act
    await world().sendAndDrain(forged, victim.report);

    // Assess
    const inline = await world().inlinePrint(victim.report);
    expect(inline).toContain('test_victim_a');
    expect(inline).not.toContain('ATTACKER');
    const victimChecks = world().github.checkRuns({ headSha: victim.report.sha });
    expect(victimChecks).toHaveLength(1);
    expect(victimChecks[0]?.output.summary).toContain('test_victim_a');
    expect(JSON.stringify(victimChecks)).not.toContain('ATTACKER');
    expect(await world().reportItem(victim.report)).toMatchObject({ stage: 'published' });
  });

  it("(a) a forged report for the victim's own job step, after the victim's, is rejected with a reason", async () => {
    // Prepare: the runner name and run are public; the attacker sends its own log for the victim's job.
    const victim = world().seedJob({ prNumber: 103, prAuthor: 'victim', testName: 'test_victim_a2' });
    await world().sendAndDrain(victim.report);
    const { log: _victimLog, ...publicFacts } = victim.report;
    const forged = buildReport({
      ...publicFacts,
      resultSecret: 'A'.repeat(43),
      lines: pytestFailureLog('test_ATTACKER_SAYS_MERGE_a2'),
    });

    // Act
    await world().sendAndDrain(forged);

    // Assess
    const checks = world().github.checkRuns({ headSha: victim.report.sha });
    expect(checks).toHaveLength(1);
    expect(JSON.stringify(checks)).not.toContain('ATTACKER');
    expect(await world().inlinePrint(victim.report)).toContain('test_victim_a2');
    expect(await world().rejectReasonOf(forged)).toMatch(
      /^job-step-already-reported: job \d+ step wrapper-4/,
    );
  });

  it("(b) a message with the victim's id, a run that does not exist and runner nobody is rejected, not trusted", async () => {
    // Prepare: the victim's report waits on a signature lease that another report holds.
    const victim = world().seedJob({ prNumber: 104, prAuthor: 'victim', testName: 'test_victim_b' });
    const forged = buildReport({
      id: victim.report.id,
      runId: 999_999_999,
      runnerName: 'nobody',
      sha: victim.report.sha,
      lines: pytestFailureLog('test_ATTACKER_SAYS_MERGE_b'),
    });
    world().bedrock.enqueue(bedrockReplies.slow(1500, modelAnswer('test_victim_b fails on purpose')));

    // Act: the forged message arrives while the victim's report is being analysed.
    await world().sendAndDrain(victim.report, forged);

    // Assess
    const checks = world().github.checkRuns({ headSha: victim.report.sha });
    expect(checks).toHaveLength(1);
    expect(checks[0]?.output.title).toBe('test_victim_b fails on purpose');
    expect(JSON.stringify(checks)).not.toContain('ATTACKER');
    expect(await world().inlinePrint(victim.report)).toContain('test_victim_b fails on purpose');
    expect(await world().reportItem(victim.report)).toMatchObject({ stage: 'published' });
    expect(await world().rejectReasonOf(forged)).toMatch(/^unknown-run: run 999999999 does not exist/);
  });

  it("(c) re-sending one's own verified report with another repo is set aside and writes nothing there", async () => {
    // Prepare: the attacker's own report is verified and analysed.
    const attacker = world().seedJob({
      prNumber: 105,
      prAuthor: 'mallory',
      headRepo: 'mallory/pytorch',
      testName: 'test_ATTACKER_c',
    });
    world().seedJob({ repo: 'victim-org/victim', testName: 'test_victim_c' });
    await world().sendAndDrain(attacker.report);
    const swapped = { ...attacker.report, repo: 'victim-org/victim' };

    // Act
    await world().sendAndDrain(swapped);

    // Assess
    expect(world().github.checkRuns({ repo: 'victim-org/victim' })).toEqual([]);
    const dead = await world().deadLetters();
    expect(dead.map((letter) => letter.reason)).toContainEqual(expect.stringMatching(/another body/));
    expect(await world().cacheRepos()).not.toContain('victim-org/victim');
    expect(await world().budgetScopes()).not.toContain('victim-org/victim');
  });
});
