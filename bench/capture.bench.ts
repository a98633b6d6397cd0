/**
 * Throughput and memory of the capture stage on ≥ 1 GiB of realistic log text, shaped like production: a producer
 * process writes the log into a pipe (as the step's output reaches the wrapper), this process runs the stage, and a
 * consumer process reads the stage's output from a pipe (as the runner reads the wrapper's stdout). The same run with
 * a plain PassThrough is the baseline. The text is the real logs of ../shared/data, repeated with their digits
 * perturbed on every pass (synthetic build output when the data is absent).
 *
 * Run: `npm run bench:capture` (options: `--gib N`, default 1).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PassThrough, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CONTROL_SLOTS, Slot } from '../services/reporter/capture-ring';
import { ROOM } from '../services/reporter/capture-worker-protocol';
import { createStepCapture } from '../services/reporter/create-step-capture';
import { readReporterConfig } from '../services/reporter/read-reporter-config';
import { LogCapture } from '../shared/log/capture';
import { CaptureStream } from '../shared/log/capture-stream';
import type { CaptureSnapshot } from '../shared/log/types';

const repoRoot = path.resolve(import.meta.dirname, '..');
const dataRoot = path.resolve(repoRoot, '..', 'shared', 'data');
const MiB = 1024 * 1024;
const gibArg = process.argv.indexOf('--gib');
const totalBytes = Math.round(Number(gibArg > 0 ? process.argv[gibArg + 1] : 1) * 1024 * MiB);
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
/** The reporter bundle, which is also the capture's worker script (`npm run bench:capture` builds it first). */
const bundlePath = path.join(repoRoot, 'dist', 'osdc-rca-reporter.cjs');

if (process.argv.includes('--produce')) {
  await produce();
} else if (process.argv.includes('--stage')) {
  await runStage(process.argv[process.argv.indexOf('--stage') + 1] as Kind);
} else {
  await main();
}

/** The log text: real logs concatenated, or synthetic build output. */
function corpus(): Buffer {
  const parts: Buffer[] = [];
  for (const folder of ['logchunks', 'cidiff', 'pytorch-fixtures']) {
    const index = path.join(dataRoot, folder, 'index.jsonl');
    if (!existsSync(index)) continue;
    for (const row of readFileSync(index, 'utf8').split('\n')) {
      if (!row.trim()) continue;
      const { log_path: logPath } = JSON.parse(row) as { log_path: string };
      parts.push(readFileSync(path.join(dataRoot, folder, logPath)));
    }
  }
  if (parts.length > 0) return Buffer.concat(parts);
  const lines = Array.from({ length: 200_000 }, (_, i) =>
    i % 997 === 0
      ? `src/op_${i}.cpp:12:5: error: no member named 'foo' in 'at::Tensor'`
      : `2026-07-30T10:39:20.7140484Z [${i}/200000] Building CXX object caffe2/CMakeFiles/op_${i}.cpp.o`,
  );
  return Buffer.from(`${lines.join('\n')}\n`);
}

/** Variants of the corpus with digits rotated, so repeated passes are not byte-identical. */
function variants(base: Buffer, count: number): Buffer[] {
  return Array.from({ length: count }, (_, k) => {
    const copy = Buffer.from(base);
    for (let i = 0; i < copy.length; i++) {
      const byte = copy[i]!;
      if (byte >= 48 && byte <= 57) copy[i] = 48 + ((byte - 48 + k) % 10);
    }
    return copy;
  });
}

async function produce(): Promise<void> {
  const passes = variants(corpus(), 3);
  const out = process.stdout;
  let written = 0;
  for (let k = 0; written < totalBytes; k++) {
    const pass = passes[k % passes.length]!;
    const slice = pass.subarray(0, Math.min(pass.length, totalBytes - written));
    written += slice.length;
    if (!out.write(slice)) await new Promise((resolve) => out.once('drain', resolve));
  }
  out.end();
}

/** One measured run in a fresh process: producer | stage | consumer. Prints a JSON line. */
type Kind = 'passthrough' | 'capture' | 'inline' | 'ceiling';

/**
 * A worker that empties the ring without capturing anything: the reporter's stage with it shows what the offloaded
 * design costs the pass-through by itself (the ring copy, the tap), i.e. its ceiling on this machine.
 */
function drainOnlyWorker(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'osdc-rca-bench-')), 'drain-only-worker.cjs');
  writeFileSync(
    file,
    `const { workerData, parentPort } = require('node:worker_threads');
const c = new Int32Array(workerData.ring, 0, ${CONTROL_SLOTS});
for (;;) {
  const bell = Atomics.load(c, ${Slot.DOORBELL});
  const written = Atomics.load(c, ${Slot.WRITTEN});
  if (written !== Atomics.load(c, ${Slot.READ})) {
    Atomics.store(c, ${Slot.READ}, written);
    if (Atomics.compareExchange(c, ${Slot.WAITING}, 1, 0) === 1) parentPort.postMessage(${JSON.stringify(ROOM)});
    continue;
  }
  if (Atomics.load(c, ${Slot.CLOSED}) === 1) break;
  Atomics.store(c, ${Slot.SLEEPING}, 1);
  Atomics.wait(c, ${Slot.DOORBELL}, bell, 50);
  Atomics.store(c, ${Slot.SLEEPING}, 0);
}`,
  );
  return file;
}

