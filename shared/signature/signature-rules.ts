/**
 * The ordered rule set that finds key failure lines. Earlier rules are more specific and win over later ones found
 * in the same part of the log; `tier` says how much a match tells: `specific` rules name the failure (a test id, a
 * compiler diagnostic, an exception), `summary` rules only say that some command failed (`make: *** … Error 2`,
 * Travis's `The command "…" exited with 1.`), `generic` rules are the last resort (`##[error]…`, any line saying
 * error). Only general CI knowledge goes here, never repository-specific strings.
 *
 * Every pattern runs on each normalised line of a log that an attacker may control: keep them linear (no nested
 * quantifiers, no unbounded lookbehind) and anchored where possible.
 */
import type { Category } from '../contract/analysis';
import {
  COMPILER_DIAGNOSTIC,
  firstFailureOfList,
  firstRustFailureBlock,
  followedByMinitestId,
  followedByRustLocation,
  goTestKeyLines,
  gradleReasonIsSpecific,
  gradleWhatWentWrong,
  isReraisedSummary,
  lineBeforeTraceback,
  mochaKeyLines,
  nextNonBlank,
  notLoggedByPassingGoTest,
  pytestSectionKeyLines,
  pythonTracebackKeyLines,
  RERAISED_SUMMARY,
  rakeReasonIsSpecific,
  reraisedWithCause,
  withEarlierBuildError,
  withFollowingException,
  xcprettySummaryEntry,
} from './rule-key-lines';
import type { SignatureStrength } from './types';

export type RuleTier = 'specific' | 'summary' | 'generic';

export interface SignatureRule {
  readonly id: string;
  readonly category: Category;
  readonly tier: RuleTier;
  /** Matches a key line (normalised text). */
  readonly pattern: RegExp;
  /** A line matching `pattern` and `unless` is not a failure (`0 errors`, `-Werror`). */
  readonly unless?: RegExp;
  /** A check on the surrounding lines, for shapes that one line cannot tell apart (rustc's `error:` vs any tool's). */
  readonly confirm?: (lines: readonly string[], index: number) => boolean;
  /**
   * The key lines of a match at `index`, the most telling first; indices into `lines`. Defaults to the matched line.
   * Extractors look at most a bounded number of lines away.
   */
  readonly keyLines?: (lines: readonly string[], index: number) => readonly number[];
}

export function strengthOf(rule: SignatureRule): SignatureStrength {
  return rule.tier === 'generic' ? 'weak' : 'strong';
}

/**
 * The rules, most specific first. A rule's place in this list is its priority among matches in the failure region;
 * see `findKeyLines` for how position and priority combine.
 */
