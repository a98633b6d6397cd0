import { describe, expect, it } from 'vitest';
import { type AnalysisRecord, AnalysisRecordSchema } from '../../shared/contract/analysis';
import { INLINE_LIMITS, renderInline } from '../../shared/render/render-inline';

function aRecord(overrides: Partial<AnalysisRecord['analysis']> = {}, analyst?: AnalysisRecord['analyst']) {
  return AnalysisRecordSchema.parse({
    analysis: {
      summary: 'test_conv2d fails: expected shape (2, 3) but got (3, 2)',
      rootCause: 'The change transposes the weight before the convolution.\nThe test compares shapes.',
      category: 'test',
      isInfra: false,
      confidence: 'high',
      evidence: [{ line: 1204, text: 'AssertionError: torch.Size([2, 3]) != torch.Size([3, 2])' }],
      suggestedFix: 'Remove the transpose in conv.py.',
      files: [{ path: 'torch/nn/modules/conv.py', line: 42 }, { path: 'test/test_nn.py' }],
      ...overrides,
    },
    analyst: analyst ?? { kind: 'model', modelId: 'global.anthropic.claude-opus-4-6-v1' },
    signature: 'a1b2c3d4e5f60718',
    strength: 'strong',
    rule: 'python-assertion',
    promptVersion: 'p1',
    createdAt: '2026-11-25T10:11:12.000Z',
  });
}

/** The lines the Actions runner would treat as workflow commands. */
function commandLines(text: string): string[] {
  return text.split('\n').filter((line) => line.trimStart().startsWith('::') || line.includes('##['));
}

describe('Function: renderInline', () => {
  it('renders a group that opens with an error annotation and closes once', () => {
    // Act
    const text = renderInline(aRecord(), { reportId: '3f1c8e2a-0000-4000-8000-000000000001' });

    // Assess
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(
      '::group::[OSDC] Failure analysis: test_conv2d fails: expected shape (2, 3) but got (3, 2)',
    );
    expect(lines[1]).toBe(
      '::error title=OSDC failure analysis (test)::test_conv2d fails: expected shape (2, 3) but got (3, 2)',
    );
    expect(lines.at(-1)).toBe('::endgroup::');
    expect(commandLines(text)).toHaveLength(3);
    expect(text).toContain('  line 1204: AssertionError: torch.Size([2, 3]) != torch.Size([3, 2])');
    expect(text).toContain('Files: torch/nn/modules/conv.py:42, test/test_nn.py');
    expect(text).toContain('Analysis by global.anthropic.claude-opus-4-6-v1');
    expect(text).toContain('report 3f1c8e2a-0000-4000-8000-000000000001');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('neutralises workflow commands that the analysis text carries', () => {
    // Prepare
    const record = aRecord({
      summary: 'x::add-mask::y ##[error]fake',
      rootCause: '::set-output name=a::b\n   ::stop-commands::token\n\t::warning::w\ntext ##[group]g ###[x]',
      suggestedFix: '::endgroup::\n::error::injected',
      evidence: [{ text: '::notice::n' }, { text: '##[command]rm -rf /' }],
      files: [{ path: '::debug::p' }],
    });

    // Act
    const text = renderInline(record);

    // Assess
    const commands = commandLines(text);
    expect(commands).toEqual([
      expect.stringMatching(/^::group::\[OSDC\] Failure analysis: /),
      expect.stringMatching(/^::error title=/),
      '::endgroup::',
    ]);
    expect(text).toContain('x::add-mask::y # #[error]fake');
    expect(text).toContain(': :set-output name=a::b');
  });

  it('escapes the annotation data so the summary cannot add properties or lines', () => {
    // Prepare
    const record = aRecord({ summary: '100% broken, file=a.py::error::again' });

    // Act
    const lines = renderInline(record).split('\n');

    // Assess
    expect(lines[1]).toBe(
      '::error title=OSDC failure analysis (test)::100%25 broken, file=a.py::error::again',
    );
  });

  it('strips escape sequences, control, bidi and zero-width characters', () => {
    // Prepare
    const record = aRecord({
      summary: 'red \u001b[31mALERT\u001b[0m\u0007 \u202eevil\u202c\u200b done',
      rootCause: 'line one\r\nline two\rline three\u0000\u0085',
    });

    // Act
    const text = renderInline(record);

    // Assess
    expect(text).toContain('Failure analysis: red ALERT evil done');
    expect(text).toContain('  line one\n  line two\n  line three\n');
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b\u202a-\u202e]/);
  });

  it('caps every field and the number of lines', () => {
    // Prepare
    const long = 'a'.repeat(10_000);
    const record = aRecord({
      summary: long,
      rootCause: Array.from({ length: 100 }, (_, index) => `cause line ${index}`).join('\n'),
      suggestedFix: long,
      evidence: Array.from({ length: 50 }, () => ({ text: long })),
      files: Array.from({ length: 50 }, (_, index) => ({ path: `src/file${index}.py` })),
    });

    // Act
    const text = renderInline(record);

    // Assess
    const lines = text.split('\n');
    expect(lines[0]!.length).toBeLessThan(INLINE_LIMITS.summary + 60);
    expect(lines.filter((line) => line.startsWith('  cause line'))).toHaveLength(
      INLINE_LIMITS.paragraphLines,
    );
    expect(text).toContain('  …');
    expect(lines.filter((line) => line.startsWith('  aaa'))).toHaveLength(INLINE_LIMITS.evidence + 1);
    expect(text).toContain('src/file9.py');
    expect(text).not.toContain('src/file10.py');
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(INLINE_LIMITS.paragraph + 100);
  });

  it('says when the answer comes from the offline rules analyst and when the failure is infrastructure', () => {
    // Prepare
    const record = aRecord(
      { isInfra: true, category: 'infra', evidence: [], files: [] },
      { kind: 'rules', reason: 'model unavailable' },
    );

    // Act
    const text = renderInline(record, { fromCache: true });

    // Assess
    expect(text).toContain('Offline rules analyst, no model (model unavailable)');
    expect(text).toContain('Looks like an infrastructure problem');
    expect(text).toContain(
      'Reused from an earlier failure with the same signature (where it was first analysed is not recorded).',
    );
    expect(text).not.toContain('Evidence:');
    expect(text).not.toContain('Files:');
  });
});