/** The stage under test: the reporter's (worker thread), the shared inline CaptureStream, or a plain PassThrough. */
function makeStage(kind: Kind): { stage: Transform; snapshot?: () => CaptureSnapshot; close?: () => void } {
  if (kind === 'passthrough') return { stage: new PassThrough() };
  if (kind === 'inline') {
    const stream = new CaptureStream();
    return { stage: stream, snapshot: () => stream.snapshot() };
  }
  const config = readReporterConfig({
    OSDC_RCA_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/bench',
  });
  if (!config) throw new Error('bench config did not parse');
  const workerScript = kind === 'ceiling' ? drainOnlyWorker() : bundlePath;
  const capture = createStepCapture(config, {}, { workerScript });
  return { stage: capture.taps.stdout, snapshot: () => capture.snapshot(), close: () => capture.close() };
}

async function runStage(kind: Kind): Promise<void> {
  const producer = spawn(
    process.execPath,
    [...process.execArgv, process.argv[1]!, '--produce', '--gib', String(totalBytes / 1024 / MiB)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const consumer = spawn('cat', [], { stdio: ['pipe', 'ignore', 'inherit'] });
  const { stage, snapshot: takeSnapshot, close } = makeStage(kind);
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  let bytes = 0;
  stage.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  const started = performance.now();
  const loopBefore = performance.eventLoopUtilization();
  await pipeline(producer.stdout!, stage, consumer.stdin!);
  const seconds = (performance.now() - started) / 1000;
  // How long the thread that passes the bytes on was busy: the stage's cost to the pass-through itself.
  const mainBusySeconds = performance.eventLoopUtilization(loopBefore).active / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  const snapshot = kind === 'ceiling' ? undefined : takeSnapshot?.();
  close?.();
  console.log(
    JSON.stringify({
      bytes,
      seconds,
      mibPerSecond: bytes / MiB / seconds,
      mainBusySeconds,
      rssDeltaMiB: (peak - baseline) / MiB,
      lines: snapshot?.totalLines,
      windows: snapshot?.windows.length,
    }),
  );
}

async function runChild(kind: Kind): Promise<Record<string, number>> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, process.argv[1]!, '--stage', kind, '--gib', String(totalBytes / 1024 / MiB)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  await new Promise((resolve) => child.on('close', resolve));
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
}

async function main(): Promise<void> {
  const source = existsSync(dataRoot) ? `real logs from ${dataRoot}` : 'synthetic build output (data absent)';
  console.log(`Capture stage over ${(totalBytes / 1024 / MiB).toFixed(2)} GiB of ${source}`);
  console.log(
    `pipeline: producer process | stage (this process) | consumer process (cat), ${RUNS} interleaved runs each`,
  );
  console.log(
    "stages: pass-through; capture = the reporter's (copy into a ring, LogCapture on a worker thread); inline = LogCapture on the same thread; ceiling = the reporter's with a worker that only empties the ring\n",
  );
  const results: Record<string, Array<Record<string, number>>> = {
    passthrough: [],
    capture: [],
    inline: [],
    ceiling: [],
  };
  for (let run = 0; run < RUNS; run++) {
    for (const kind of ['passthrough', 'capture', 'inline', 'ceiling'] as const) {
      const result = await runChild(kind);
      results[kind]!.push(result);
      console.log(
        `${kind.padEnd(12)} ${result.mibPerSecond!.toFixed(0).padStart(6)} MiB/s  ${result.seconds!.toFixed(2)} s  main thread busy ${result.mainBusySeconds!.toFixed(2)} s  peak RSS +${result.rssDeltaMiB!.toFixed(1)} MiB` +
          (kind === 'capture' || kind === 'inline'
            ? `  (${result.lines} lines, ${result.windows} windows kept)`
            : ''),
      );
    }
  }
  const best = (kind: string) => Math.max(...results[kind]!.map((r) => r.mibPerSecond!));
  const ratio = best('capture') / best('passthrough');
  const rss = Math.max(...results.capture!.map((r) => r.rssDeltaMiB!));
  console.log(`\nbest capture / best pass-through: ${ratio.toFixed(2)}x (target >= 0.9)`);
  console.log(
    `best inline capture (no worker thread) / best pass-through: ${(best('inline') / best('passthrough')).toFixed(2)}x`,
  );
  console.log(`peak RSS above baseline with capture: ${rss.toFixed(1)} MiB (target <= 64)`);
  console.log(
    `best reporter stage with a drain-only worker (the design's own cost, its ceiling here) / best pass-through: ${(best('ceiling') / best('passthrough')).toFixed(2)}x`,
  );
  const busy = (kind: string) => Math.min(...results[kind]!.map((r) => r.mainBusySeconds!));
  console.log(
    `main-thread busy time, least of the runs: pass-through ${busy('passthrough').toFixed(2)} s, capture ${busy('capture').toFixed(2)} s, inline ${busy('inline').toFixed(2)} s`,
  );
  console.log(
    `CPUs: ${availableParallelism()}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );

  // The stage's own CPU cost, without pipes: LogCapture fed in-memory 64 KiB chunks.
  const text = corpus();
  const capture = new LogCapture();
  const started = performance.now();
  let fed = 0;
  while (fed < 512 * MiB) {
    for (let offset = 0; offset < text.length; offset += 65536)
      capture.write(text.subarray(offset, offset + 65536));
    fed += text.length;
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `LogCapture alone (in memory, ${(fed / MiB).toFixed(0)} MiB): ${(fed / MiB / seconds).toFixed(0)} MiB/s`,
  );
}
