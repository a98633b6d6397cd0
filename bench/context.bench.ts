/**
 * Context-selection benchmark on LogChunks + CiDiff (../shared/data): recall of the labelled failure at 24 KiB and
 * 8 KiB, for our selection and for a plain tail of the same size, the mean context size and the time per log.
 *
 * Recall: a log counts when at least 90% of the first 40 non-blank normalised lines of its labelled chunk are inside
 * the context (by line number; one numbering for label and context, see shared-data.ts). When a LogChunks label's
 * text occurs more than once in the log, any occurrence counts (the data set records the first one it found).
 *
 * In sample and out of group: the rules and scorer patterns are hand-written from these logs, so what can be judged
 * out of sample is whether each was written from one repository. A signature rule or scorer pattern that fires in
 * the logs of one cross-validation group only (repository-folds.ts) is switched off for that group's logs, in the
 * capture and in the selection ("leave-rule-out"), and the group is scored with what the rest makes of it.
 *
 * Run: `npm run bench:context` (add `-- --misses` to list the logs that miss out of group).
 */
import { performance } from 'node:perf_hooks';
import { selectContext } from '../shared/context/context-selection';
import { scorePatternsOf } from '../shared/log/line-score';
import { snapshotLines } from '../shared/log/snapshot-lines';
import { matchRules } from '../shared/signature/match-rules';
import { SIGNATURE_RULES } from '../shared/signature/rules';
import { normalizeLine } from '../shared/text/normalize';
import { groupOf } from './repository-folds';
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

interface Prepared {
  readonly log: LabelledLog;
  readonly group: string;
  readonly buffer: Buffer;
  readonly all: readonly string[];
  readonly wanted: number[][];
}

const logs: Prepared[] = [...loadLogChunks(), ...loadCidiff().filter((log) => !log.suspect)].map((log) => {
  const buffer = readLog(log);
  const all = buffer.toString('utf8').split(/\r?\n/);
  return { log, group: groupOf(log), buffer, all, wanted: labelLines(log, all) };
});

/** Where each signature rule and each scorer pattern fires: name → groups. */
const firesIn = new Map<string, Set<string>>();
const fires = (name: string, group: string) => firesIn.set(name, (firesIn.get(name) ?? new Set()).add(group));
for (const entry of logs) {
  const lines = snapshotLines(snapshotOfLog(entry.buffer));
  for (const match of matchRules(lines)) fires(`rule:${SIGNATURE_RULES[match.ruleIndex]!.id}`, entry.group);
  for (const line of entry.all)
    for (const index of scorePatternsOf(normalizeLine(line))) fires(`score:${index}`, entry.group);
}
/** What one group's logs are judged without: the rules and patterns that fire in that group only. */
function leftOutFor(group: string): { rules: Set<string>; patterns: Set<number> } {
  const rules = new Set<string>();
  const patterns = new Set<number>();
  for (const [name, groups] of firesIn) {
    if (groups.size !== 1 || !groups.has(group)) continue;
    if (name.startsWith('rule:')) rules.add(name.slice(5));
    else patterns.add(Number(name.slice(6)));
  }
  return { rules, patterns };
}

type Mode = 'in sample' | 'out of group';
const DATASETS = ['logchunks', 'cidiff'] as const;
const tallies = new Map<string, Tally>();
const tallyOf = (mode: Mode, dataset: string, budget: number): Tally => {
  const key = `${mode}|${dataset}|${budget}`;
  let tally = tallies.get(key);
  if (!tally) {
    tally = { ours: 0, tail: 0, bytes: 0, ms: [], overBudget: 0, misses: [] };
    tallies.set(key, tally);
  }
  return tally;
};
let leftOutLogs = 0;
for (const entry of logs) {
  const left = leftOutFor(entry.group);
  if (left.rules.size + left.patterns.size > 0) leftOutLogs += 1;
  const modes: ReadonlyArray<[Mode, ReturnType<typeof snapshotOfLog>, typeof left | undefined]> = [
    ['in sample', snapshotOfLog(entry.buffer), undefined],
    [
      'out of group',
      left.patterns.size > 0
        ? snapshotOfLog(entry.buffer, { scoreWithout: left.patterns })
        : snapshotOfLog(entry.buffer),
      left,
    ],
  ];
  for (const [mode, snapshot, without] of modes) {
    for (const budget of BUDGETS) {
      for (const dataset of [entry.log.dataset, 'all']) {
        const tally = tallyOf(mode, dataset, budget);
        const started = performance.now();
        const context = selectContext(snapshot, {
          budgetBytes: budget,
          ...(without ? { withoutRules: without.rules, withoutScorePatterns: without.patterns } : {}),
        });
        tally.ms.push(performance.now() - started);
        const shown = new Set<number>();
        for (const range of context.ranges)
          for (let line = range.first; line <= range.last; line += 1) shown.add(line);
        if (covered(entry.wanted, shown)) tally.ours += 1;
        else tally.misses.push(entry.log.id);
        if (covered(entry.wanted, tailLines(entry.all, budget))) tally.tail += 1;
        tally.bytes += context.bytes;
        if (encoder.encode(context.text).length > budget) tally.overBudget += 1;
      }
    }
  }
}

const singleGroup = [...firesIn.values()].filter((groups) => groups.size === 1).length;
console.log(
  `osdc-rca context selection: LogChunks + CiDiff (${logs.length} logs, CiDiff suspect annotations excluded)`,
);
console.log(
  `out of group: ${singleGroup} of ${firesIn.size} rules and scorer patterns fire in one group only; ${leftOutLogs} logs are judged without some\n`,
);
for (const budget of BUDGETS) {
  const target = budget >= 24 * 1024 ? 0.95 : 0.9;
  for (const dataset of [...DATASETS, 'all']) {
    const count = tallyOf('in sample', dataset, budget).ms.length;
    const rate = (mode: Mode) => tallyOf(mode, dataset, budget).ours / count;
    const tally = tallyOf('out of group', dataset, budget);
    const times = [...tally.ms].sort((a, b) => a - b);
    console.log(
      `${budget / 1024} KiB ${dataset.padEnd(9)} (${String(count).padStart(3)}): in sample ${rate('in sample').toFixed(3)}, out of group ${rate('out of group').toFixed(3)}${dataset === 'all' ? ` (target ${target}: ${rate('out of group') >= target ? 'meets' : 'BELOW'})` : ''}, tail baseline ${(tally.tail / count).toFixed(3)}, mean context ${Math.round(tally.bytes / count)} B, over budget ${tally.overBudget}, selectContext mean ${(times.reduce((a, b) => a + b, 0) / times.length).toFixed(2)} ms, max ${times.at(-1)!.toFixed(2)} ms`,
    );
    if (showMisses && dataset === 'all') for (const id of tally.misses) console.log(`  miss ${id}`);
  }
}
