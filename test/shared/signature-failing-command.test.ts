import { describe, expect, it } from 'vitest';
import { snapshotLines, snapshotOfText } from '../../shared/log/snapshot-lines';
import { computeSignature, explainSignature } from '../../shared/signature/compute-signature';
import { findKeyLines } from '../../shared/signature/find-key-lines';
import { yamlCheck } from '../support/yaml-check-log';

/** The rule and the texts of the key lines that findKeyLines picks in a log given as lines. */
function keyLinesOf(lines: readonly string[]) {
  const flat = snapshotLines(snapshotOfText(lines));
  const found = findKeyLines(flat);
  return { rule: found?.rule.id, texts: found?.keyIndices.map((index) => flat[index]!.text.trim()) ?? [] };
}

const signatureOf = (lines: readonly string[]) => computeSignature(snapshotOfText(lines));

/** The first key line when the named framework rule is left out, as the out-of-group benchmark judges a header. */
const firstKeyLineWithout = (rule: string, lines: readonly string[]) =>
  explainSignature(snapshotLines(snapshotOfText(lines)), { withoutRules: new Set([rule]) }).signature
    .keyLines[0]?.text;

/** A Travis setup command that retried a download, then a test command that failed on its own. */
const SURVIVED_DOWNLOAD = [
  '$ rvm use 2.6.0 --install --binary --fuzzy',
  'curl: (22) The requested URL returned error: 404 Not Found',
  'Required ruby-2.6.0 is not installed - installing.',
  'Found remote file https://rubies.travis-ci.org/ubuntu/14.04/x86_64/ruby-2.6.0.tar.bz2',
  '$ script/cibuild',
  'Run options: --seed 1041',
];

describe('Function: findKeyLines in the failing command', () => {
  it('ignores an error that an earlier echoed command survived', () => {
    // Prepare
    const lines = [
      ...SURVIVED_DOWNLOAD,
      '868 tests, 1555 assertions, 1 failures, 0 errors, 0 skips',
      'Output was not what was expected in test_site_builds',
      'Command failed with status (1): [ruby -w -I"lib:test" ...]',
      'The command "script/cibuild" exited with 1.',
    ];

    // Act
    const found = keyLinesOf(lines);

    // Assess
    expect(found.rule).not.toBe('network');
    expect(found.texts).not.toContain('curl: (22) The requested URL returned error: 404 Not Found');
  });

  it('takes the first entry of a failure list under a `Failure:` header, without the minitest rule', () => {
    // Prepare
    const lines = [
      ...SURVIVED_DOWNLOAD,
      'Failure:',
      'TestKramdown#test_chosen_highlighter [/home/travis/build/o/r/test/test_kramdown.rb:12]',
      'Expected true to not be truthy.',
      '',
      '868 tests, 1555 assertions, 1 failures, 0 errors, 0 skips',
      'The command "script/cibuild" exited with 1.',
    ];

    // Act
    const first = firstKeyLineWithout('minitest-failure', lines);

    // Assess
    expect(first).toBe(
      'TestKramdown#test_chosen_highlighter [/home/travis/build/o/r/test/test_kramdown.rb:12]',
    );
  });

  it('takes the first failed test of a libtest `failures:` section, without the Rust test rule', () => {
    // Prepare
    const lines = [
      'test grid::tests::scroll_up ... ok',
      'test term::tests::line_selection_works ... FAILED',
      '',
      'failures:',
      '',
      '---- term::tests::line_selection_works stdout ----',
      "thread 'term::tests::line_selection_works' panicked at 'assertion failed: requested < self.len', src/grid.rs:195:9",
      '',
      'failures:',
      '    term::tests::line_selection_works',
      '',
      'test result: FAILED. 92 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out',
    ];

    // Act
    const first = firstKeyLineWithout('rust-test-failure', lines);

    // Assess
    expect(first).toBe('---- term::tests::line_selection_works stdout ----');
  });

  it('does not take a closing verdict after `rake aborted!` as the reason', () => {
    // Act
    const found = keyLinesOf(yamlCheck('./es-es/coldfusion-es.html.markdown'));

    // Assess
    expect(found.rule).not.toBe('rake-aborted');
    expect(found.texts[0]).not.toBe('Failed 1 tests!!');
  });
});

