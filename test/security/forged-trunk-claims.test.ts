/**
 * Attack 3 of docs/security.md, the reuse side: "seen on main", "on N other PRs" and "not caused by this PR" are
 * shared facts, told to every PR that fails the same way. A fork can claim `refs/heads/main`, a time in 2099 and PRs
 * it never opened in the body, name its branch `main`, and open many PRs from one account. The facts count only what
 * GitHub confirmed: trunk pushes that are trusted, PRs by distinct authors, the time SQS received the report.
 */
import { describe, expect, it } from 'vitest';
import { useSecurityWorld } from './support/security-world';
import { dashboardOf, signatureOf } from './support/verified-dashboard';

describe('Attack: forged trunk claims', () => {
  const world = useSecurityWorld();

  it('tells the victim "on main: no" when a fork PR claims the trunk, names its branch main and dates itself 2099', async () => {
    // Prepare: mallory's fork PR, from a branch called main, sends a body that claims a push to main in 2099.
    const attacker = world().seedJob({
      prNumber: 301,
      prAuthor: 'mallory',
      headRepo: 'mallory/pytorch',
      headBranch: 'main',
      testName: 'test_trunk_claim',
    });
    const forged = {
      ...attacker.report,
      ref: 'refs/heads/main',
      event: 'push',
      prNumber: undefined,
      job: 'trunk / linux-jammy-py3.10 / test',
      reportedAt: '2099-01-01T00:00:00.000Z',
    };
    const victim = world().seedJob({ prNumber: 302, prAuthor: 'alice', testName: 'test_trunk_claim' });

    // Act
    await world().sendAndDrain(forged);
    await world().sendAndDrain(victim.report);

    // Assess
    // Whether the analyzer rejects the forged body or records it as what GitHub says it is, the trunk stays clean.
    const [checkRun] = world().github.checkRuns({ headSha: victim.report.sha });
    expect(checkRun?.output.summary).toContain('on main: no;');
    expect(checkRun?.output.summary).not.toContain('not caused by this PR');
    const dashboard = await dashboardOf(world(), signatureOf(victim.report));
    expect(dashboard?.signature.lastSeenOnMainAt).toBeUndefined();
    expect(dashboard?.signature.branchKinds).not.toContain('main');
    expect(Date.parse(String(dashboard?.signature.lastSeenAt))).toBeLessThan(Date.now() + 60_000);
    expect(dashboard?.whereSeen).toBe('this-pr');
  });

  it('counts one author opening PRs #11–#14 as one other author, not four', async () => {
    // Prepare
    const attackers = [311, 312, 313, 314].map((prNumber) =>
      world().seedJob({
        prNumber,
        prAuthor: 'mallory',
        headRepo: 'mallory/pytorch',
        testName: 'test_many_prs',
      }),
    );
    const victim = world().seedJob({ prNumber: 315, prAuthor: 'alice', testName: 'test_many_prs' });

    // Act
    await world().sendAndDrain(...attackers.map((attacker) => attacker.report));
    await world().sendAndDrain(victim.report);

    // Assess
    const [checkRun] = world().github.checkRuns({ headSha: victim.report.sha });
    expect(checkRun?.output.summary).toContain('on main: no; on PRs by 1 other author.');
    expect((await dashboardOf(world(), signatureOf(victim.report)))?.signature).toMatchObject({
      prAuthorCount: 2,
    });
  });

  it('says "likely not caused by this PR" once authors other than the victim hit it, and "broken trunk" for a trusted push', async () => {
    // Prepare
    const others = ['bob', 'carol'].map((prAuthor, index) =>
      world().seedJob({ prNumber: 321 + index, prAuthor, testName: 'test_real_flake' }),
    );
    const trunk = world().seedJob({ testName: 'test_real_trunk' });
    const flakyVictim = world().seedJob({ prNumber: 330, prAuthor: 'alice', testName: 'test_real_flake' });
    const trunkVictim = world().seedJob({ prNumber: 331, prAuthor: 'alice', testName: 'test_real_trunk' });

    // Act
    await world().sendAndDrain(...others.map((other) => other.report), trunk.report);
    await world().sendAndDrain(flakyVictim.report, trunkVictim.report);

    // Assess
    const [flaky] = world().github.checkRuns({ headSha: flakyVictim.report.sha });
    expect(flaky?.output.summary).toContain('on PRs by 2 other authors → likely not caused by this PR.');
    const [broken] = world().github.checkRuns({ headSha: trunkVictim.report.sha });
    expect(broken?.output.summary).toContain('on main: yes');
    expect(broken?.output.summary).toContain('→ likely a broken trunk, not caused by this PR.');
  });
});
