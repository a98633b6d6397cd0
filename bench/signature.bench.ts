/**
 * Failure-signature benchmark on the labelled logs in ../shared/data.
 *
 * - Key line: the first key line of the signature lies in the labelled failure (LogChunks chunk — any occurrence of
 *   its text when it repeats —, CiDiff error ranges, PyTorch fixture `label_line`), compared by line number in one
 *   numbering (see shared-data.ts).
 * - Grouping: within each LogChunks repository, pairwise precision and recall of "same signature" against "same
 *   labelled chunk after masking digits, hex and paths".
 * - Speed: mean and worst time of computeSignature on a capture snapshot.
 *
 * Run: `npm run bench:signature` (add `-- --misses` to list the logs whose key line misses the label, `-- --pairs` to
 * list the false merges and false splits of grouping).
 */
import { performance } from 'node:perf_hooks';
import { stripAnsi } from '../shared/log/normalize';
import { snapshotLines } from '../shared/log/snapshot-lines';
import { computeSignature, explainSignature } from '../shared/signature/compute-signature';
import { maskVolatile } from '../shared/signature/mask-volatile';
import type { FailureSignature, KeyLine } from '../shared/signature/types';
import {
  type LabelledLog,
  loadCidiff,
  loadLogChunks,
  loadPytorchFixtures,
  readLog,
  requireSharedData,
} from './shared-data';
import { snapshotOfLog } from './snapshot-of-log';

requireSharedData();
const showMisses = process.argv.includes('--misses');
const showPairs = process.argv.includes('--pairs');

interface Scored {
  readonly log: LabelledLog;
  readonly signature: FailureSignature;
  /** Detail lines hashed after the key lines (only with `--pairs`). */
  readonly details: readonly KeyLine[];
  readonly hit: boolean;
  readonly ms: number;
}

function score(logs: readonly LabelledLog[]): Scored[] {
  return logs.map((log) => {
    const snapshot = snapshotOfLog(readLog(log));
    const started = performance.now();
    const signature = computeSignature(snapshot);
    const ms = performance.now() - started;
    const details = showPairs ? explainSignature(snapshotLines(snapshot)).details : [];
    const first = signature.keyLines[0]?.line;
    const hit =
      first !== undefined &&
      [...log.ranges, ...log.otherOccurrences].some((range) => first >= range.first && first <= range.last);
    return { log, signature, details, hit, ms };
  });
}