export const SIGNATURE_RULES: readonly SignatureRule[] = [
  // Infrastructure that prevents the step from running at all.
  {
    id: 'osdc-pod-start',
    category: 'infra',
    tier: 'specific',
    pattern:
      /\bpod failed to come online\b|\b(?:ImagePullBackOff|ErrImagePull|CreateContainerError|CrashLoopBackOff)\b|\bfailed to create (?:pod|container)\b|\bpod \S+ (?:was evicted|was deleted|is unschedulable)\b|\bFailedScheduling\b/i,
  },
  {
    id: 'runner-lost',
    category: 'infra',
    tier: 'specific',
    pattern:
      /\brunner has received a shutdown signal\b|\blost communication with the server\b|\bThe self-hosted runner: .* lost\b/i,
  },
  {
    id: 'disk-full',
    category: 'infra',
    tier: 'specific',
    pattern: /\bNo space left on device\b|\bENOSPC\b|\bDisk quota exceeded\b/,
  },
  // A harness's own time limit: whatever the step printed before it was cut off is a symptom.
  {
    id: 'step-timeout',
    category: 'timeout',
    tier: 'specific',
    pattern:
      /^Command took >\S+|\bNo output has been received in the last\b|\bexceeded the maximum execution time\b|\btimetrap_timeout\b|^The command ".*" exited with 124\.$/,
  },
  // Out of memory and crashes: they end a run whatever else it printed.
  {
    id: 'cuda-oom',
    category: 'oom',
    tier: 'specific',
    pattern: /\bCUDA out of memory\b|\btorch\.(?:cuda\.)?OutOfMemoryError\b|\bCUDA error: out of memory\b/,
  },
  {
    id: 'cpu-oom',
    category: 'oom',
    tier: 'specific',
    pattern:
      /\bjava\.lang\.OutOfMemoryError\b|^MemoryError\b|\bstd::bad_alloc\b|\bCannot allocate memory\b|\bKilled signal terminated program\b|\bOOMKilled\b|\bJavaScript heap out of memory\b|\bout of memory\b/i,
  },
  {
    id: 'sanitizer',
    category: 'test',
    tier: 'specific',
    pattern:
      /^(?:==\d+==)?ERROR: (?:Address|Leak|Memory|Thread|UndefinedBehavior)Sanitizer\b|^\S+:\d+:\d+: runtime error: /,
  },
  {
    id: 'crash-signal',
    category: 'test',
    tier: 'specific',
    pattern:
      /\bSegmentation fault\b|\bcore dumped\b|\bReceived signal: SIG[A-Z]+\b|^Fatal Python error\b|\bBus error\b|\bIllegal instruction\b|\bterminate called after throwing\b|\bkilled by signal \d+\b|^Signal: SIG[A-Z]+|\bSIGSEGV \(|^Access violation\b/,
    // Test titles name crashes they check for (PHP's `FAIL Bug #72294 Segmentation fault … [bug72294.phpt]`).
    unless: /\bhandler\b|\bregister|\baltstack\b|\[\S+\.\w+\]$/i,
  },
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
    id: 'test-class-failure',
    category: 'test',
    tier: 'specific',
    pattern: /^\S+ - failed\. \S/,
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
    id: 'xunit-failure',
    category: 'test',
    tier: 'specific',
    pattern: /^\S+ \[FAIL\]$/,
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
    id: 'rspec-failure',
    category: 'test',
    tier: 'specific',
    pattern: /^Failures:$/,
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
    id: 'scalatest-failure',
    category: 'test',
    tier: 'specific',
    pattern: /^(?:\[info\] )?- .+ \*\*\* FAILED \*\*\*$/,
  },
  {
    // Pester marks a failed test `[-] name 12ms` or `[-] name -> message` (its passes print `[+]`).
    id: 'pester-failure',
    category: 'test',
    tier: 'specific',
    pattern: /^\[-\] \S/,
  },
  {
    // xcpretty marks a failed test `✗ name, message` and repeats it in its summary with the file and line.
    id: 'xcpretty-failure',
    category: 'test',
    tier: 'specific',
    pattern: /^✗ \S/,
    keyLines: xcprettySummaryEntry,
  },
  {
    // One row per test with its verdict: `name ..... FAIL`, PHP's `FAIL title [file.phpt]`, Perl prove's
    // `t/x.t .... Dubious, test returned 1` or `Failed 2/13 subtests` (on a line of its own when other jobs' output
    // split the row), Haskell tasty's `name:    FAIL (0.06s)`
    // (indented; rules see lines without their indentation).
    id: 'test-status-line',
    category: 'test',
    tier: 'specific',
    pattern:
      /^\S+\s{2,}(?:FAIL|FAILED)$|^FAIL \S.* \[\S+\]$|^(?:(?:\[[\d:]+\] )?\S+ \.{2,} ?)?(?:Dubious, test returned [1-9]|Failed \d+\/\d+ subtests)|^\S[^:]*:\s{2,}FAIL(?: \(\d+(?:\.\d+)?m?s\))?$/,
  },
  {
    id: 'tap-failure',
    category: 'test',
    tier: 'specific',
    pattern: /^not ok \d+\b(?!.*# (?:TODO|SKIP))|^FAIL: \S+|^# FAIL: +[1-9]/,
  },
  // A test driver's traceback that re-raises "test_x 1/2 failed!": it names the failing test file, and the earlier
  // exception that made it fail is its second key line.
  {
    id: 'test-driver-failure',
    category: 'test',
    tier: 'specific',
    pattern: /^Traceback \(most recent call last\):$/,
    confirm: isReraisedSummary,
    keyLines: reraisedWithCause,
  },
  // Python tracebacks: the exception and the last frame.
  {
    id: 'python-traceback',
    category: 'test',
    tier: 'specific',
    pattern: /^Traceback \(most recent call last\):$/,
    confirm: (lines, index) => !isReraisedSummary(lines, index),
    keyLines: pythonTracebackKeyLines,
  },
  {
    id: 'lua-traceback',
    category: 'test',
    tier: 'specific',
    pattern: /^stack traceback:$/,
    keyLines: lineBeforeTraceback,
  },
  // Builds: compilers, linkers, build tools. pip's verdict names the package that failed and goes first; the
  // compiler or CMake error that caused it is its second key line.
  {
    id: 'wheel-build-failure',
    category: 'build',
    tier: 'specific',
    pattern: /\bFailed building wheel for \S+|\bCould not build wheels for\b/,
    keyLines: withEarlierBuildError,
  },
  {
    id: 'xcode-diagnostic',
    category: 'build',
    tier: 'specific',
    // xcpretty drops the `error:` and marks the diagnostic with a cross instead.
    pattern: /^\S{0,4}❌ +\S+:\d+:\d+: \S/,
  },
  {
    id: 'compiler-error',
    category: 'build',
    tier: 'specific',
    pattern: COMPILER_DIAGNOSTIC,
    unless: /\b0 errors?\b|-Werror|-Wno-error/,
  },
  {
    id: 'rust-compile-error',
    category: 'build',
    tier: 'specific',
    pattern: /^error(?:\[E\d{4}\])?: \S/,
    confirm: followedByRustLocation,
  },
  {
    id: 'linker-error',
    category: 'build',
    tier: 'specific',
    pattern:
      /\bundefined reference to\b|\bld: symbol\(s\) not found\b|\bunresolved external symbol\b|\bcannot find -l\S+|^Undefined symbols for architecture\b/,
  },
  {
    id: 'java-compile-error',
    category: 'build',
    tier: 'specific',
    // javac, kotlinc, Maven's `[ERROR] File.java:[12,5]`, sbt's `[error] File.scala:78:35: type mismatch;`.
    pattern:
      /^(?:\[(?:ERROR|error)\] )?\S+\.(?:java|kt|scala|groovy):(?:\[\d+,\d+\]|\d+(?::\d+)?:?) (?:error: )?\S/,
  },
  {
    id: 'go-build-error',
    category: 'build',
    tier: 'specific',
    pattern: /^\S+\.go:\d+:\d+: \S/,
  },
  {
    id: 'other-compile-error',
    category: 'build',
    tier: 'specific',
    pattern:
      /^\S+\.(?:hs|lhs|purs|elm|ml|fs|swift|cs|vb|coffee|ts|tsx):\d+:\d+(?:-\d+)?:? (?:error|\[error\])/i,
  },
  {
    id: 'gradle-failure',
    category: 'build',
    tier: 'specific',
    pattern: /^\* What went wrong:$|^e: \S+: \(\d+, \d+\): /,
    confirm: gradleReasonIsSpecific,
    keyLines: gradleWhatWentWrong,
  },
  {
    id: 'cmake-error',
    category: 'build',
    tier: 'specific',
    pattern: /^CMake Error\b/,
  },
  {
    id: 'ninja-failure',
    category: 'build',
    tier: 'specific',
    pattern: /^FAILED: \S/,
  },
  // Lint and formatting.
  {
    id: 'lint',
    category: 'lint',
    tier: 'specific',
    pattern:
      /^\S+\.py:\d+:\d+: [A-Z]{1,3}\d{3,4} |^\S+\.py:\d+: error: |^\d+:\d+\s+error\s+\S|^\S+:\d+:\d+: [CWEF]: |^(?:>>> )?(?:Lint for|Error) \([A-Z_]+\)|^would reformat \S|^\S+:\d+:\d+: (?:SC|DL)\d{4}\b|^\d+ problems? \(\d+ errors?/,
  },
  {
    // A YAML parser's syntax error (libyaml, Psych, SnakeYAML): a CI config, a manifest or a document that no longer
    // parses. PyYAML's exceptions are caught by `exception`.
    id: 'yaml-syntax-error',
    category: 'lint',
    tier: 'specific',
    pattern: /\bwhile (?:scanning|parsing)\b.* at line \d+ column \d+/,
  },
  {
    // CocoaPods' `pod lib lint` / `pod spec lint` verdict rows.
    id: 'podspec-lint',
    category: 'lint',
    tier: 'specific',
    pattern: /^- ERROR \| \S/,
  },
  // Dependency resolution.
  {
    id: 'dependency-resolution',
    category: 'dependency',
    tier: 'specific',
    pattern:
      /\bCould not find a version that satisfies the requirement\b|\bNo matching distribution found\b|\bResolutionImpossible\b|\bERESOLVE\b|\bUnsatisfiableError\b|\bPackagesNotFoundError\b|\bCould not resolve dependencies\b|\bCould not find (?:gem|artifact|any version)\b|\bBundler could not find compatible versions\b|\bnpm ERR! 404\b|\bpackage \S+ is not in (?:GOROOT|std)\b|\bno required module provides package\b|\bfailed to select a version\b|\bversion solving failed\b|\bCould not resolve all (?:files|dependencies)\b|\bunable to resolve dependency tree\b|\bmissing go\.sum entry\b|\bgo\.mod\/go\.sum are not up-to-date\b|\bunresolved dependency\b|\bVersionConflict\b/i,
  },
  {
    id: 'python-import-error',
    category: 'dependency',
    tier: 'specific',
    pattern: /^(?:E\s+)?(?:ModuleNotFoundError|ImportError): /,
  },
  // Network and downloads.
  {
    id: 'network',
    category: 'network',
    tier: 'specific',
    pattern:
      /\bcurl: \(\d+\)|\bCould not resolve host\b|\bTemporary failure in name resolution\b|\bName or service not known\b|\bgetaddrinfo\b.*\b(?:ENOTFOUND|EAI_AGAIN)\b|\bConnection (?:refused|reset by peer|timed out)\b|\bfatal: unable to access\b|\bThe requested URL returned error: \d{3}\b|\bFailed to connect to\b|\bTLS handshake timeout\b|\bCERTIFICATE_VERIFY_FAILED\b|\bFailed to (?:download|fetch)\b|\bUnable to download\b|\bmanifest unknown\b|\btoomanyrequests\b|\brate limit exceeded\b|\bHTTP (?:Error|error|status) (?:4\d\d|5\d\d)\b|\b(?:502 Bad Gateway|503 Service Unavailable|504 Gateway Time-?out)\b|\bError cloning remote repo\b|\bcould(?:n't| not) find remote ref\b|\bcould not fetch content\b|\bRemote end closed connection\b|\bRead timed out\b/i,
  },
  {
    // Node's and libuv's error codes, as they print them: upper case, not part of a file or test name
    // (`test-net-connect-handle-econnrefused.lua`).
    id: 'network-error-code',
    category: 'network',
    tier: 'specific',
    pattern: /(?<![\w.-])(?:ECONNRESET|ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)(?![\w.-])/,
  },
  // Timeouts and cancellation.
  {
    id: 'timeout',
    category: 'timeout',
    tier: 'specific',
    pattern:
      /\btimed out after\b|\bTimeout of \d+ms exceeded\b|\bexceeded the maximum execution time\b|\bNo output has been received in the last\b|\bCommand took >\S+|\bcontext deadline exceeded\b|\btimetrap_timeout\b|\bTimeoutError\b|\bTimeoutException\b/i,
  },
  {
    id: 'cancelled',
    category: 'cancelled',
    tier: 'specific',
    pattern: /^The operation was canceled\.$|^The job was canceled\b|^The run was canceled\b/,
  },
  {
    // A performance gate (benchmark, binary size, instruction count) that compares a measurement with its expected
    // value: `REGRESSION: benchmark (…) failed, actual result 39636 is 10.19% higher than expected`.
    id: 'perf-regression',
    category: 'test',
    tier: 'specific',
    pattern:
      /^(?:PERFORMANCE )?REGRESSION\b.*\b(?:failed|higher|lower|slower)\b|\b\d+(?:\.\d+)?% (?:higher|slower|worse|larger|bigger) than (?:expected|(?:the )?baseline|allowed)\b/,
  },
  // Exceptions outside a recognised test framework.
  {
    id: 'rake-aborted',
    category: 'build',
    tier: 'specific',
    pattern: /^rake aborted!$/,
    confirm: rakeReasonIsSpecific,
    keyLines: nextNonBlank,
  },
  {
    id: 'exception',
    category: 'test',
    tier: 'specific',
    pattern:
      /^(?:Exception in thread "[^"]*" )?(?:[a-z_][\w$]*\.)+[A-Z][\w$]*(?:Error|Exception)\b(?::|$)|^(?:Uncaught |Unhandled )?[A-Z]\w*(?:Error|Exception): \S|^Assertion(?:Error| failed)\b|^\*\* \([\w.]+\) \S|^PHP Fatal error: /,
    unless: RERAISED_SUMMARY,
  },
  // Summaries: some command failed; they point at the output just before them.
  {
    id: 'test-summary',
    category: 'test',
    tier: 'summary',
    pattern:
      /\b\S+ \d+\/\d+ failed!|^\S+ - failed\.|\b\d+ (?:out of \d+ )?tests? failed\b|^Tests? failed\b|^npm ERR! Test failed\b|^Tests failed\s*:\s*[1-9]/,
  },
  {
    id: 'maven-failure',
    category: 'build',
    tier: 'summary',
    pattern: /^\[ERROR\] Failed to execute goal \S+/,
  },
  {
    id: 'build-tool-failure',
    category: 'build',
    tier: 'summary',
    pattern:
      /^(?:g?make|mingw32-make)(?:\[\d+\])?: \*\*\* .*Error \d+|^ninja: build stopped\b|^npm ERR! (?:code|errno|Failed at)\b|^error Command failed with exit code \d+|^FAILURE: Build failed with an exception\.|^BUILD FAILED\b|^\[ERROR\] BUILD FAILURE\b|^error: could not compile\b|^error: aborting due to\b|^collect2: error: ld returned\b|^ERROR: (?:Command errored out|InvocationError)\b|^FAIL\s+\S+\s+[\d.]+s$|^FAIL$|^Execution failed for task\b|\berror: command '[^']*' failed with exit (?:status|code) \d+|^The process '[^']*' failed with exit code [1-9]\d*$|^Error: Process completed with exit code [1-9]\d*\.?$|^Command failed with status \(\d+\)|^Failing due to -Werror\b|^ERROR: "[^"]+" exited with \d+\.$|^\*\* (?:BUILD|TEST|TEST EXECUTE|ARCHIVE|ANALYZE) FAILED \*\*$/,
  },
  {
    id: 'travis-command-failed',
    category: 'unknown',
    tier: 'summary',
    pattern: /^The command ".*" (?:exited with [1-9]\d*|failed(?: and exited with [1-9]\d*)?)\b/,
  },
  // The last resort: a line that says error, then the runner's own annotation.
  {
    id: 'generic-error',
    category: 'unknown',
    tier: 'generic',
    pattern: /\b(?:error|ERROR|Error|FAILED|FAILURE|Failed|failed|fatal|FATAL)\b/,
    unless:
      /\b(?:0|no) (?:errors?|failures?|failed)\b|\b(?:errors?|failures?|failed):? 0\b|-Werror|-Wno-error|\berror\.(?:h|c|cc|cpp|o|py|js|ts|rb|go)\b|\bignor(?:e|ing|ed)\b.*\berror|\bif (?:error|failed)\b|: error$/i,
  },
  {
    id: 'actions-error',
    category: 'unknown',
    tier: 'generic',
    pattern: /^(?:##\[error\]|::error(?: [^:]*)?::)\S/,
  },
];
