/**
 * How much a normalised log line looks like part of a failure. One scorer serves the capture stage (which windows
 * to keep from a long stream) and context selection (which windows the model sees), so both agree on what matters.
 * Rules must be general CI knowledge, never repository-specific strings.
 */

const STRONG: readonly RegExp[] = [
  /\b(?:error|ERROR|Error)\b(?!s? ?[:=]\s*0\b)/,
  /\bFAIL(?:ED|URE|S)?\b/,
  /\bTraceback \(most recent call last\)/,
  // A word character right before the class name's suffix (`ValueError:`, `java.io.IOException:`); the same lines
  // as `\b\w+(?:Error|Exception):`, without its backtracking over every word of a line.
  /\w(?:Error|Exception):/,
  /\bfatal\b/i,
  /\bpanic(?:ked)?\b/,
  /\bSegmentation fault\b|\bcore dumped\b|\bAddressSanitizer\b/,
  /\bout of memory\b|\bOOM\b|\bOutOfMemoryError\b/i,
  /\bundefined reference\b|\bcannot find symbol\b|\bno matching function\b/,
  /\btimed? ?out\b/i,
  /^##\[error\]/,
  // Lower-case `fail:`/`failed:` prefixes (Lua, shell helpers) that the case-sensitive FAIL above misses.
  /^(?:fail(?:ed|ure)?|error):/i,
  // Test harness verdicts that carry no error keyword: Perl `prove` (`t/x.t .. Dubious, test returned 1`,
  // `Failed 1/13 subtests`) and the Lua traceback header printed right after the error message.
  /\bDubious, test returned [1-9]|^Failed \d+\/\d+ (?:sub)?tests\b/,
  /^\s*stack traceback:$/,
  // Go's `flag` package rejecting an option (the command then prints its usage, which looks harmless).
  /\bflag provided but not defined\b/,
  // A failed test's own marker line: Pester's `[-] name -> message` (its passes are `[+]`).
  /^\s*\[-\] \S/,
];

const WEAK: readonly RegExp[] = [
  /\bwarning\b/i,
  /\bexit (?:code|status)\b/i,
  /\bnot found\b/i,
  /\bdenied\b/i,
];

/** Counter-evidence: lines that mention errors without being one. */
const BENIGN: readonly RegExp[] = [
  /\b0 (?:errors?|failed|failures|warnings?)\b/i,
  /\berrors?: 0\b/i,
  /\bfailures?: 0\b/i,
  /-Werror|-Wno-error|error\.h\b|_error\.(?:c|cc|cpp|o|py)\b/,
];

/**
 * Result rows whose verdict is a pass or a skip: test names and skip reasons often say `error` (`t3020-ls-files-error-
 * unmatch.sh .. ok`, `SKIP Test chdir(): error conditions [x.phpt] reason: …`), and big suites print thousands.
 * TAP/prove (`ok 12 - …`, `name .... ok`), Go (`ok  pkg`, `--- PASS:`/`--- SKIP:`), PHP run-tests, pytest -v,
 * Haskell tasty (`name:   OK (0.02s)`).
 */
const PASSING_ROW =
  /^(?:\[[\d:]+\] )?\S+ \.{2,} ?(?:ok|skipped)\b|^(?:--- )?(?:ok|PASS|SKIP|XFAIL)\b|\s(?:PASSED|SKIPPED|XFAIL)(?: +\[ *\d+%\])?$|:\s+OK(?: \(\d+(?:\.\d+)?m?s\))?$/;

/** The scorer's patterns by number (strong ones first), for leave-pattern-out cross-validation in the benchmarks. */
export const SCORE_PATTERNS: readonly RegExp[] = [...STRONG, ...WEAK];

/**
 * Scores a normalised line: 0 for ordinary output, higher for lines that look like a failure. `without` leaves
 * patterns out by their number in {@link SCORE_PATTERNS} (the context benchmark judges a repository's logs without
 * the patterns only its logs need); production code passes nothing.
 *
 * @example
 * scoreLine('FAILED test/test_nn.py::test_conv - AssertionError') // > 0
 */
export function scoreLine(normalized: string, without?: ReadonlySet<number>): number {
  if (normalized.length === 0 || PASSING_ROW.test(normalized)) return 0;
  let score = 0;
  for (let index = 0; index < STRONG.length; index++) {
    if (STRONG[index]!.test(normalized) && !without?.has(index)) score += 3;
  }
  if (score === 0) {
    for (let index = 0; index < WEAK.length; index++) {
      if (WEAK[index]!.test(normalized) && !without?.has(STRONG.length + index)) score += 1;
    }
  }
  if (score > 0) for (const pattern of BENIGN) if (pattern.test(normalized)) score -= 3;
  return Math.max(0, score);
}

/** The numbers of the patterns that score a line (none for a passing row), for the benchmarks. */
export function scorePatternsOf(normalized: string): number[] {
  if (normalized.length === 0 || PASSING_ROW.test(normalized)) return [];
  return SCORE_PATTERNS.flatMap((pattern, index) => (pattern.test(normalized) ? [index] : []));
}
