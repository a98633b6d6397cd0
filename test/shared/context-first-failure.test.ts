import { describe, expect, it } from 'vitest';
import { selectContext } from '../../shared/context/context-selection';
import { SCORE_PATTERNS } from '../../shared/log/line-score';
import { snapshotOfText } from '../../shared/log/snapshot-lines';
import { SIGNATURE_RULES } from '../../shared/signature/rules';

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
const nameOf = (i: number): string =>
  `${WORDS[i % 10]}-${WORDS[Math.floor(i / 10) % 10]}-${WORDS[Math.floor(i / 100) % 10]}`;

/** What a framework no rule or scorer pattern was written for looks like: all of them switched off. */
const unknownFramework = {
  withoutRules: new Set(SIGNATURE_RULES.map((rule) => rule.id)),
  withoutScorePatterns: new Set(SCORE_PATTERNS.map((_, index) => index)),
};

/** A test run whose first failure is far from the end and followed by many more. */
function runWithManyFailures(): string[] {
  const lines = ['Describing the widget store'];
  for (let i = 0; i < 300; i += 1) lines.push(`    [+] keeps ${nameOf(i)} in order`);
  lines.push('    [-] rejects a widget without a name');
  lines.push('      Expected an exception of type ArgumentError, but no exception was thrown.');
  lines.push('      at widget-store.tests.ps1: line 41');
  for (let i = 0; i < 120; i += 1) {
    lines.push(`    [-] reloads ${nameOf(i)} from the cache`);
    lines.push(`      Expected '${nameOf(i)}' to be found in the cache, but the cache held nothing at all.`);
    lines.push(`      at widget-store.tests.ps1: line ${100 + i}`);
  }
  lines.push(
    'Tests completed in 12.4s',
    'Tests Passed: 300, Failed: 121, Skipped: 0',
    'Exception: 121 tests failed.',
  );
  return lines;
}

describe('Function: selectContext, first failing test result', () => {
  it('shows the first failing test row with its diagnostics of a framework no rule knows, before the later failures', () => {
    // Prepare
    const snapshot = snapshotOfText(runWithManyFailures());

    // Act
    const context = selectContext(snapshot, { budgetBytes: 8 * 1024, ...unknownFramework });

    // Assess
    expect(context.text).toContain('    [-] rejects a widget without a name');
    expect(context.text).toContain(
      'Expected an exception of type ArgumentError, but no exception was thrown.',
    );
    expect(context.text).toContain('Exception: 121 tests failed.');
  });
});
