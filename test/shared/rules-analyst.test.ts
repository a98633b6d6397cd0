import { describe, expect, it } from 'vitest';
import { AnalysisSchema } from '../../shared/contract/analysis';
import { analyzeWithRules } from '../../shared/signature/rules-analyst';
import type { FailureSignature } from '../../shared/signature/types';

function signatureWith(overrides: Partial<FailureSignature>): FailureSignature {
  return {
    signature: 'abc123',
    strength: 'strong',
    rule: 'pytest-failed',
    category: 'test',
    keyLines: [
      { line: 812, text: 'FAILED test/test_nn.py::TestNN::test_conv2d - AssertionError: not close' },
      {
        line: 790,
        text: '  File "/home/runner/work/pytorch/pytorch/torch/nn/functional.py", line 2411, in conv2d',
      },
    ],
    ...overrides,
  };
}

describe('Function: analyzeWithRules', () => {
  it('leaves the rulers of a heading out of the one-line summary', () => {
    // Prepare
    const heading = {
      line: 12,
      text: '________________ TestNN.test_conv2d_padding_same_cpu_float32 ____________',
    };

    // Act
    const analysis = analyzeWithRules(signatureWith({ keyLines: [heading] }), { reason: 'offline' });

    // Assess
    expect(analysis.summary).toBe('Test failure: TestNN.test_conv2d_padding_same_cpu_float32');
    expect(analysis.evidence).toEqual([heading]);
  });

  it('builds a valid analysis from the key lines and says no model was used', () => {
    // Act
    const analysis = analyzeWithRules(signatureWith({}), { reason: 'the daily model budget is spent' });

    // Assess
    expect(AnalysisSchema.safeParse(analysis).success).toBe(true);
    expect(analysis.summary).toBe(
      'Test failure: FAILED test/test_nn.py::TestNN::test_conv2d - AssertionError: not close',
    );
    expect(analysis.rootCause).toContain('No model was used (the daily model budget is spent)');
    expect(analysis.rootCause).toContain('`pytest-failed`');
    expect(analysis.category).toBe('test');
    expect(analysis.isInfra).toBe(false);
    expect(analysis.confidence).toBe('medium');
    expect(analysis.evidence).toEqual([
      { line: 812, text: 'FAILED test/test_nn.py::TestNN::test_conv2d - AssertionError: not close' },
      {
        line: 790,
        text: '  File "/home/runner/work/pytorch/pytorch/torch/nn/functional.py", line 2411, in conv2d',
      },
    ]);
  });

  it('finds file references of compilers and Python tracebacks', () => {
    // Prepare
    const signature = signatureWith({
      rule: 'compile-error',
      category: 'build',
      keyLines: [
        { line: 5, text: 'aten/src/ATen/native/Conv.cpp:120:5: error: expected ; before }' },
        { line: 9, text: '  File "torch/_dynamo/eval_frame.py", line 88, in _fn' },
        { line: 10, text: 'gcc version 12.2.0 and 1.2.3:45 are not files' },
        {
          line: 14,
          text: '/var/lib/jenkins/workspace/aten/src/ATen/native/Padding.cpp:118:23: error: no match',
        },
      ],
    });

    // Act
    const analysis = analyzeWithRules(signature, { reason: 'rules configured' });

    // Assess
    expect(analysis.files).toEqual([
      { path: 'aten/src/ATen/native/Conv.cpp', line: 120 },
      { path: 'torch/_dynamo/eval_frame.py', line: 88 },
      { path: '/var/lib/jenkins/workspace/aten/src/ATen/native/Padding.cpp', line: 118 },
    ]);
  });

  it('marks infrastructure and network failures as infra, with low confidence for weak signatures', () => {
    // Act
    const infra = analyzeWithRules(
      signatureWith({
        category: 'infra',
        rule: 'pod-start',
        keyLines: [{ line: 1, text: 'pod failed to come online' }],
      }),
      { reason: 'r' },
    );
    const weak = analyzeWithRules(
      signatureWith({ strength: 'weak', rule: 'generic-error', category: 'unknown', keyLines: [] }),
      { reason: 'r' },
    );

    // Assess
    expect(infra.isInfra).toBe(true);
    expect(infra.suggestedFix).toContain('re-run');
    expect(weak.confidence).toBe('low');
    expect(weak.summary).toBe('Step failed (no key line found)');
    expect(weak.rootCause).toContain('cause is uncertain');
  });
});
