import { describe, expect, it } from 'vitest';
import { snapshotLines, snapshotOfText } from '../../shared/log/snapshot-lines';
import { explainSignature } from '../../shared/signature/compute-signature';

/**
 * A runner that reports each failed test under `failures:` (its output, far too long to stay in one failure region),
 * then recaps their names under a second `failures:` before its closing verdict.
 */
function recappedRun(first: string, second: string): string[] {
  const dump = Array.from({ length: 400 }, (_, i) => `[${i}] Cell { c: 'x' } => Cell { c: 'y' }`);
  return [
    `test ${first} ... FAILED`,
    `test ${second} ... FAILED`,
    '',
    'failures:',
    '',
    `---- ${first} stdout ----`,
    `thread '${first}' panicked at 'grid does not match', tests/ref.rs:125:9`,
    ...dump,
    `---- ${second} stdout ----`,
    `thread '${second}' panicked at 'grid does not match', tests/ref.rs:125:9`,
    '',
    'failures:',
    `    ${first}`,
    `    ${second}`,
    '',
    'test result: FAILED. 14 passed; 2 failed; 0 ignored',
    '',
    'The command "cargo test" exited with 101.',
  ];
}

/** The signature made without Rust's own rule, as the benchmark judges a structure that is not Rust's alone. */
const withoutRustRule = (lines: readonly string[]) =>
  explainSignature(snapshotLines(snapshotOfText(lines)), { withoutRules: new Set(['rust-test-failure']) })
    .signature;

describe('Function: explainSignature (a recap of failed names)', () => {
  it('follows a closing recap of failed names back to the list that reported the first of them', () => {
    // Act
    const signature = withoutRustRule(recappedRun('csi_rep', 'grid_reset'));

    // Assess
    expect(signature.rule).toBe('failure-list');
    expect(signature.keyLines.map((key) => key.text)).toEqual([
      '---- csi_rep stdout ----',
      "thread 'csi_rep' panicked at 'grid does not match', tests/ref.rs:125:9",
    ]);
  });

  it('keys a list of names on its first name when no earlier list reported it', () => {
    // Act
    const signature = withoutRustRule([
      'failures:',
      '    csi_rep',
      '',
      'The command "cargo test" exited with 101.',
    ]);

    // Assess
    expect(signature.keyLines[0]!.text).toBe('csi_rep');
  });

  it('gives two runs whose first failed tests differ different strong signatures under the same recap lines', () => {
    // Act
    const csi = withoutRustRule(recappedRun('csi_rep', 'grid_reset'));
    const ll = withoutRustRule(recappedRun('ll', 'grid_reset'));

    // Assess
    expect(csi.strength).toBe('strong');
    expect(ll.strength).toBe('strong');
    expect(csi.signature).not.toBe(ll.signature);
  });
});