function percent(part: number, whole: number): string {
  return whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)}%`;
}

function report(name: string, scored: readonly Scored[], target: number): void {
  const hits = scored.filter((entry) => entry.hit).length;
  const verdict = hits / scored.length >= target ? 'meets' : 'BELOW';
  console.log(
    `key line in label  ${name.padEnd(34)} ${String(hits).padStart(3)}/${String(scored.length).padEnd(3)} = ${percent(hits, scored.length).padStart(6)}  (target ${(target * 100).toFixed(0)}%: ${verdict})`,
  );
  if (!showMisses) return;
  for (const { log, signature, hit } of scored) {
    if (hit) continue;
    const key = signature.keyLines[0];
    const ranges = log.ranges.map((range) => `${range.first}-${range.last}`).join(',');
    console.log(`  miss ${log.id} [${ranges}] ${signature.rule} @${key?.line}: ${key?.text.slice(0, 140)}`);
  }
}

/** Ground truth of grouping: the labelled chunk with digits, hex and paths masked. */
function groupKey(label: string): string {
  return stripAnsi(label)
    .replace(/\r/g, '')
    .replace(/(?:[A-Za-z]:)?(?:[\\/][^\s\\/:'"]+)+[\\/]?/g, '<path>')
    .replace(/\b(?=[0-9a-f]*\d)[0-9a-f]{6,}\b/gi, '<hex>')
    .replace(/\d+/g, '0')
    .replace(/\s+/g, ' ')
    .trim();
}

interface Pair {
  readonly a: Scored;
  readonly b: Scored;
}

interface Grouping {
  readonly precision: number;
  readonly recall: number;
  readonly pairs: number;
  readonly truePositives: number;
  /** Same signature, different labelled failure. */
  readonly falseMerges: readonly Pair[];
  /** Same labelled failure, different signatures. */
  readonly falseSplits: readonly Pair[];
}

function grouping(scored: readonly Scored[]): Grouping {
  const byRepo = new Map<string, Scored[]>();
  for (const entry of scored) byRepo.set(entry.log.repo, [...(byRepo.get(entry.log.repo) ?? []), entry]);
  let truePositive = 0;
  let pairs = 0;
  const falseMerges: Pair[] = [];
  const falseSplits: Pair[] = [];
  for (const entries of byRepo.values()) {
    const keys = entries.map((entry) => groupKey(entry.log.labelText));
    for (let a = 0; a < entries.length; a += 1) {
      for (let b = a + 1; b < entries.length; b += 1) {
        pairs += 1;
        const same = keys[a] === keys[b];
        const pair = { a: entries[a]!, b: entries[b]! };
        const predicted = pair.a.signature.signature === pair.b.signature.signature;
        if (same && predicted) truePositive += 1;
        else if (predicted) falseMerges.push(pair);
        else if (same) falseSplits.push(pair);
      }
    }
  }
  return {
    precision: truePositive / Math.max(1, truePositive + falseMerges.length),
    recall: truePositive / Math.max(1, truePositive + falseSplits.length),
    pairs,
    truePositives: truePositive,
    falseMerges,
    falseSplits,
  };
}

function printPairs(title: string, pairs: readonly Pair[]): void {
  console.log(`\n${title} (${pairs.length} pairs)`);
  for (const { a, b } of pairs) {
    console.log(`  ${a.log.repo}: ${a.log.id} / ${b.log.id}`);
    for (const entry of [a, b]) {
      const { signature, rule, strength, keyLines } = entry.signature;
      console.log(`    ${entry.log.id} ${signature} ${rule} (${strength})`);
      for (const key of keyLines) console.log(`      key   ${maskVolatile(key.text).slice(0, 160)}`);
      for (const detail of entry.details)
        console.log(`      detail ${maskVolatile(detail.text).slice(0, 160)}`);
      const label =
        stripAnsi(entry.log.labelText)
          .split(/\r?\n/)
          .find((line) => line.trim().length > 0) ?? '';
      console.log(`      label ${label.trim().slice(0, 160)}`);
    }
  }
}

const logchunks = score(loadLogChunks());
const cidiff = score(loadCidiff());
const pytorch = score(loadPytorchFixtures());

console.log('osdc-rca failure signature: key lines and grouping on ../shared/data\n');
report('LogChunks (Travis)', logchunks, 0.8);
report('CiDiff, all', cidiff, 0.85);
report(
  'CiDiff, without suspect annotations',
  cidiff.filter((entry) => !entry.log.suspect),
  0.85,
);
report('PyTorch fixtures (label_line)', pytorch, 0.95);

const groups = grouping(logchunks);
const verdict = (value: number): string => (value >= 0.9 ? 'meets' : 'BELOW');
console.log(
  `\ngrouping within LogChunks repositories (${groups.pairs} pairs): precision ${groups.precision.toFixed(4)} (${verdict(groups.precision)}), recall ${groups.recall.toFixed(4)} (${verdict(groups.recall)}); target 0.9 each; ${groups.truePositives} pairs grouped right, ${groups.falseMerges.length} false merges, ${groups.falseSplits.length} false splits`,
);
if (showPairs) {
  printPairs('false merges: same signature, different labelled failure', groups.falseMerges);
  printPairs('false splits: same labelled failure, different signatures', groups.falseSplits);
}

const all = [...logchunks, ...cidiff, ...pytorch];
const strong = all.filter((entry) => entry.signature.strength === 'strong').length;
console.log(`strong signatures: ${percent(strong, all.length)} of ${all.length} logs`);
const times = all.map((entry) => entry.ms).sort((a, b) => a - b);
const mean = times.reduce((sum, ms) => sum + ms, 0) / times.length;
console.log(
  `computeSignature on a capture snapshot: mean ${mean.toFixed(2)} ms, p99 ${times[Math.floor(times.length * 0.99)]!.toFixed(2)} ms, max ${times[times.length - 1]!.toFixed(2)} ms`,
);
