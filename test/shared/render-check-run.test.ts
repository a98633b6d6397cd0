import { describe, expect, it } from 'vitest';
import type { AnalysisRecord } from '../../shared/contract/analysis';
import { shortenWorkspacePaths, toRepositoryPath } from '../../shared/log/workspace-paths';
import {
  CHECK_RUN_LIMITS,
  jobLogLineUrl,
  type RenderCheckRunInput,
  renderCheckRun,
} from '../../shared/render/render-check-run';

const JOB_URL = 'https://github.com/pytorch/pytorch/actions/runs/11/job/22';

function recordWith(overrides: Partial<AnalysisRecord['analysis']> = {}): AnalysisRecord {
  return {
    analysis: {
      summary: 'test_conv2d fails: tensors are not close',
      rootCause: 'The convolution output differs from the reference.',
      category: 'test',
      isInfra: false,
      confidence: 'high',
      evidence: [{ line: 41, text: 'E   AssertionError: Tensor-likes are not close!' }],
      suggestedFix: 'Fix the kernel.',
      files: [
        { path: '/home/runner/work/pytorch/pytorch/torch/nn/functional.py', line: 2411 },
        { path: 'test/test_nn.py', line: 120 },
        { path: '/usr/lib/python3.10/unittest/case.py', line: 5 },
        { path: 'README.md' },
      ],
      ...overrides,
    },
    analyst: { kind: 'model', modelId: 'global.anthropic.claude-opus-4-6-v1' },
    signature: 'sig0123456789',
    strength: 'strong',
    rule: 'pytest-failed',
    promptVersion: 'p1',
    createdAt: '2026-11-25T10:00:00.000Z',
  };
}

function inputWith(overrides: Partial<RenderCheckRunInput> = {}): RenderCheckRunInput {
  return {
    record: recordWith(),
    repo: 'pytorch/pytorch',
    jobUrl: JOB_URL,
    stepIndex: 4,
    facts: { seenLast7d: 12, onMain: false, otherPrAuthors: 3 },
    fromCache: true,
    ...overrides,
  };
}

describe('Function: renderCheckRun', () => {
  it('renders the title, the summary facts and links evidence to the job log line', () => {
    // Act
    const { title, summary } = renderCheckRun(inputWith());

    // Assess
    expect(title).toBe('test_conv2d fails: tensors are not close');
    expect(summary).toContain('**Cause:** test_conv2d fails: tensors are not close');
    expect(summary).toContain(
      `- \` E   AssertionError: Tensor-likes are not close! \` ([line 41](${JOB_URL}#step:4:41))`,
    );
    expect(summary).toContain('**Suggested fix:** Fix the kernel.');
    expect(summary).toContain('**Category:** test · **Code or workflow** · **Confidence:** high');
    expect(summary).toContain('**Analyst:** model `global.anthropic.claude-opus-4-6-v1`');
    expect(summary).toContain(
      '**Seen** 12 times in 7 days; on main: no; on PRs by 3 other authors → likely not caused by this PR.',
    );
    expect(summary).toContain('Reused from an earlier failure');
  });

  it('links to the job without a line anchor when the step is unknown', () => {
    // Act
    const { summary } = renderCheckRun(inputWith({ stepIndex: undefined }));

    // Assess
    expect(summary).toContain(`([line 41](${JOB_URL}))`);
  });

  it('says when no model was used and when a failure is infrastructure or on main', () => {
    // Prepare
    const record = recordWith({ isInfra: true, category: 'infra' });
    const rules: AnalysisRecord = {
      ...record,
      analyst: { kind: 'rules', reason: 'the model was throttled' },
    };

    // Act
    const { summary } = renderCheckRun(
      inputWith({
        record: rules,
        facts: { seenLast7d: 1, onMain: true, otherPrAuthors: 0 },
        fromCache: false,
      }),
    );

    // Assess
    expect(summary).toContain('**Infrastructure**');
    expect(summary).toContain('**Analyst:** offline rules, no model was used (the model was throttled)');
    expect(summary).toContain(
      '**Seen** once in 7 days; on main: yes; on PRs by 0 other authors → likely a broken trunk',
    );
    expect(summary).not.toContain('Reused');
  });

  it('annotates repository files at their lines, stripping workspace prefixes', () => {
    // Act
    const { annotations } = renderCheckRun(inputWith());

    // Assess
    expect(annotations.map((annotation) => [annotation.path, annotation.start_line])).toEqual([
      ['torch/nn/functional.py', 2411],
      ['test/test_nn.py', 120],
    ]);
    expect(annotations[0]).toMatchObject({ end_line: 2411, annotation_level: 'warning' });
  });

  it('keeps at most 50 annotations and a summary within 65,535 bytes', () => {
    // Prepare
    const huge = 'é'.repeat(40_000);
    const record = recordWith({
      rootCause: huge,
      suggestedFix: huge,
      evidence: Array.from({ length: 400 }, (_, index) => ({
        line: index + 1,
        text: `${huge.slice(0, 300)} ${index}`,
      })),
      files: Array.from({ length: 120 }, (_, index) => ({ path: `torch/f${index}.py`, line: index + 1 })),
    });

    // Act
    const { summary, annotations } = renderCheckRun(inputWith({ record }));

    // Assess
    expect(new TextEncoder().encode(summary).length).toBeLessThanOrEqual(CHECK_RUN_LIMITS.summaryBytes);
    expect(annotations).toHaveLength(50);
  });

  it('keeps evidence with backticks inside its code span', () => {
    // Prepare
    const record = recordWith({ evidence: [{ line: 3, text: 'error: `` ` `` escaped' }] });

    // Act
    const { summary } = renderCheckRun(inputWith({ record }));

    // Assess
    expect(summary).toContain('- ``` error: `` ` `` escaped ```');
  });
});

describe('Function: shortenWorkspacePaths', () => {
  it('shortens workspace paths inside a line and leaves other paths alone', () => {
    // Act
    const line = shortenWorkspacePaths(
      '/var/lib/jenkins/workspace/aten/src/ATen/native/Padding.cpp:118:23: error: see /usr/include/c++/12/bits/x.h:4',
    );

    // Assess
    expect(line).toBe('aten/src/ATen/native/Padding.cpp:118:23: error: see /usr/include/c++/12/bits/x.h:4');
  });
});

describe('Function: toRepositoryPath', () => {
  it.each([
    ['/home/runner/work/pytorch/pytorch/torch/a.py', 'torch/a.py'],
    ['/var/lib/jenkins/workspace/test/b.py', 'test/b.py'],
    ['/__w/pytorch/pytorch/c10/core/d.h', 'c10/core/d.h'],
    ['./tools/e.py', 'tools/e.py'],
    ['/opt/conda/lib/python3.10/site-packages/torch/x.py', undefined],
    ['../outside.py', undefined],
  ])('maps %s to %s', (path, expected) => {
    expect(toRepositoryPath(path)).toBe(expected);
  });
});

describe('Function: jobLogLineUrl', () => {
  it('anchors the step and line when both are known', () => {
    expect(jobLogLineUrl(JOB_URL, 2, 17)).toBe(`${JOB_URL}#step:2:17`);
    expect(jobLogLineUrl(JOB_URL, undefined, 17)).toBe(JOB_URL);
  });
});
