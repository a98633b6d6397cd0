/**
 * What the reporter costs a job, measured the way it is deployed: examples/wrapper.js with the bundle next to it,
 * against the same wrapper without the bundle (the job as it is today), driving a stand-in for the real hooks.
 * Local SQS (fauxqs) and DynamoDB (dynalite) on 127.0.0.1. `npm run bench:reporter` (builds the bundle first).
 *
 * Targets: failing step p99 ≤ 250 ms added; passing step ≤ 20 ms added; pass-through ≥ 0.9× the wrapper's own
 * `stdio: 'inherit'`; peak RSS ≤ 64 MiB above the wrapper without the bundle while piping 1 GiB.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, PurgeQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createTables, tableNames } from '../services/local/standins/aws/create-tables';
import { LOCAL_AWS, startLocalDynamo } from '../services/local/standins/aws/dynamodb-local';
import { startLocalSqs } from '../services/local/standins/aws/sqs-emulator';
import { BENCH_STEP_ENV, benchRunnerEnv } from './bench-runner-env';

// The SDK's Node 20 end-of-support notice is noise in benchmark output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const repoRoot = resolve(import.meta.dirname, '..');
const RUNS = 40;
const GIB = 1024 * 1024 * 1024;
const THROUGHPUT_RUNS = 3;

/** Stands in for the real hooks: prints the requested lines or bytes, exits with the requested code. */
const FAKE_HOOKS = `
let input = '';
process.stdin.on('data', (chunk) => (input += chunk)).on('end', () => {
  const act = JSON.parse(input).args?.test ?? {};
  const done = () => process.exit(act.exitCode ?? 0);
  if (act.lines) process.stdout.write(act.lines.join('\\n') + '\\n');
  if (!act.bytes) return done();
  const line = Buffer.from('x'.repeat(1023) + '\\n');
  const chunk = Buffer.concat(Array.from({ length: 1024 }, () => line));
  let left = Math.ceil(act.bytes / chunk.length);
  (function next() {
    while (left > 0) {
      left--;
      if (!process.stdout.write(chunk)) return process.stdout.once('drain', next);
    }
    done();
  })();
});`;

/** Loaded into every Node process of a run (NODE_OPTIONS) to record its peak RSS at exit. */
const RSS_PROBE = `
process.on('exit', () => {
  require('node:fs').writeFileSync(process.env.RSS_PROBE_DIR + '/' + process.pid, String(process.resourceUsage().maxRSS));
});`;

const FAILING_LINES = [
  '============================= test session starts ==============================',
  'FAILED test/test_nn.py::TestConv::test_conv2d - AssertionError: Tensor-likes are not close!',
  '=========================== 1 failed, 41 passed in 3.21s =========================',
];

interface Run {
  readonly ms: number;
  readonly exitCode: number | null;
  readonly bytes: number;
  readonly maxRssKiB: number;
}

const work = mkdtempSync(join(tmpdir(), 'osdc-rca-bench-'));
const withBundle = join(work, 'with-bundle');
const withoutBundle = join(work, 'without-bundle');
const probeDir = join(work, 'rss');
const stateDir = join(work, 'state');
for (const dir of [withBundle, withoutBundle, probeDir]) mkdirSync(dir, { recursive: true });
for (const dir of [withBundle, withoutBundle])
  copyFileSync(join(repoRoot, 'examples', 'wrapper.js'), join(dir, 'wrapper.js'));
copyFileSync(join(repoRoot, 'dist', 'osdc-rca-reporter.cjs'), join(withBundle, 'osdc-rca-reporter.cjs'));
const hooksPath = join(work, 'k8s-index.js');
writeFileSync(hooksPath, FAKE_HOOKS);
const probePath = join(work, 'rss-probe.cjs');
writeFileSync(probePath, RSS_PROBE);

const sqs = await startLocalSqs();
const dynamo = await startLocalDynamo({ engine: 'dynalite' });
const sqsClient = new SQSClient({ ...LOCAL_AWS, endpoint: sqs.endpoint });
const dynamoClient = new DynamoDBClient({ ...LOCAL_AWS, endpoint: dynamo.endpoint });
const tables = tableNames('bench');
await createTables(dynamoClient, tables);
const { QueueUrl: queueUrl } = await sqsClient.send(new CreateQueueCommand({ QueueName: 'bench-reports' }));

const env = benchRunnerEnv({
  home: work,
  sqsEndpoint: sqs.endpoint,
  queueUrl,
  stateDir,
  hooksPath,
  results: { endpoint: dynamo.endpoint, table: tables.Results },
});
const stepEnv = BENCH_STEP_ENV;

