import { describe, expect, it } from 'vitest';
import { snapshotOfText } from '../../shared/log/snapshot-lines';
import { computeSignature } from '../../shared/signature/compute-signature';

const signatureOf = (lines: readonly string[]) => computeSignature(snapshotOfText(lines));
const travisEnd = (command: string) => ['', `The command "${command}" exited with 1.`, ''];

/** A spec run whose rows say pass or fail by their marker only, then a closing count and the command's summary. */
const specRun = (failing: string) => [
  'Describing parser',
  '  ✓ reads an empty document (3ms)',
  '  ✓ reads a nested list (5ms)',
  `  ✗ ${failing}`,
  '  ✓ reads a table (2ms)',
  'Executed 4 tests, with 1 failure',
  ...travisEnd('npm test'),
];

describe('Function: computeSignature (rows marked as failed)', () => {
  it('keys on the row whose marker is the failing one of the markers its passing neighbours carry', () => {
    // Act
    const signature = signatureOf(specRun('rejects a trailing comma, expected an error'));

    // Assess
    expect(signature.rule).toBe('marked-failure-row');
    expect(signature.keyLines[0]!.text).toBe('✗ rejects a trailing comma, expected an error');
  });

  it("reads Pester's bracketed markers the same way", () => {
    // Act
    const signature = signatureOf([
      'Describing d1',
      '    [+] i1 12ms (2ms|10ms)',
      '    [-] runs all files from the local folder -> Expected and actual values differ!',
      'Tests Passed: 1, Failed: 1, Skipped: 0',
      ...travisEnd('pwsh -c ./test.ps1'),
    ]);

    // Assess
    expect(signature.rule).toBe('marked-failure-row');
    expect(signature.keyLines[0]!.line).toBe(3);
  });

  it('does not take a lone failing marker without passing rows around it for a test verdict', () => {
    // Act
    const signature = signatureOf(['Checking links', '[-] skipped the cache', ...travisEnd('make check')]);

    // Assess
    expect(signature.rule).not.toBe('marked-failure-row');
  });

  it("does not take a linter's closing count under the same marker for a test's row", () => {
    // Act
    const signature = signatureOf([
      '  ✔ scss/_variables.scss',
      '✖ 1 problem (0 errors, 1 warning)',
      ...travisEnd('npm run css-lint'),
    ]);

    // Assess
    expect(signature.rule).not.toBe('marked-failure-row');
  });

  it('gives two different failing rows under the same closing lines different strong signatures', () => {
    // Act
    const comma = signatureOf(specRun('rejects a trailing comma, expected an error'));
    const tab = signatureOf(specRun('keeps a tab inside a string, expected "\\t" got " "'));

    // Assess
    expect(comma.strength).toBe('strong');
    expect(tab.strength).toBe('strong');
    expect(comma.signature).not.toBe(tab.signature);
  });
});
