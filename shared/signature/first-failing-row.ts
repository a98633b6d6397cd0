/**
 * The first failing result row of a command's output: the row where a test runner marks one test or file as failed
 * (`FAIL test/x.test.js (11.4s)`, `- name *** FAILED ***`, `test x ... FAILED`, `Name.Of.Test [FAIL]`), far above the
 * closing lines that a summary sits under. A shape that runners of many languages share, so it serves where no rule
 * knows the runner; the line under the row (the failing test of a file, the message) is its second key line.
 */
import { isGenericLine, TRAVIS_COMMAND_FAILED } from '../text/line-genericness';

/** How far above the failure summary the command's output is read. */
const OUTPUT_LINES = 400;
/** An upper-case failure verdict standing as a word of its own, or ScalaTest's and xUnit's marked forms. */
const FAILING_ROW = /(?:^|\s)(?:FAIL|FAILED)(?:\s|$)|\*\*\* FAILED \*\*\*|\[FAIL(?:ED)?\]/;
/** Where an earlier command ended (Travis) or the failing one was echoed: output above it is another command's. */
const COMMAND_BOUNDARY = /^The command ".*" exited with 0\.$|^\$ \S/;
/** The summaries' own lines, which name the command, not a test. */
const HAS_WORDS = /[A-Za-z]{3}/;

/**
 * The first failing row above `end` (and the line with words under it), within the command's output; `undefined`
 * when there is none. Closing verdicts (`Tests: 1 failed, 4 passed`) are not rows.
 *
 * @example
 * firstFailingRow(texts, summaryIndex); // [index of `FAIL test/parser.test.js`, index of `● parser › rejects …`]
 */
export function firstFailingRow(texts: readonly string[], end: number): number[] | undefined {
  const floor = Math.max(0, end - OUTPUT_LINES);
  let start = floor;
  for (let i = end - 1; i >= floor; i -= 1) {
    if (COMMAND_BOUNDARY.test(texts[i]!)) {
      start = i + 1;
      break;
    }
  }
  for (let i = start; i < end; i += 1) {
    if (!isFailingRow(texts[i]!)) continue;
    const under = texts.slice(i + 1, Math.min(end, i + 4)).findIndex((line) => HAS_WORDS.test(line));
    return under >= 0 ? [i, i + 1 + under] : [i];
  }
  return undefined;
}

/**
 * The first failing result row anywhere in the log, however far from the failure the key lines found: the test an
 * exception logged thousands of lines later belongs to; `undefined` when the log has none.
 *
 * @example
 * firstFailingRowOfLog(texts); // index of `[info] - client streams trailers *** FAILED ***`
 */
export function firstFailingRowOfLog(texts: readonly string[]): number | undefined {
  const index = texts.findIndex(isFailingRow);
  return index >= 0 ? index : undefined;
}

/** Whether a line is a result row that marks a test or file as failed (not a generic runner line). */
export function isFailingRow(line: string): boolean {
  const text = line.trim();
  return FAILING_ROW.test(text) && !isGenericLine(text) && !TRAVIS_COMMAND_FAILED.test(text);
}

/** A row that starts with an upper-case verdict label: `PASS: benchmark …`, `REGRESSION: benchmark …`. */
const LABELLED_ROW = /^([A-Z][A-Z ]{1,29}): \S/;
const PASSING_LABEL = /^(?:PASS|PASSED|OK|SUCCESS)$/;
const SAYS_FAILED = /\bfail(?:ed|s|ure)?\b/i;
/** Passing rows that make a table of verdicts. */
const MIN_PASSING_ROWS = 3;

/**
 * In a table of labelled verdict rows above `end` (at least three `PASS:` rows), the first row with another label
 * that says it failed; `undefined` when there is no such table.
 *
 * @example
 * firstOddVerdictRow(texts, end); // index of `REGRESSION: benchmark ('x', 'instruction_count') failed, …`
 */
export function firstOddVerdictRow(texts: readonly string[], end: number): number | undefined {
  let passing = 0;
  let odd: number | undefined;
  for (let i = Math.max(0, end - OUTPUT_LINES); i < end; i += 1) {
    const label = LABELLED_ROW.exec(texts[i]!.trim())?.[1];
    if (label === undefined) continue;
    if (PASSING_LABEL.test(label)) passing += 1;
    else if (odd === undefined && SAYS_FAILED.test(texts[i]!)) odd = i;
  }
  return passing >= MIN_PASSING_ROWS ? odd : undefined;
}
