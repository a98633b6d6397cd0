import { describe, expect, it } from 'vitest';
import { snapshotLines, snapshotOfText } from '../../shared/log/snapshot-lines';
import { isClosingLine } from '../../shared/signature/closing-line';
import { explainSignature } from '../../shared/signature/compute-signature';
import { yamlCheck } from '../support/yaml-check-log';

/**
 * The signature of a log given as lines with the named rules left out, as the out-of-group benchmark judges a
 * repository whose own rule decided: only the summary path's structure is left to find the failure.
 */
const withoutRules = (rules: readonly string[], lines: readonly string[]) =>
  explainSignature(snapshotLines(snapshotOfText(lines)), { withoutRules: new Set(rules) }).signature;

/** A compiler that failed in two parallel jobs: each prints the error, its closing count and the build's verdict. */
const parallelCompile = (error: string, crate: string) => {
  const job = [
    error,
    '  --> src/lib.rs:28:1',
    '   |',
    '28 | extern crate fontconfig;',
    '   | ^^^^^^^^^^^',
    '',
    'error: aborting due to previous error',
    '',
    'For more information about this error, try `rustc --explain E0463`.',
    `error: Could not compile \`${crate}\`.`,
  ];
  return [
    '$ ci/script.sh',
    `   Compiling ${crate} v0.1.0 (/home/travis/build/o/r/${crate})`,
    ...job,
    'warning: build failed, waiting for other jobs to finish...',
    ...job,
    '',
    'To learn more, run the command again with --verbose.',
    'The command "ci/script.sh" exited with 101.',
  ];
};

/** A spec linter's report: its error row, advice paragraphs, then its verdict that counts the errors. */
const specLint = (error: string) => [
  '$ pod lib lint MapKit.podspec --use-libraries',
  ' -> MapKit (10.0.0)',
  '',
  `    - ERROR | [OSX] unknown: ${error}`,
  '',
  '  In Podfile:',
  '    MapKit (from `/home/travis/build/o/r`) was resolved to 10.0.0, which depends on',
  '      Core (= 10.0.0)',
  '',
  'You have either:',
  ' * out-of-date source repos which you can update with `pod repo update`.',
  '',
  ' * mistyped the name or version.',
  '',
  '[!] MapKit did not pass validation, due to 1 error.',
  '',
  'You can use the `--no-clean` option to inspect any issue.',
  'The command "pod lib lint MapKit.podspec --use-libraries" exited with 1.',
];

describe('Function: isClosingLine', () => {
  it.each([
    'error: aborting due to 4 previous errors',
    'FAILURE!!! 1 files were unable to be parsed!',
    '[!] SomePod did not pass validation, due to 1 error.',
    'passed 75, failed 8, total 83',
    'Tests Passed: 1003, Failed: 3, Skipped: 2, Pending: 0',
    'Randomized with seed 677163',
    'Finished in 17.6 seconds',
    'For more information about this error, try `rustc --explain E0463`.',
    'To learn more, run the command again with --verbose.',
    'Run with --stacktrace option to get the stack trace.',
    'You can use the `--no-clean` option to inspect any issue.',
  ])('takes %j for a line that counts, judges or points back at the output above it', (line) => {
    expect(isClosingLine(line)).toBe(true);
  });

  it.each([
    "error[E0463]: can't find crate for `fontconfig`",
    '(./docs/page.md): found character that cannot start any token while scanning for the next token',
    'ERROR 2019/08/01 15:12:46 [en] REF_NOT_FOUND: Ref "/docs/utilities/colors"',
    'src/parser.c:12:3: error: expected ‘;’ before ‘}’ token',
    'Use of uninitialized value $name in concatenation at lib/App.pm line 12.',
    'Expected 2 arguments, but got 3.',
  ])('does not take the diagnostic %j for a closing line', (line) => {
    expect(isClosingLine(line)).toBe(false);
  });
});

