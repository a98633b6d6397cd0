/**
 * The first failing test result in a log, found by shape rather than by a framework's rule: test runners print one
 * row per test (`✓ adds`, `[+] adds`, `test adds ... ok`) and mark the failing ones with a verdict (`FAIL`,
 * `*** FAILED ***`, `✗`, `[-]`), or list the failures afterwards as numbered blocks (`1) test adds (MathTest)`,
 * `1) Failure:`) or as named output sections (`---- adds stdout ----`). The first failure is often the cause of the
 * later ones, and its diagnostics follow it; a log's end holds only the run's summary. Context selection and the key
 * line fall back on it when no rule written for the framework matched.
 *
 * Every pattern is linear (no nested quantifiers) and reads at most the start of a line: logs are attacker-controlled.
 */

/** A verdict row: a failure marker at the start of a test's row, or a failure verdict at its end. */
const VERDICT_FIRST =
  /^\s{0,12}(?:FAIL(?:ED|URE)?|✗|✘|✖|×|\[-\]|\[FAIL(?:ED)?\]|--- FAIL:|not ok \d)(?:\s|:|$)/;
const VERDICT_LAST = /\S\s(?:\.\.\.|…|-|:)?\s{0,4}(?:FAIL(?:ED)?|\*\*\* FAILED \*\*\*|ERROR)\s{0,4}$/;
/** The first of a run's numbered failure blocks (`1) …`, `1. …` is too common in prose to count). */
const FIRST_NUMBERED = /^\s{0,12}1\) \S/;
/** Named per-test output sections, printed for failing tests only. */
const OUTPUT_SECTION = /^-{3,4} \S{1,200} (?:stdout|stderr) -{3,4}$/;
/** The next numbered item: a list's, whose own words say nothing about the header before it. */
const NEXT_NUMBERED = /^\s{0,12}\d{1,4}\) \S/;
/** A block header is a failure when it says so, or when a diagnostic follows within a few lines. */
const FAILURE_WORD = /\b(?:fail(?:ed|ure)?|error|assert\w{0,12}|expected|panicked)\b/i;
/** A passing row: the shapes runners print for the tests that passed, which confirm the verdict rows around them. */
const PASS_ROW =
  /^\s{0,12}(?:PASS(?:ED)?|ok|✓|✔|√|\[\+\]|\[PASS(?:ED)?\]|--- PASS:)(?:\s|:|$)|\S\s(?:\.\.\.|-|:)?\s{0,4}(?:ok|OK|PASS(?:ED)?|passed)\s{0,4}$/;
/** Lines that talk about failing without being a test's result. */
const NOT_A_ROW = /^\s{0,12}(?:\$|\+{1,3}|#|\/\/|echo\b)/;
/** How far after a numbered header its diagnostic may start. */
const DIAGNOSTIC_LINES = 6;
/** Only the start of a line is read: enough for any result row, bounded cost on minified blobs. */
const ROW_CHARS = 400;

export interface FirstFailure {
  /** Index of the failing row or block header in the lines given. */
  readonly index: number;
  /** Which shape found it. */
  readonly kind: 'verdict-row' | 'numbered-block' | 'output-section';
}

/**
 * Finds the first failing test result among `texts` (normalised lines), or undefined when nothing looks like one.
 * A verdict row counts when the log holds other result rows (passing or failing) of the same indentation: one stray
 * `FAILED` in a build tool's chatter is not a test run.
 *
 * @example
 * findFirstFailure(['  ✓ adds', '  ✗ subtracts', '    expected 1 to equal 2']); // { index: 1, kind: 'verdict-row' }
 */
export function findFirstFailure(texts: readonly string[]): FirstFailure | undefined {
  const rowsByIndent = new Map<number, number>();
  const verdicts: number[] = [];
  let numbered: number | undefined;
  let section: number | undefined;
  texts.forEach((full, index) => {
    const text = full.length > ROW_CHARS ? full.slice(0, ROW_CHARS) : full;
    if (NOT_A_ROW.test(text)) return;
    const failed = VERDICT_FIRST.test(text) || VERDICT_LAST.test(text);
    if (failed || PASS_ROW.test(text)) {
      const indent = indentOf(text);
      rowsByIndent.set(indent, (rowsByIndent.get(indent) ?? 0) + 1);
      if (failed) verdicts.push(index);
    }
    if (numbered === undefined && FIRST_NUMBERED.test(text) && diagnosed(texts, index)) numbered = index;
    if (section === undefined && OUTPUT_SECTION.test(text)) section = index;
  });
  const row = verdicts.find((index) => (rowsByIndent.get(indentOf(texts[index]!)) ?? 0) >= 2);
  const found = [
    row === undefined ? undefined : ({ index: row, kind: 'verdict-row' } as const),
    numbered === undefined ? undefined : ({ index: numbered, kind: 'numbered-block' } as const),
    section === undefined ? undefined : ({ index: section, kind: 'output-section' } as const),
  ].filter((candidate) => candidate !== undefined);
  return found.sort((a, b) => a.index - b.index)[0];
}

function indentOf(text: string): number {
  return text.length - text.trimStart().length;
}

/** Whether a numbered header is a failure's: it says so, or a diagnostic follows it. */
function diagnosed(texts: readonly string[], index: number): boolean {
  for (let i = index; i < Math.min(texts.length, index + DIAGNOSTIC_LINES + 1); i += 1) {
    const text = texts[i]!.slice(0, ROW_CHARS);
    if (i > index && NEXT_NUMBERED.test(text)) return false;
    if (FAILURE_WORD.test(text)) return true;
  }
  return false;
}
