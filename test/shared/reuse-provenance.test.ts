import { describe, expect, it } from 'vitest';
import type { AnalysisRecord } from '../../shared/contract/analysis';
import type { AnalysisOrigin } from '../../shared/contract/analysis-origin';
import { describeOrigin, originSentence } from '../../shared/render/describe-origin';
import { renderCheckRun } from '../../shared/render/render-check-run';
import { renderInline } from '../../shared/render/render-inline';

const JOB_URL = 'https://github.com/pytorch/pytorch/actions/runs/42/job/31337';

const FROM_MAIN: AnalysisOrigin = {
  repo: 'pytorch/pytorch',
  scope: 'repo',
  trusted: true,
  ref: 'refs/heads/main',
  headSha: '0123456789abcdef0123456789abcdef01234567',
  jobUrl: JOB_URL,
};

const FROM_FORK_PR: AnalysisOrigin = {
  repo: 'pytorch/pytorch',
  scope: 'pr:666',
  trusted: false,
  ref: 'refs/pull/666/merge',
  prNumber: 666,
  headSha: 'fedcba9876543210fedcba9876543210fedcba98',
  jobUrl: JOB_URL,
};

function recordFrom(origin: AnalysisOrigin | undefined): AnalysisRecord {
  return {
    analysis: {
      summary: 'test_conv2d fails: tensors are not close',
      rootCause: 'The conv2d kernel changed.',
      category: 'test',
      isInfra: false,
      confidence: 'high',
      evidence: [],
      suggestedFix: 'Fix the kernel.',
      files: [],
    },
    analyst: { kind: 'model', modelId: 'global.anthropic.claude-opus-4-6-v1' },
    signature: 'sig0123456789',
    strength: 'strong',
    rule: 'pytest-failure',
    promptVersion: 'p1',
    createdAt: '2026-11-25T10:00:00.000Z',
    ...(origin ? { origin } : {}),
  };
}

function checkRunSummary(origin: AnalysisOrigin | undefined, fromCache = true): string {
  return renderCheckRun({
    record: recordFrom(origin),
    repo: 'pytorch/pytorch',
    jobUrl: 'https://github.com/pytorch/pytorch/actions/runs/50/job/500',
    stepIndex: 4,
    facts: undefined,
    fromCache,
  }).summary;
}

describe('Reuse provenance on every surface', () => {
  it('says in the check run where a reused trusted answer was first analysed', () => {
    // Act
    const summary = checkRunSummary(FROM_MAIN);

    // Assess
    expect(summary).toContain(
      'Reused from an earlier failure with the same signature, first analysed on branch ` main ` at commit ' +
        `\`0123456789ab\` ([job](${JOB_URL})); made in a trusted context, so it is shared across the repository.`,
    );
  });

  it("says in the check run that an untrusted PR's answer is reused only on that PR", () => {
    // Act
    const summary = checkRunSummary(FROM_FORK_PR);

    // Assess
    expect(summary).toContain('first analysed on PR #666 at commit `fedcba987654`');
    expect(summary).toContain(
      'made in an untrusted context (no write access), so it is reused only on that PR.',
    );
  });

  it('says so when an old record does not know its origin, and says nothing for a fresh analysis', () => {
    // Act
    const legacy = checkRunSummary(undefined);
    const fresh = checkRunSummary(FROM_MAIN, false);

    // Assess
    expect(legacy).toContain('(where it was first analysed is not recorded)');
    expect(fresh).not.toContain('Reused');
  });

  it('prints the origin inline under a reused answer', () => {
    // Act
    const text = renderInline(recordFrom(FROM_MAIN), { fromCache: true });

    // Assess
    expect(text).toContain(
      `Reused from an earlier failure with the same signature, first analysed on branch main at commit 0123456789ab, job ${JOB_URL}; made in a trusted context, so it is shared across the repository.`,
    );
    expect(renderInline(recordFrom(FROM_MAIN))).not.toContain('Reused');
  });

  it('reduces a hostile branch name to inert characters and drops a job link that is not a GitHub job page', () => {
    // Prepare
    const origin: AnalysisOrigin = {
      ...FROM_MAIN,
      trusted: false,
      scope: 'ref:x',
      ref: 'refs/heads/main`](https://evil.example) ::error::pwned\u202e',
      jobUrl: 'https://evil.example/pytorch/pytorch/actions/runs/1/job/2',
      headSha: '<img src=x>',
    };

    // Act
    const described = describeOrigin(origin);
    const sentence = originSentence(origin);

    // Assess
    expect(described.placeName).toBe('mainhttps//evil.exampleerrorpwned');
    expect(described.jobUrl).toBeUndefined();
    expect(described.commit).toBe('unknown');
    expect(sentence).not.toMatch(/[`[\]<>:\u202e]/u);
    expect(checkRunSummary(origin)).not.toContain('evil.example)');
  });
});