describe('Function: findKeyLines on the summary path, past closing lines', () => {
  it('takes the first error of a compile cascade, not the build verdict or a parallel job repeating it', () => {
    // Act
    const signature = withoutRules(
      ['rust-compile-error'],
      parallelCompile("error[E0463]: can't find crate for `fontconfig`", 'font'),
    );

    // Assess
    expect(signature.keyLines[0]?.text).toBe("error[E0463]: can't find crate for `fontconfig`");
    expect(signature.keyLines[0]?.line).toBe(3);
  });

  it('takes the line that names the file over the count of files that failed', () => {
    // Act
    const signature = withoutRules(['yaml-syntax-error'], yamlCheck('./tr-tr/clojure-tr.html.markdown'));

    // Assess
    expect(signature.keyLines[0]?.text).toMatch(
      /^\(\.\/tr-tr\/clojure-tr\.html\.markdown\): found character/,
    );
  });

  it('passes over a test run’s seed, duration and counts to the failure report above them', () => {
    // Prepare
    const lines = [
      '$ mix test',
      '...........',
      '  1) test renders the error page (App.ErrorTest)',
      '     test/app/error_test.exs:146',
      '     Assertion with == failed',
      '     stacktrace:',
      '       test/app/error_test.exs:149: (test)',
      '',
      '...........',
      '',
      'Finished in 17.6 seconds',
      '17 doctests, 656 tests, 1 failure, 3 excluded',
      '',
      'Randomized with seed 677163',
      'The command "mix test" exited with 1.',
    ];

    // Act
    const signature = withoutRules(['exunit-failure'], lines);

    // Assess: the key line is one of the failing test's report (lines 3 to 7), not a closing line under it.
    expect(signature.keyLines[0]?.line).toBeGreaterThanOrEqual(3);
    expect(signature.keyLines[0]?.line).toBeLessThanOrEqual(7);
  });
});

describe('Function: findKeyLines above a closing line', () => {
  it('takes the error row that a verdict counts, paragraphs above it, not the verdict', () => {
    // Act
    const signature = withoutRules(
      ['podspec-lint'],
      specLint('Encountered an unknown error (no spec found)'),
    );

    // Assess
    expect(signature.keyLines[0]?.text).toBe(
      '- ERROR | [OSX] unknown: Encountered an unknown error (no spec found)',
    );
  });
});

describe('Function: computeSignature with failures that share their closing lines', () => {
  it('never gives two lint errors under the same `did not pass validation, due to 1 error` the same strong signature', () => {
    // Prepare
    const first = withoutRules(['podspec-lint'], specLint('Encountered an unknown error (no spec found)'));
    const second = withoutRules(
      ['podspec-lint'],
      specLint('The `source_files` pattern did not match any file.'),
    );

    // Assess
    expect(first.strength).toBe('strong');
    expect(second.signature).not.toBe(first.signature);
  });

  it('never gives two compile errors under the same crate verdict the same strong signature', () => {
    // Prepare: both builds end in `aborting due to previous error` and ``Could not compile `font`.``
    const first = withoutRules(
      ['rust-compile-error'],
      parallelCompile("error[E0463]: can't find crate for `fontconfig`", 'font'),
    );
    const second = withoutRules(
      ['rust-compile-error'],
      parallelCompile('error[E0425]: cannot find value `CURSOR` in this scope', 'font'),
    );

    // Assess
    expect(first.strength).toBe('strong');
    expect(second.signature).not.toBe(first.signature);
  });

  it('never gives two files under the same count of unparsable files the same strong signature', () => {
    // Prepare
    const first = withoutRules(['yaml-syntax-error'], yamlCheck('./es-es/coldfusion-es.html.markdown'));
    const second = withoutRules(['yaml-syntax-error'], yamlCheck('./tr-tr/clojure-tr.html.markdown'));

    // Assess
    expect(first.strength).toBe('strong');
    expect(second.signature).not.toBe(first.signature);
  });

  it('keeps one signature when a parallel job’s repetition is missing from a rerun', () => {
    // Prepare: the same error, once with the second job's copy of it and once without.
    const error = "error[E0463]: can't find crate for `fontconfig`";
    const full = parallelCompile(error, 'font');
    const single = [...full.slice(0, 12), ...full.slice(-3)];

    // Act
    const first = withoutRules(['rust-compile-error'], full);
    const second = withoutRules(['rust-compile-error'], single);

    // Assess
    expect(second.signature).toBe(first.signature);
  });
});