/** One hook call through the wrapper; stdout goes to this process, which reads and discards it like the runner. */
function runStep(wrapperDir: string, test: object, options: { probe?: boolean } = {}): Promise<Run> {
  // Each step starts a fresh job: no markers left from the previous run.
  rmSync(stateDir, { recursive: true, force: true });
  const request = JSON.stringify({
    command: 'run_script_step',
    responseFile: '/tmp/response.json',
    args: { entryPoint: 'bash', environmentVariables: stepEnv, test },
    state: {},
  });
  const runEnv = options.probe
    ? { ...env, NODE_OPTIONS: `--require ${probePath}`, RSS_PROBE_DIR: probeDir }
    : env;
  const started = performance.now();
  const child = spawn(process.execPath, [join(wrapperDir, 'wrapper.js')], {
    env: runEnv,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let bytes = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  child.stdin.end(request);
  return new Promise((done) => {
    child.on('close', (exitCode) => {
      const ms = performance.now() - started;
      let maxRssKiB = Number.NaN;
      if (options.probe && child.pid) {
        maxRssKiB = Number(readFileSync(join(probeDir, String(child.pid)), 'utf8'));
      }
      done({ ms, exitCode, bytes, maxRssKiB });
    });
  });
}

/** Added time per run: runs with the bundle against the median of runs without it, interleaved. */
async function addedTime(
  test: object,
  expectedExit: number,
): Promise<{ p50: number; p99: number; base: number }> {
  const base: number[] = [];
  const withTimes: number[] = [];
  // Warm the file cache and the emulators.
  for (let i = 0; i < 3; i++) await runStep(withBundle, test);
  for (let i = 0; i < RUNS; i++) {
    const without = await runStep(withoutBundle, test);
    const withIt = await runStep(withBundle, test);
    if (without.exitCode !== expectedExit || withIt.exitCode !== expectedExit) {
      throw new Error(`unexpected exit codes ${without.exitCode} / ${withIt.exitCode}`);
    }
    base.push(without.ms);
    withTimes.push(withIt.ms);
  }
  const baseMedian = percentile(base, 50);
  const added = withTimes.map((ms) => ms - baseMedian);
  await sqsClient.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
  return { p50: percentile(added, 50), p99: percentile(added, 99), base: baseMedian };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const verdict = (ok: boolean) => (ok ? 'target met' : 'TARGET MISSED');

const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
const bundleKiB = (readFileSync(join(withBundle, 'osdc-rca-reporter.cjs')).length / 1024).toFixed(1);
console.log(
  `osdc-rca reporter benchmark — Node ${process.version}, ${cpus().length} CPUs, load average ${load()}`,
);
console.log(
  `${RUNS} runs per timing, ${THROUGHPUT_RUNS} interleaved runs per throughput, bundle ${bundleKiB} KiB`,
);

const failing = await addedTime({ lines: FAILING_LINES, exitCode: 1 }, 1);
console.log(
  `failing step, reachable SQS + DynamoDB: added p50 ${fmt(failing.p50)}, p99 ${fmt(failing.p99)} (wrapper alone ${fmt(failing.base)}) — ${verdict(failing.p99 <= 250)} (p99 ≤ 250 ms)`,
);

const passing = await addedTime({ lines: ['ok'], exitCode: 0 }, 0);
console.log(
  `passing step: added p50 ${fmt(passing.p50)}, p99 ${fmt(passing.p99)} (wrapper alone ${fmt(passing.base)}) — ${verdict(passing.p50 <= 20)} (≤ 20 ms)`,
);

// Interleaved, so that load from other processes on the machine hits both sides alike.
const inheritRates: number[] = [];
const reporterRates: number[] = [];
for (let i = 0; i < THROUGHPUT_RUNS; i++) {
  for (const [dir, rates] of [
    [withoutBundle, inheritRates],
    [withBundle, reporterRates],
  ] as const) {
    const run = await runStep(dir, { bytes: GIB, exitCode: 0 });
    rates.push(run.bytes / (1024 * 1024) / (run.ms / 1000));
  }
}
const inheritRate = percentile(inheritRates, 50);
const reporterRate = percentile(reporterRates, 50);
const ratio = reporterRate / inheritRate;
console.log(
  `pass-through of 1 GiB: ${reporterRate.toFixed(0)} MiB/s through the reporter vs ${inheritRate.toFixed(0)} MiB/s with stdio 'inherit' = ${ratio.toFixed(2)}× — ${verdict(ratio >= 0.9)} (≥ 0.9×)`,
);

const bare = await runStep(withoutBundle, { bytes: GIB, exitCode: 1 }, { probe: true });
const idle = await runStep(withBundle, { exitCode: 0 }, { probe: true });
const piping = await runStep(withBundle, { lines: FAILING_LINES, bytes: GIB, exitCode: 1 }, { probe: true });
const aboveMiB = (piping.maxRssKiB - bare.maxRssKiB) / 1024;
console.log(
  `peak RSS of the wrapper process, failing step with 1 GiB of output: ${(piping.maxRssKiB / 1024).toFixed(1)} MiB with the reporter, ${(bare.maxRssKiB / 1024).toFixed(1)} MiB without (reporter loaded, no output: ${(idle.maxRssKiB / 1024).toFixed(1)} MiB) → ${aboveMiB.toFixed(1)} MiB above baseline — ${verdict(aboveMiB <= 64)} (≤ 64 MiB)`,
);

sqsClient.destroy();
dynamoClient.destroy();
await Promise.all([sqs.stop(), dynamo.stop()]);
rmSync(work, { recursive: true, force: true });
console.log(`load average at the end: ${load()}`);
