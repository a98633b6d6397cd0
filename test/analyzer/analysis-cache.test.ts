import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AnalysisCache, type CacheScopes } from '../../services/analyzer/analysis-cache';
import { LeaseHeldError } from '../../services/analyzer/errors';
import { createTables, tableNames } from '../../services/local/standins/aws/create-tables';
import { LOCAL_AWS } from '../../services/local/standins/aws/dynamodb-local';
import type { AnalysisRecord } from '../../shared/contract/analysis';
import { reuseScopesOf, type ScopedJob, trustScopeOf } from '../../shared/contract/trust-scope';

const REPO = 'pytorch/pytorch';
const MAIN: ScopedJob = { trusted: true, ref: 'refs/heads/main' };
const MEMBER_PR: ScopedJob = { trusted: true, ref: 'refs/pull/10/merge', prNumber: 10 };
const FORK_PR: ScopedJob = { trusted: false, ref: 'refs/pull/666/merge', prNumber: 666 };
const OTHER_FORK_PR: ScopedJob = { trusted: false, ref: 'refs/pull/700/merge', prNumber: 700 };

function scopesOf(job: ScopedJob): CacheScopes {
  return { own: trustScopeOf(job), reuse: reuseScopesOf(job) };
}

function recordFor(signature: string, summary: string, job: ScopedJob): AnalysisRecord {
  return {
    analysis: {
      summary,
      rootCause: summary,
      category: 'test',
      isInfra: false,
      confidence: 'high',
      evidence: [],
      suggestedFix: 'Fix it.',
      files: [],
    },
    analyst: { kind: 'model', modelId: 'global.anthropic.claude-opus-4-6-v1' },
    signature,
    strength: 'strong',
    rule: 'pytest-failure',
    promptVersion: 'p1',
    createdAt: '2026-11-25T10:00:00.000Z',
    origin: {
      repo: REPO,
      scope: trustScopeOf(job),
      trusted: job.trusted,
      ref: job.ref,
      ...(job.prNumber === undefined ? {} : { prNumber: job.prNumber }),
      headSha: 'a'.repeat(40),
      jobUrl: `https://github.com/${REPO}/actions/runs/1/job/2`,
    },
  };
}

describe('Class: AnalysisCache (trust scopes)', () => {
  let client: DynamoDBClient;
  let cache: AnalysisCache;
  let signatures = 0;
  const nextSignature = () => {
    signatures += 1;
    return `scoped${signatures}`;
  };

  beforeAll(async () => {
    client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: inject('dynamoEndpoint') });
    const tables = tableNames(`cache-${randomUUID().slice(0, 8)}`);
    await createTables(client, tables);
    cache = new AnalysisCache({ client, tableName: tables.Results, leaseSeconds: 60, now: () => new Date() });
  });
  afterAll(() => client.destroy());

  /** Takes the lease as `job` and stores its answer, as produceAnalysis does. */
  async function analyse(signature: string, job: ScopedJob, summary: string): Promise<void> {
    const claim = await cache.claim(REPO, signature, scopesOf(job), randomUUID());
    expect(claim.kind).toBe('lease');
    await cache.store(REPO, signature, trustScopeOf(job), recordFor(signature, summary, job), 3600);
  }

  it("never hands an untrusted PR's answer to another PR, trusted or not", async () => {
    // Prepare
    const signature = nextSignature();
    await analyse(signature, FORK_PR, 'Not caused by this PR: safe to merge.');

    // Act
    const sibling = await cache.claim(REPO, signature, scopesOf(OTHER_FORK_PR), randomUUID());
    const member = await cache.claim(REPO, signature, scopesOf(MEMBER_PR), 'member-pr');
    const trunk = cache.claim(REPO, signature, scopesOf(MAIN), randomUUID());

    // Assess
    expect(sibling).toEqual({ kind: 'lease' });
    expect(member).toEqual({ kind: 'lease' });
    // The member PR now makes the repository's trusted answer; the trunk job waits for it, not for the fork's.
    await expect(trunk).rejects.toMatchObject({ name: 'LeaseHeldError', leaseOwner: 'member-pr' });
  });

  it('reuses an untrusted answer within its own PR', async () => {
    // Prepare
    const signature = nextSignature();
    await analyse(signature, FORK_PR, 'Own answer of PR 666');

    // Act
    const claim = await cache.claim(REPO, signature, scopesOf(FORK_PR), randomUUID());

    // Assess
    expect(claim.kind).toBe('hit');
    expect(claim.kind === 'hit' && claim.record.origin).toMatchObject({ scope: 'pr:666', trusted: false });
  });

  it("serves a trusted answer to every job of the repository, ahead of a PR's own", async () => {
    // Prepare
    const signature = nextSignature();
    await analyse(signature, FORK_PR, 'Own answer of PR 666');
    await analyse(signature, MAIN, 'Trunk answer');

    // Act
    const claims = await Promise.all(
      [FORK_PR, OTHER_FORK_PR, MEMBER_PR].map((job) =>
        cache.claim(REPO, signature, scopesOf(job), randomUUID()),
      ),
    );

    // Assess
    for (const claim of claims) {
      expect(claim.kind === 'hit' && claim.record.analysis.summary).toBe('Trunk answer');
    }
  });

  it("makes an untrusted job wait while a trusted job holds the repository's lease", async () => {
    // Prepare
    const signature = nextSignature();
    const holder = randomUUID();
    await cache.claim(REPO, signature, scopesOf(MAIN), holder);

    // Act
    const waiting = cache.claim(REPO, signature, scopesOf(FORK_PR), randomUUID());

    // Assess
    await expect(waiting).rejects.toBeInstanceOf(LeaseHeldError);
    await expect(waiting).rejects.toMatchObject({ leaseOwner: holder });
  });

  it('gives each scope its own single-flight lease', async () => {
    // Prepare
    const signature = nextSignature();
    await cache.claim(REPO, signature, scopesOf(FORK_PR), 'first-of-666');

    // Act: both claims in flight at once, each settled on its own (a rejection left unobserved while the other
    // is awaited would surface as an unhandled rejection).
    const [sameScope, otherScope] = await Promise.allSettled([
      cache.claim(REPO, signature, scopesOf(FORK_PR), 'second-of-666'),
      cache.claim(REPO, signature, scopesOf(OTHER_FORK_PR), 'first-of-700'),
    ]);

    // Assess
    expect(sameScope).toMatchObject({ status: 'rejected', reason: { leaseOwner: 'first-of-666' } });
    expect(otherScope).toEqual({ status: 'fulfilled', value: { kind: 'lease' } });
  });
});
