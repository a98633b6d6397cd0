/**
 * Test runners' verdicts (pytest, unittest, gtest, go test, cargo test, Jest, Mocha, ExUnit, xUnit, JUnit,
 * PHPUnit, failure lists (RSpec, Vim, libtest), minitest, ScalaTest, Pester, xcpretty, TAP).
 *
 * Order: A failing test's id is the most useful key line a log can have, so these come before tracebacks and builds,
 * which a failing test often prints too.
 */

import { amongPassingMarkedRows, FAILED_ROW_MARKER, repeatedInSummary } from '../marked-rows';
import {
  FAILURE_LIST_HEADER,
  firstFailureOfList,
  firstFailureOfRecappedList,
  firstRustFailureBlock,
  followedByMinitestId,
  goTestKeyLines,
  mochaKeyLines,
  notLoggedByPassingGoTest,
  pytestSectionKeyLines,
  withFollowingException,
} from '../rule-key-lines';
import type { SignatureRule } from './signature-rule';

export const TEST_RUNNER_RULES: readonly SignatureRule[] = [
  // Tests: the failing test's id is the most useful key line.
  {
    id: 'pytest-failure',
    category: 'test',
    tier: 'specific',
    pattern: /^_{3,} (?:ERROR collecting |ERROR at setup of |ERROR at teardown of )?\S.* _{3,}$/,
    unless: /^_{3,} (?:warnings summary|captured|Captured) /i,
    keyLines: pytestSectionKeyLines,
  },
  {
    id: 'pytest-summary',
    category: 'test',
    tier: 'specific',
    pattern: /^(?:FAILED|ERROR|FAILED CONSISTENTLY:) \S+\.py(?:::\S+)?(?: - .*)?$/,
  },
  {
    id: 'unittest-failure',
    category: 'test',
    tier: 'specific',
    pattern: /^(?:FAIL|ERROR): \w+ \([\w.]+\)/,
    keyLines: withFollowingException,
  },
  {
    id: 'gtest-failure',
    category: 'test',
    tier: 'specific',
    pattern: /^\[ {2}FAILED {2}\] \w[\w./]*\.\w+(?:\/\d+)?(?: \(\d+ ms\))?$|^\S+:\d+: Failure$/,
  },
  {
    id: 'go-test-failure',
    category: 'test',
    tier: 'specific',
    pattern: /^\S+_test\.go:\d+: \S|^\s*--- FAIL: \S+|^panic: .+|^fatal error: all goroutines are asleep/,
    confirm: notLoggedByPassingGoTest,
    keyLines: goTestKeyLines,
  },
  {
    id: 'rust-test-failure',
    category: 'test',
    tier: 'specific',
    pattern: /^test \S+ \.\.\. FAILED$|^thread '[^']*' panicked at\b|^---- \S+ stdout ----$/,
    keyLines: firstRustFailureBlock,
  },
  {
    id: 'jest-failure',
    category: 'test',
    tier: 'specific',
    pattern: /^● \S.*(?:›|$)|^FAIL\s+\S+\.(?:[jt]sx?|mjs|cjs)\b/,
    unless: /● Console$/,
  },
  {
    id: 'mocha-failure',
    category: 'test',
    tier: 'specific',
    pattern: /^\d+ failing$/,
    keyLines: mochaKeyLines,
  },
  {
    id: 'exunit-failure',
    category: 'test',
    tier: 'specific',
    pattern: /^\d+\) test .+ \([\w.]+\)$/,
    keyLines: withFollowingException,
  },
  {
    id: 'junit-failure',
    category: 'test',
    tier: 'specific',
    pattern:
      /^(?:\[ERROR\] )?(?:Tests run: \d+, Failures: \d+, Errors: \d+.*<<< (?:FAILURE|ERROR)!|[\w$.]+(?:\([\w$.]+\))?\s+Time elapsed: .*<<< (?:FAILURE|ERROR)!)|^\[ERROR\] {2,}\S+[.:#]\S+/,
  },
  {
    id: 'phpunit-failure',
    category: 'test',
    tier: 'specific',
    pattern: /^There (?:was|were) \d+ (?:failures?|errors?):$/,
    keyLines: firstFailureOfList,
  },
  {
    id: 'minitest-failure',
    category: 'test',
    tier: 'specific',
    pattern: /^(?:\d+\) )?(?:Failure|Error):$/,
    confirm: followedByMinitestId,
  },
  {
    // A section that lists the failed tests under a header of its own: RSpec's and Vim's `Failures:`, minitest's
    // `Failure:`, Rust libtest's `failures:`. The first entry names the first failure; the line under it says how.
    id: 'failure-list',
    category: 'test',
    tier: 'specific',
    pattern: FAILURE_LIST_HEADER,
    keyLines: firstFailureOfRecappedList,
  },
  {
    id: 'scalatest-failure',
    category: 'test',
    tier: 'specific',
    pattern: /^(?:\[info\] )?- .+ \*\*\* FAILED \*\*\*$/,
  },
  {
    // A test's row told apart from the passing rows around it by its leading marker alone: `[-] name` among `[+] name`
    // rows (Pester), `✗ name` among `✓ name` rows (xcpretty; Jest's `✕`, Karma's and Ava's `✖` beside their `✓`/`✔`).
    // The row carries no failure word; the pair of markers says it failed. A runner that repeats the failure in its
    // closing summary (xcpretty, with the file and line under it) is keyed on that entry.
    id: 'marked-failure-row',
    category: 'test',
    tier: 'specific',
    pattern: FAILED_ROW_MARKER,
    // A linter's closing count under the same marker (`✖ 3 problems (1 error, 2 warnings)`) is not a test's row.
    unless: /^\S+ \d+ (?:problems?|errors?|warnings?|tests?|failures?|failing|failed)\b/,
    confirm: amongPassingMarkedRows,
    keyLines: repeatedInSummary,
  },
  {
    // One row per test with its verdict: `name ..... FAIL`, `Namespace.Class.Test [FAIL]` (xUnit, NUnit and others
    // bracket it), PHP's `FAIL title [file.phpt]`, Perl prove's
    // `t/x.t .... Dubious, test returned 1` or `Failed 2/13 subtests` (on a line of its own when other jobs' output
    // split the row), Haskell tasty's `name:    FAIL (0.06s)`
    // (indented; rules see lines without their indentation).
    id: 'test-status-line',
    category: 'test',
    tier: 'specific',
    pattern:
      /^\S+(?:\s{2,}(?:FAIL|FAILED)|\s+\[(?:FAIL|FAILED)\])$|^FAIL \S.* \[\S+\]$|^(?:(?:\[[\d:]+\] )?\S+ \.{2,} ?)?(?:Dubious, test returned [1-9]|Failed \d+\/\d+ subtests)|^\S[^:]*:\s{2,}FAIL(?: \(\d+(?:\.\d+)?m?s\))?$/,
  },
  {
    id: 'tap-failure',
    category: 'test',
    tier: 'specific',
    pattern: /^not ok \d+\b(?!.*# (?:TODO|SKIP))|^FAIL: \S+|^# FAIL: +[1-9]/,
  },
];
