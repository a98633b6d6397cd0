import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOctokit } from '../../services/analyzer/analyzer-octokit';
import { type LocalGitHub, startLocalGitHub } from '../../services/local/standins/github/github-server';

const HEAD_SHA = '7'.repeat(40);

describe('Function: createOctokit', () => {
  let github: LocalGitHub;

  beforeAll(async () => {
    github = await startLocalGitHub();
    github.addRun({ repo: 'pytorch/pytorch', runId: 1, headSha: HEAD_SHA });
  });
  afterAll(() => github.stop());

  /** Posts one check run per client at once and returns how long the slowest took. */
  async function postAtOnce(groups: readonly string[]): Promise<number> {
    const clients = groups.map((group) =>
      createOctokit({ baseUrl: github.url, auth: 'ghs_test', paceWrites: true, pacingGroup: group }),
    );
    const started = performance.now();
    await Promise.all(
      clients.map((octokit) =>
        octokit.rest.checks.create({
          owner: 'pytorch',
          repo: 'pytorch',
          name: 'n',
          head_sha: HEAD_SHA,
          conclusion: 'neutral',
        }),
      ),
    );
    return performance.now() - started;
  }

  it('spaces the writes of clients in one pacing group a second apart', async () => {
    // Act
    const elapsed = await postAtOnce(['instance-a', 'instance-a']);

    // Assess
    expect(elapsed).toBeGreaterThanOrEqual(950);
  });

  it('lets clients of different pacing groups write at the same time', async () => {
    // Act
    const elapsed = await postAtOnce(['instance-b', 'instance-c']);

    // Assess
    expect(elapsed).toBeLessThan(950);
  });
});