/** A docs check that no rule knows: one row per page, a failing row far above the closing count. */
const docsCheck = (failing: string) => [
  '$ ./check-docs.sh',
  ...Array.from({ length: 40 }, (_, i) => `checking docs/page${i}.md ${i === 7 ? '' : 'ok'}`.trim()),
  `checking docs/${failing}.md FAILED`,
  '  broken anchor #usage',
  ...Array.from({ length: 40 }, (_, i) => `checking docs/more${i}.md ok`),
  'Summary: 1 of 82 pages failed',
  'The command "./check-docs.sh" exited with 1.',
];

describe('Function: findKeyLines with a failing result row far above the summary', () => {
  it('takes the first failing row and the line under it', () => {
    // Act
    const found = keyLinesOf(docsCheck('api'));

    // Assess
    expect(found.texts.slice(0, 2)).toEqual(['checking docs/api.md FAILED', 'broken anchor #usage']);
  });

  it('keeps a failure report right above the summary over an earlier row, without the pytest summary rule', () => {
    // Prepare
    const lines = [
      '$ python run_test.py',
      'FAILED [0.379s] test/test_x.py::TestX::test_a - AssertionError',
      ...Array.from({ length: 40 }, (_, i) => `rerunning test_a with seed ${i}`),
      'Got exit code 1',
      'FAILED CONSISTENTLY: test/test_x.py::TestX::test_a',
      'Test failed consistently, continuing with the rest of the tests',
      'The command "python run_test.py" exited with 1.',
    ];

    // Act
    const first = firstKeyLineWithout('pytest-summary', lines);

    // Assess
    expect(first).toBe('FAILED CONSISTENTLY: test/test_x.py::TestX::test_a');
  });
});

describe('Function: computeSignature of failures that share generic lines', () => {
  it('never gives two failing rows under the same closing lines the same strong signature', () => {
    // Act
    const first = signatureOf(docsCheck('api'));
    const second = signatureOf(docsCheck('faq'));

    // Assess
    expect(first.strength === 'strong' && first.signature === second.signature).toBe(false);
  });

  it('never gives two files that failed the same check the same strong signature', () => {
    // Prepare: both print the same count, verdict, rake trace and Travis summary; only the file line differs.
    const first = signatureOf(yamlCheck('./es-es/coldfusion-es.html.markdown'));
    const second = signatureOf(yamlCheck('./tr-tr/clojure-tr.html.markdown'));

    // Assess
    expect(first.strength === 'strong' && first.signature === second.signature).toBe(false);
  });

  it('keeps one signature for the same file failing in two runs', () => {
    // Prepare
    const run = yamlCheck('./th-th/pascal.th.html.markdown');
    const rerun = ['$ git clone --depth=50 https://github.com/o/r.git', ...run];

    // Act
    const first = signatureOf(run);
    const second = signatureOf(rerun);

    // Assess
    expect(second.signature).toBe(first.signature);
    expect(first.strength).toBe('strong');
  });
});

describe('Function: findKeyLines in tables and interleaved tracebacks', () => {
  it('takes the odd row of a table of verdict rows', () => {
    // Prepare
    const pass = (name: string) =>
      `PASS: benchmark ('${name}', 'instruction_count') pass, actual result 60329 +5.38%`;
    const lines = [
      pass('detach'),
      '',
      pass('view'),
      '',
      pass('random'),
      '',
      "REGRESSION: benchmark ('custom_handler', 'instruction_count') failed, actual result 39636 is 10.19% higher",
      '',
      'please update all results that changed significantly, and not only the failed ones',
      pass('guard_eval'),
    ];

    // Act
    const first = firstKeyLineWithout('perf-regression', lines);

    // Assess
    expect(first).toMatch(/^REGRESSION: benchmark \('custom_handler'/);
  });

  it("takes a traceback's own exception past another process's line printed inside it", () => {
    // Prepare
    const lines = [
      'Traceback (most recent call last):',
      '  File "/w/test/run_test.py", line 2397, in <module>',
      '    main()',
      '  File "/w/test/run_test.py", line 2169, in run_tests',
      'Failed to upload artifacts: Unable to locate credentials',
      '    raise ValueError(failure.message)',
      'ValueError: the shard map is empty',
    ];

    // Act
    const found = keyLinesOf(lines);

    // Assess
    expect(found.rule).toBe('python-traceback');
    expect(found.texts).toEqual([
      'ValueError: the shard map is empty',
      'File "/w/test/run_test.py", line 2169, in run_tests',
    ]);
  });
});
