/**
 * False-positive rate and throughput of the redactor on the real CI logs in ../shared/data (LogChunks, CiDiff,
 * PyTorch fixtures). These logs hold no live secrets, so nearly every redaction is a false positive: the figures say
 * how much context redaction costs. Run: `npm run bench:redaction`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { splitLines } from '../shared/log/normalize';
import { Redactor } from '../shared/redaction/redactor';

const repoRoot = path.resolve(import.meta.dirname, '..');
const dataRoot = path.resolve(repoRoot, '..', 'shared', 'data');
const FOLDERS = ['logchunks', 'cidiff', 'pytorch-fixtures'];

if (!existsSync(dataRoot)) {
  console.log(`bench:redaction: ${dataRoot} not found; nothing to measure.`);
  process.exit(0);
}

interface Totals {
  logs: number;
  logsWithRedaction: number;
  lines: number;
  bytes: number;
  redactions: number;
  ms: number;
}

const hits = new Map<string, number>();
const examples = new Map<string, string[]>();
const all: Totals = { logs: 0, logsWithRedaction: 0, lines: 0, bytes: 0, redactions: 0, ms: 0 };

console.log('Redaction on real CI logs (no live secrets: redactions are false positives)\n');
console.log(
  'folder            logs  lines      MiB    redactions  per 1k lines  per MiB  logs with any  MiB/s',
);
for (const folder of FOLDERS) {
  const index = path.join(dataRoot, folder, 'index.jsonl');
  if (!existsSync(index)) continue;
  const totals: Totals = { logs: 0, logsWithRedaction: 0, lines: 0, bytes: 0, redactions: 0, ms: 0 };
  for (const row of readFileSync(index, 'utf8').split('\n')) {
    if (!row.trim()) continue;
    const { log_path: logPath } = JSON.parse(row) as { log_path: string };
    const bytes = readFileSync(path.join(dataRoot, folder, logPath));
    const lines = splitLines(bytes.toString('utf8'));
    const redactor = new Redactor();
    const started = performance.now();
    const redacted = lines.map((line) => redactor.redactLine(line));
    totals.ms += performance.now() - started;
    totals.logs += 1;
    totals.lines += lines.length;
    totals.bytes += bytes.length;
    totals.redactions += redactor.count;
    if (redactor.count > 0) totals.logsWithRedaction += 1;
    for (const [id, count] of redactor.hits) hits.set(id, (hits.get(id) ?? 0) + count);
    if (redactor.count > 0) collectExamples(lines, redacted);
  }
  print(folder, totals);
  for (const key of Object.keys(all) as Array<keyof Totals>) all[key] += totals[key];
}
print('all', all);

console.log('\nPatterns that fired (count):');
for (const [id, count] of [...hits].sort((a, b) => b[1] - a[1])) console.log(`  ${id.padEnd(24)} ${count}`);
console.log('\nExamples of redacted lines:');
for (const [id, lines] of examples) for (const line of lines) console.log(`  [${id}] ${line}`);

/** Re-runs the changed lines one by one to name the pattern that fired on each. */
function collectExamples(lines: readonly string[], redacted: readonly string[]): void {
  lines.forEach((line, i) => {
    if (line === redacted[i]) return;
    const probe = new Redactor();
    probe.redactLine(line);
    const id = [...probe.hits.keys()][0] ?? 'state (add-mask / key block)';
    const list = examples.get(id) ?? [];
    if (list.length < 4) list.push((redacted[i] ?? '').trim().slice(0, 150));
    examples.set(id, list);
  });
}

function print(name: string, t: Totals): void {
  const mib = t.bytes / 1048576;
  console.log(
    [
      name.padEnd(16),
      String(t.logs).padStart(5),
      String(t.lines).padStart(8),
      mib.toFixed(1).padStart(8),
      String(t.redactions).padStart(12),
      ((t.redactions / t.lines) * 1000).toFixed(3).padStart(13),
      (t.redactions / mib).toFixed(2).padStart(8),
      `${t.logsWithRedaction} (${((t.logsWithRedaction / t.logs) * 100).toFixed(1)}%)`.padStart(14),
      (mib / (t.ms / 1000)).toFixed(1).padStart(7),
    ].join(' '),
  );
}
