import { describe, expect, it } from 'vitest';
import { snapshotLines, snapshotOfText } from '../../shared/log/snapshot-lines';
import { explainSignature } from '../../shared/signature/compute-signature';

const lines = snapshotLines(
  snapshotOfText([
    '$ npm test',
    '  1) parser',
    '       rejects a trailing comma:',
    '     AssertionError: expected [Function] to throw an error',
    '',
    '1 failing',
    '',
    'The command "npm test" exited with 1.',
  ]),
);

describe('Function: explainSignature with rules left out', () => {
  it('finds the failure with the full rule set', () => {
    // Act
    const { signature } = explainSignature(lines);

    // Assess
    expect(signature.rule).toBe('mocha-failure');
  });

  it('lets the remaining rules find the failure when one is left out', () => {
    // Act
    const { signature } = explainSignature(lines, { withoutRules: new Set(['mocha-failure']) });

    // Assess
    expect(signature.rule).not.toBe('mocha-failure');
    expect(signature.keyLines[0]!.text).toBe('AssertionError: expected [Function] to throw an error');
  });
});
