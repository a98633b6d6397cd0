/**
 * How many tests the runner counted as failed, from its closing count (`11 failing`, `= 2 failed, 40 passed =`,
 * `5 tests, 3 failures`). Key lines name the first failure only: a run where one test failed and a run where it failed
 * with ten others show the same first failure, and are not the same failure. The count is not masked like other
 * numbers: it is what tells the two apart.
 */
import type { SnapshotLine } from '../log/snapshot-lines';

/** A count of failed tests as runners close with it; `0 failures` counts too (the failure is elsewhere). */
const FAILED_COUNT = /\b(\d+) (?:failing|failed|failures?)\b/i;

/**
 * The number in the last closing count of failed tests in the log, or `undefined` when there is none.
 *
 * @example
 * failedTestCount(lines); // 11, from `  11 failing`
 */
export function failedTestCount(lines: readonly SnapshotLine[]): number | undefined {
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const count = FAILED_COUNT.exec(lines[i]!.text)?.[1];
    if (count !== undefined) return Number(count);
  }
  return undefined;
}
