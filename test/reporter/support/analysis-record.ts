/** Test support: a stored analysis record as the analyzer writes it, for tests that play the analyzer's part. */
import type { AnalysisRecord } from '../../../shared/contract/analysis';

export function anAnalysisRecord(summary: string): AnalysisRecord {
  return {
    analysis: {
      summary,
      rootCause: 'The convolution output changed.',
      category: 'test',
      isInfra: false,
      confidence: 'high',
      evidence: [{ line: 3, text: 'FAILED test/test_nn.py::TestConv::test_conv2d - AssertionError' }],
      suggestedFix: 'Fix the kernel.',
      files: [],
    },
    analyst: { kind: 'model', modelId: 'global.anthropic.claude-opus-4-6-v1' },
    signature: 'sig',
    strength: 'strong',
    rule: 'pytest-failed',
    promptVersion: 'p1',
    createdAt: new Date().toISOString(),
  };
}
