import { describe, expect, it } from 'vitest';
import { SCORE_PATTERNS, scoreLine, scorePatternsOf } from '../../shared/log/line-score';

describe('Function: scoreLine', () => {
  it.each([
    'fail: [string "bundle:libs/codec.lua"]:123: No such hash: 31b8c996c762b151bedbd7f0e5ad12c2ababf3cd',
    'failed: could not open /etc/app.conf',
    "src/net/socket.cc:88:4: error: use of undeclared identifier 'sock_fd'",
    'FAILED test/test_nn.py::test_conv - AssertionError',
    '[12:45:05] t9502-gitweb-standalone-parse-output.sh ............ Dubious, test returned 1 (wstat 256, 0x100)',
    'Failed 1/13 subtests',
    '  stack traceback:',
    'flag provided but not defined: -trace2_event_file',
    '[-] - Running without any params runs all files -> Expected and actual values differ!',
  ])('scores a failure line: %s', (line) => {
    // Act / Assess
    expect(scoreLine(line)).toBeGreaterThan(0);
  });

  it.each([
    'Generating output file xrefindex.gls......done (4952 lines written, 0 warnings).',
    'Build succeeded: 0 errors, 0 failures',
    'compiling: libs/fail-fast.lua (22.2% reduction)',
    '    [+] i1 12ms (2ms|10ms)',
    '',
  ])('does not score an ordinary line: %s', (line) => {
    // Act / Assess
    expect(scoreLine(line)).toBe(0);
  });

  it.each([
    '[22:33:35] t3020-ls-files-error-unmatch.sh .................... ok       30 ms ( 0.00 usr  0.01 sys +  0.05 cusr  0.01 csys =  0.07 CPU)',
    'SKIP Test chdir() function : error conditions - Non-existent directory [ext/standard/tests/dir/chdir_error2-win32.phpt] reason: Only for Windows',
    'ok 12 - reports a fatal error for a missing file',
    '--- PASS: TestParseError (0.00s)',
    'tests/test_io.py::test_read_error PASSED                                  [ 42%]',
    '    informative error messages:                                      OK (0.04s)',
  ])('does not score a passing or skipped result row: %s', (line) => {
    // Act / Assess
    expect(scoreLine(line)).toBe(0);
  });
});

describe('Function: scoreLine, with patterns left out', () => {
  it('scores a line without the patterns it is told to leave out, as the cross-validation needs', () => {
    // Prepare
    const line = '[12:45:05] t9502-gitweb-standalone-parse-output.sh ............ Dubious, test returned 1';
    const patterns = scorePatternsOf(line);

    // Act
    const full = scoreLine(line);
    const without = scoreLine(line, new Set(patterns));

    // Assess
    expect(patterns.length).toBeGreaterThan(0);
    expect(patterns.every((index) => SCORE_PATTERNS[index]!.test(line))).toBe(true);
    expect(full).toBeGreaterThan(0);
    expect(without).toBe(0);
  });

  it('finds no scoring pattern on a passing row', () => {
    expect(scorePatternsOf('ok 12 - error handling works')).toEqual([]);
  });
});
