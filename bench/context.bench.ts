/**
 * Context-selection benchmark on LogChunks + CiDiff (../shared/data): recall of the labelled failure at 24 KiB and
 * 8 KiB, for our selection and for a plain tail of the same size, the mean context size and the time per log.
 *
 * Recall: a log counts when at least 90% of the first 40 non-blank normalised lines of its labelled chunk are inside
 * the context (by line number; one numbering for label and context, see shared-data.ts). When a LogChunks label's
 * text occurs more than once in the log, any occurrence counts (the data set records the first one it found).
 *
 * Run: `npm run bench:context` (add `-- --misses` to list the logs that miss at 8 KiB).
 */
import { performance } from 'node:perf_hooks';
import { selectContext } from '../shared/context/context-selection';
import { normalizeLine } from '../shared/log/normalize';
import type { CaptureSnapshot } from '../shared/log/types';
import {
  type LabelledLog,
  type LabelRange,
  loadCidiff,
  loadLogChunks,
  readLog,
  requireSharedData,
} from './shared-data';
import { snapshotOfLog } from './snapshot-of-log';

requireSharedData();
const showMisses = process.argv.includes('--misses');
const BUDGETS = [24 * 1024, 8 * 1024];
const LABEL_LINES = 40;
const REQUIRED = 0.9;
const encoder = new TextEncoder();

/**
 * The first 40 non-blank normalised label lines, as line numbers: one list for the label and one for each other
 * place its text occurs (any of them counts).
 */
function labelLines(log: LabelledLog, lines: readonly string[]): number[][] {
  return [log.ranges, ...log.otherOccurrences.map((range) => [range])].map((ranges) =>
    firstLines(ranges, lines),
  );
}

function firstLines(ranges: readonly LabelRange[], lines: readonly string[]): number[] {
  const wanted: number[] = [];
  for (const range of ranges) {
    for (let line = range.first; line <= range.last && wanted.length < LABEL_LINES; line += 1) {
      if (normalizeLine(lines[line - 1] ?? '').trim().length > 0) wanted.push(line);
    }
  }
  return wanted;
}

function covered(candidates: readonly (readonly number[])[], shown: ReadonlySet<number>): boolean {
  return candidates.some(
    (wanted) =>
      wanted.length === 0 || wanted.filter((line) => shown.has(line)).length / wanted.length >= REQUIRED,
  );
}

/** The baseline: as many whole last lines of the (normalised) log as fit in the budget. */
function tailLines(lines: readonly string[], budget: number): Set<number> {
  const shown = new Set<number>();
  let used = 0;
  for (let line = lines.length; line >= 1; line -= 1) {
    used += encoder.encode(normalizeLine(lines[line - 1]!)).length + 1;
    if (used > budget) break;
    shown.add(line);
  }
  return shown;
}

interface Tally {
  ours: number;
  tail: number;
  bytes: number;
  ms: number[];
  overBudget: number;
  misses: string[];
}

const logs = [...loadLogChunks(), ...loadCidiff().filter((log) => !log.suspect)];
const tallies = new Map<number, Tally>(
  BUDGETS.map((budget) => [budget, { ours: 0, tail: 0, bytes: 0, ms: [], overBudget: 0, misses: [] }]),
);
for (const log of logs) {
  const buffer = readLog(log);
  const snapshot: CaptureSnapshot = snapshotOfLog(buffer);
  const all = buffer.toString('utf8').split(/\r?\n/);
  const wanted = labelLines(log, all);
  for (const budget of BUDGETS) {
    const tally = tallies.get(budget)!;
    const started = performance.now();
    const context = selectContext(snapshot, { budgetBytes: budget });
    tally.ms.push(performance.now() - started);
    const shown = new Set<number>();
    for (const range of context.ranges)
      for (let line = range.first; line <= range.last; line += 1) shown.add(line);
    if (covered(wanted, shown)) tally.ours += 1;
    else tally.misses.push(log.id);
    if (covered(wanted, tailLines(all, budget))) tally.tail += 1;
    tally.bytes += context.bytes;
    if (encoder.encode(context.text).length > budget) tally.overBudget += 1;
  }
}

console.log(
  `osdc-rca context selection: LogChunks + CiDiff (${logs.length} logs, CiDiff suspect annotations excluded)\n`,
);
for (const budget of BUDGETS) {
  const tally = tallies.get(budget)!;
  const target = budget >= 24 * 1024 ? 0.95 : 0.9;
  const recall = tally.ours / logs.length;
  const times = [...tally.ms].sort((a, b) => a - b);
  console.log(
    `${budget / 1024} KiB: recall ${recall.toFixed(3)} (target ${target}: ${recall >= target ? 'meets' : 'BELOW'}), tail baseline ${(tally.tail / logs.length).toFixed(3)}, mean context ${Math.round(tally.bytes / logs.length)} bytes, over budget ${tally.overBudget}, selectContext mean ${(times.reduce((a, b) => a + b, 0) / times.length).toFixed(2)} ms, max ${times.at(-1)!.toFixed(2)} ms`,
  );
  if (showMisses) for (const id of tally.misses) console.log(`  miss ${id}`);
}
