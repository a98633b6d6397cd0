/**
 * Result rows that say pass or fail by a leading marker only (`[+]`/`[-]`, `✓`/`✗`, `✔`/`✖`): a failed row has no
 * failure word, so it is recognised by its marker being the failing one of a pair whose passing marker leads other
 * rows nearby. Many runners print such rows (Pester, xcpretty, Jest, Karma, Ava, mocha's spec reporter).
 */

/** A row led by a failing marker. */
export const FAILED_ROW_MARKER = /^(?:\[-\]|[✗✘✕✖×]) \S/;
/** The passing marker of each failing marker's family. */
const PASSING_MARKER: ReadonlyArray<readonly [RegExp, RegExp]> = [
  [/^\[-\] /, /^\[\+\] \S/],
  [/^[✗✘✕✖×] /, /^[✓✔√] \S/],
];
/** How far around a failed row the passing rows of its run are looked for. */
const RUN_LINES = 300;
/** How far below a failed row a runner's closing summary may repeat it. */
const SUMMARY_LINES = 480;

/**
 * Whether the failed row at `index` stands among passing rows of its family (within a few hundred lines): a lone
 * `× 2` or `[-]` elsewhere is not a test verdict.
 */
export function amongPassingMarkedRows(lines: readonly string[], index: number): boolean {
  const row = lines[index]!.trim();
  const passing = PASSING_MARKER.find(([failing]) => failing.test(row))?.[1];
  if (passing === undefined) return false;
  const from = Math.max(0, index - RUN_LINES);
  const to = Math.min(lines.length, index + RUN_LINES);
  for (let i = from; i < to; i += 1) if (passing.test(lines[i]!.trim())) return true;
  return false;
}

/**
 * The failed row's entry in the runner's closing summary, when it repeats the row without its marker (xcpretty lists
 * each failure again above its `file:line`); else the row itself.
 */
export function repeatedInSummary(lines: readonly string[], index: number): number[] {
  const row = lines[index]!.trim();
  const entry = row.slice(row.indexOf(' ') + 1);
  const end = Math.min(lines.length, index + 1 + SUMMARY_LINES);
  for (let i = index + 1; i < end; i += 1) if (lines[i]!.trim() === entry) return [i];
  return [index];
}
