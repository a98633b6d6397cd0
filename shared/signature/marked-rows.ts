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
  const family = PASSING_MARKER.findIndex(([failing]) => failing.test(row));
  if (family < 0) return false;
  const before = passingRowsBefore(lines, family);
  const from = Math.max(0, index - RUN_LINES);
  const to = Math.min(lines.length, index + RUN_LINES);
  return before[to]! - before[from]! > 0;
}

/** Per log and marker family, how many passing rows precede each line: one pass over a log, whatever its rows. */
const passingCounts = new WeakMap<readonly string[], Int32Array[]>();

function passingRowsBefore(lines: readonly string[], family: number): Int32Array {
  let counts = passingCounts.get(lines);
  if (counts === undefined) {
    counts = [];
    passingCounts.set(lines, counts);
  }
  let before = counts[family];
  if (before === undefined) {
    const passing = PASSING_MARKER[family]![1];
    before = new Int32Array(lines.length + 1);
    for (let i = 0; i < lines.length; i += 1)
      before[i + 1] = before[i]! + (passing.test(lines[i]!.trim()) ? 1 : 0);
    counts[family] = before;
  }
  return before;
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
