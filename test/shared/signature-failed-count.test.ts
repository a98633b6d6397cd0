import { describe, expect, it } from 'vitest';
import { snapshotOfText } from '../../shared/log/snapshot-lines';
import { computeSignature } from '../../shared/signature/compute-signature';

/** A mocha run whose first failure is always the same baseline change, alone or followed by `others` failures. */
function mochaRun(others: number): string[] {
  const more = Array.from({ length: others }, (_, i) => [
    `  ${i + 2}) compiler tests`,
    `       Correct errors for tests/cases/conformance/declarations/case${i}.ts:`,
    "     TypeError: Cannot read property 'parent' of undefined",
  ]).flat();
  return [
    '$ npm test',
    `  ${others + 1} failing`,
    '',
    '  1) compiler tests',
    '       Correct JS output for tests/cases/conformance/declarations/exportForms.ts:',
    '     Error: The baseline file exportForms.js has changed.',
    '      at Baseline.check (src/harness/baseline.ts:41:11)',
    ...more,
    '',
    'The command "npm test" exited with 1.',
  ];
}

describe('the runner count of failed tests', () => {
  it('tells the same first failure alone from the same failure among others', () => {
    const alone = computeSignature(snapshotOfText(mochaRun(0)));
    const among = computeSignature(snapshotOfText(mochaRun(4)));
    expect([alone.strength, among.strength]).toEqual(['strong', 'strong']);
    expect(alone.keyLines.map((key) => key.text)).toEqual(among.keyLines.map((key) => key.text));
    expect(alone.signature).not.toBe(among.signature);
  });

  it('leaves two runs with the same failures together', () => {
    const first = computeSignature(snapshotOfText(mochaRun(4)));
    const rerun = computeSignature(snapshotOfText(mochaRun(4)));
    expect(rerun.signature).toBe(first.signature);
  });
});
