/**
 * A test driver that runs test files in subprocesses and re-raises a failed file's verdict at the end (PyTorch's
 * run_test.py: `RuntimeError: test_x 2/5 failed!`): the re-raise only repeats that a file failed, so its key lines
 * point back to the output it wraps.
 */
import { isFailingRow } from './first-failing-row';
import { LOOK_AHEAD, PYTHON_EXCEPTION, pythonTracebackKeyLines } from './rule-key-lines';

/**
 * A test driver's own exception that only repeats that a test file or shard failed (`RuntimeError: test_x 2/5
 * failed!`): the failure itself was printed earlier.
 */
export const RERAISED_SUMMARY = /\b\S+ \d+\/\d+ failed!$/;

export function isReraisedSummary(lines: readonly string[], index: number): boolean {
  return RERAISED_SUMMARY.test(lines[pythonTracebackKeyLines(lines, index)[0]!]!);
}

/**
 * A row of the wrapped output that names a test and says it failed in lower case (`Name - failed. reason`, `name:
 * failed:`), which the upper-case result rows of first-failing-row.ts do not cover.
 */
const NAMED_FAILED = /^[\w.$:/[\]-]+(?: -|:)? failed[.:]/;

/**
 * What a test driver's re-raise (`RuntimeError: test_x 2/5 failed!`) wraps: when the driver's copy of that test file's
 * output (from the first line within reach that names the file) holds a row that names the failed test, that row is
 * the first key line, then the re-raise; otherwise the re-raise names the failed file and the last exception printed
 * before its traceback (an import error, a crash at collection) is the cause.
 */
export function reraisedWithCause(lines: readonly string[], index: number): number[] {
  const summary = pythonTracebackKeyLines(lines, index)[0]!;
  const floor = Math.max(0, index - LOOK_AHEAD * 2);
  const verdict = wrappedVerdict(lines, index, floor, lines[summary]!);
  if (verdict !== undefined) return [verdict, summary];
  for (let i = index - 1; i >= floor; i -= 1) {
    const text = lines[i]!;
    if (PYTHON_EXCEPTION.test(text) && !/Warning\b/.test(text.split(':')[0]!)) return [summary, i];
  }
  return [summary];
}

/** The first row naming a failed test in the wrapped file's output, between `floor` and the re-raise at `end`. */
function wrappedVerdict(
  lines: readonly string[],
  end: number,
  floor: number,
  summary: string,
): number | undefined {
  const unit = /(\S+) \d+\/\d+ failed!$/.exec(summary)?.[1];
  if (unit === undefined) return undefined;
  let start = -1;
  for (let i = end - 1; i >= floor; i -= 1)
    if (lines[i]!.includes(unit) && !RERAISED_SUMMARY.test(lines[i]!)) start = i;
  if (start < 0) return undefined;
  for (let i = start + 1; i < end; i += 1) {
    const text = lines[i]!.trim();
    if ((isFailingRow(text) || NAMED_FAILED.test(text)) && !RERAISED_SUMMARY.test(text)) return i;
  }
  return undefined;
}
