/**
 * Attack 4 of docs/security.md: verification used to check public facts only, so a report could name any public
 * run, even a job that had already succeeded on another repository's trunk, and put the attacker's text on that
 * commit. A report is now analysed only for a job GitHub shows running on the reported runner, or failed moments
 * before the report was sent.
 */
import { describe, expect, it } from 'vitest';
import { useSecurityWorld } from './support/security-world';

describe('Attack: reports for any public run', () => {
  const world = useSecurityWorld();

  it('rejects a report naming a trunk job that already succeeded, and posts nothing on that commit', async () => {
    // Prepare: a finished, green job of the trunk; its run, runner and commit are public.
    const finished = world().seedJob({
      testName: 'test_ATTACKER_SAYS_MERGE_green',
      job: { status: 'completed', conclusion: 'success', completedAt: new Date().toISOString() },
    });

    // Act
    await world().sendAndDrain(finished.report);

    // Assess
    expect(await world().rejectReasonOf(finished.report)).toMatch(/^job-not-failed/);
    expect(world().github.checkRuns({ headSha: finished.report.sha })).toEqual([]);
    expect(world().bedrock.requests()).toEqual([]);
  });

  it('rejects a report for a job that failed long before the report was sent', async () => {
    // Prepare: the job failed an hour ago, far outside the report window.
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const stale = world().seedJob({
      testName: 'test_ATTACKER_SAYS_MERGE_stale',
      job: { status: 'completed', conclusion: 'failure', startedAt: hourAgo, completedAt: hourAgo },
    });

    // Act
    await world().sendAndDrain(stale.report);

    // Assess
    expect(await world().rejectReasonOf(stale.report)).toMatch(/^report-after-job/);
    expect(world().github.checkRuns({ headSha: stale.report.sha })).toEqual([]);
  });

  it('analyses the report of a job that is still running on its runner', async () => {
    // Prepare
    const running = world().seedJob({ testName: 'test_honest_running' });

    // Act
    await world().sendAndDrain(running.report);

    // Assess
    expect(await world().rejectReasonOf(running.report)).toBeUndefined();
    expect(world().github.checkRuns({ headSha: running.report.sha })).toHaveLength(1);
  });
});
