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

  /** Posts one check run per client at once: how long all took, and how far apart they reached the stand-in. */
  async function postAtOnce(groups: readonly string[]): Promise<{ elapsed: number; apart: number }> {
    github.reset();
    github.addRun({ repo: 'pytorch/pytorch', runId: 1, headSha: HEAD_SHA });
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
    const elapsed = performance.now() - started;
    const arrivals = github
      .requests()
      .filter((request) => request.method === 'POST')
      .map((request) => request.receivedAt);
    expect(arrivals).toHaveLength(groups.length);
    return { elapsed, apart: Math.max(...arrivals) - Math.min(...arrivals) };
  }

  it('spaces the writes of clients in one pacing group a second apart', async () => {
    // Act
    const { elapsed } = await postAtOnce(['instance-a', 'instance-a']);

    // Assess: a lower bound, which no busy machine can break
    expect(elapsed).toBeGreaterThanOrEqual(950);
  });

  it('lets clients of different pacing groups write at the same time', async () => {
    // Act
    const { apart } = await postAtOnce(['instance-b', 'instance-c']);

    // Assess: sent together, so they arrive together, however long each round trip takes on a busy machine
    expect(apart).toBeLessThan(500);
  });
});
