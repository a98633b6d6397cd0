/**
 * Redaction, both ways it can fail. (1) Leaks: random secrets of every known shape are planted plain, among terminal
 * escape codes, inside lines far over the capture's line cap and wrapped by a terminal, and sent through the real
 * capture path (LogCapture, chunked, then a snapshot); a case leaks when any 8-character piece of its secret is in
 * what the capture keeps. (2) False positives: every log of ../shared/data (no live secrets in them, so nearly every
 * redaction is a false positive) through a Redactor as the capture uses it, with the SHAPES of what was redacted, so
 * a reader can see that nothing useful (commit SHAs, test ids) is lost.
 *
 * Run: `npm run bench:redaction` (options: `--cases N` per format and placement, default 40).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Redactor } from '../shared/redaction/redactor';
import { splitLines, stripAnsi } from '../shared/text/normalize';
import {
  keptByCapture,
  leakedPieces,
  PLACEMENTS,
  type Placement,
  plantSecret,
  SECRET_SHAPES,
  seededRandom,
} from '../test/support/planted-secrets';
import { sharedDataDir } from './shared-data';

const casesArg = process.argv.indexOf('--cases');
const CASES = casesArg > 0 ? Number(process.argv[casesArg + 1]) : 40;
const FOLDERS = ['logchunks', 'cidiff', 'pytorch-fixtures'];

measureLeaks();
if (existsSync(sharedDataDir)) {
  measureFalsePositives();
} else {
  console.log(`\nFalse positives: ${sharedDataDir} not found; nothing to measure.`);
}

function measureLeaks(): void {
  console.log(`Leaks: ${CASES} random secrets per format and placement through LogCapture (random chunking)`);
  console.log('a case leaks when any 8-character piece of its secret is in the snapshot\n');
  console.log(`${'format'.padEnd(28)}${PLACEMENTS.map((placement) => placement.padStart(11)).join('')}`);
  const totals = new Map<Placement, number>(PLACEMENTS.map((placement) => [placement, 0]));
  let seed = 16;
  for (const shape of SECRET_SHAPES) {
    const cells = PLACEMENTS.map((placement) => {
      let leaked = 0;
      for (let i = 0; i < CASES; i++) {
        seed += 1;
        if (leaksThroughCapture(shape, placement, seed)) leaked += 1;
      }
      totals.set(placement, (totals.get(placement) ?? 0) + leaked);
      return `${leaked}/${CASES}`.padStart(11);
    });
    console.log(`${shape.kind.padEnd(28)}${cells.join('')}`);
  }
  const all = SECRET_SHAPES.length * CASES;
  console.log(`${'all'.padEnd(28)}${PLACEMENTS.map((p) => `${totals.get(p)}/${all}`.padStart(11)).join('')}`);
}

function leaksThroughCapture(
  shape: (typeof SECRET_SHAPES)[number],
  placement: Placement,
  seed: number,
): boolean {
  const rand = seededRandom(seed);
  const { log, secret, values } = plantSecret(shape, placement, rand);
  const { kept } = keptByCapture(log, values, () => 1 + Math.floor(rand() * 9000));
  return leakedPieces(kept, secret).length > 0;
}

interface Totals {
  logs: number;
  logsWithRedaction: number;
  lines: number;
  bytes: number;
  redactions: number;
  ms: number;
}

function measureFalsePositives(): void {
  console.log('\nFalse positives on real CI logs (no live secrets: redactions are false positives)');
  console.log('each log as one batch through Redactor.redactLines, as the capture redacts what it keeps\n');
  console.log(
    'folder            logs  lines      MiB    redactions  per 1k lines  per MiB  logs with any  MiB/s',
  );
  const hits = new Map<string, number>();
  const shapes = new Map<string, number>();
  const all: Totals = { logs: 0, logsWithRedaction: 0, lines: 0, bytes: 0, redactions: 0, ms: 0 };
  for (const folder of FOLDERS) {
    const index = path.join(sharedDataDir, folder, 'index.jsonl');
    if (!existsSync(index)) continue;
    const totals: Totals = { logs: 0, logsWithRedaction: 0, lines: 0, bytes: 0, redactions: 0, ms: 0 };
    for (const row of readFileSync(index, 'utf8').split('\n')) {
      if (!row.trim()) continue;
      const { log_path: logPath } = JSON.parse(row) as { log_path: string };
      const bytes = readFileSync(path.join(sharedDataDir, folder, logPath));
      const lines = splitLines(bytes.toString('utf8'));
      const redactor = new Redactor();
      const started = performance.now();
      const redacted = redactor.redactLines(lines);
      totals.ms += performance.now() - started;
      totals.logs += 1;
      totals.lines += lines.length;
      totals.bytes += bytes.length;
      totals.redactions += redactor.count;
      if (redactor.count > 0) {
        totals.logsWithRedaction += 1;
        collectShapes(lines, redacted, shapes);
      }
      for (const [id, count] of redactor.hits) hits.set(id, (hits.get(id) ?? 0) + count);
    }
    print(folder, totals);
    for (const key of Object.keys(all) as Array<keyof Totals>) all[key] += totals[key];
  }
  print('all', all);
  console.log('\nPatterns that fired (count):');
  for (const [id, count] of [...hits].sort((a, b) => b[1] - a[1])) console.log(`  ${id.padEnd(24)} ${count}`);
  console.log('\nTop 20 redacted value shapes (count, shape):');
  for (const [shape, count] of [...shapes].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
    console.log(`  ${String(count).padStart(5)}  ${shape}`);
  }
}

/** Describes each redacted value by its shape and the text before it, never by its characters. */
function collectShapes(
  lines: readonly string[],
  redacted: readonly string[],
  shapes: Map<string, number>,
): void {
  const probe = new Redactor();
  lines.forEach((line, i) => {
    const visible = stripAnsi(line);
    if (visible === redacted[i]) return;
    const ranges = probe.findSecrets(visible);
    if (ranges.length === 0) {
      const shape = '(a line of a private key block, or joined with a wrapped neighbour)';
      shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
    }
    for (const range of ranges) {
      const key =
        range.id === 'url-credentials' ? '"scheme://user:"' : describeKey(visible.slice(0, range.start));
      const shape = `${describeValue(visible.slice(range.start, range.end))} after ${key} [${range.id}]`;
      shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
    }
  });
}

function describeValue(value: string): string {
  const alphabet = /^[0-9]+$/.test(value)
    ? 'digits'
    : /^[0-9a-f]+$/i.test(value)
      ? 'hex'
      : /^[A-Za-z0-9]+$/.test(value)
        ? 'alnum'
        : /^[A-Za-z0-9+/]+=*$/.test(value)
          ? 'base64'
          : /^[A-Za-z0-9_-]+$/.test(value)
            ? 'base64url'
            : /-----BEGIN/.test(value)
              ? 'PEM block'
              : 'printable';
  const length =
    value.length < 16 ? value.length : value.length < 64 ? `${Math.floor(value.length / 8) * 8}+` : '64+';
  return `${length}-char ${alphabet}`;
}

/** The last key-like words before a value, letters kept, digits masked: `token = `, `https://x:`. */
function describeKey(before: string): string {
  const tail = before.slice(-24).replace(/[0-9]/g, '9');
  const key = /(?:[A-Za-z_][\w.-]*\s*[:=]\s*["']?|[a-z]+:\/\/[^\s:@/]*:|(?:bearer|basic|token)\s+)$/i.exec(
    tail,
  );
  if (!key) return `"…${tail.slice(-8)}"`;
  // A URL's user name is not shown either.
  return `"${key[0].includes('://') ? key[0].replace(/[^/:]+:$/, 'user:') : key[0]}"`;
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
