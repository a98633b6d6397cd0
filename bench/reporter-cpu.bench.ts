/**
 * Watch figure: the reporter's CPU (user + sys, the wrapper process with its capture worker) per MiB of step output,
 * measured the way it is deployed: examples/wrapper.js (which adopts the bundle as deploy/osdc/wrapper.patch does)
 * with the bundle next to it, against the same wrapper without it (output inherited, the job as it is today).
 * Each wrapper process records its own `process.cpuUsage()` at exit through a preloaded probe.
 * `npm run bench:reporter-cpu` (builds the bundle first).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_AWS } from '../services/local/standins/aws/dynamodb-local';
import { startLocalSqs } from '../services/local/standins/aws/sqs-emulator';
import { BENCH_STEP_ENV, benchRunnerEnv } from './bench-runner-env';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const repoRoot = resolve(import.meta.dirname, '..');
const OUTPUT_MIB = 64;
const RUNS = 5;

/** Prints `mib` MiB of 1 KiB lines with back-pressure, then exits with the requested code. */
const HOOKS = `
let input = '';
process.stdin.on('data', (chunk) => (input += chunk)).on('end', () => {
  const act = JSON.parse(input).args.test;
  const line = Buffer.from('x'.repeat(1023) + '\\n');
  const chunk = Buffer.concat(Array.from({ length: 1024 }, () => line));
  let left = act.mib;
  process.stdout.write('FAILED test/test_nn.py::TestConv::test_conv2d - AssertionError: Tensor-likes are not close!\\n');
  (function next() {
    while (left > 0) {
      left--;
      if (!process.stdout.write(chunk)) return process.stdout.once('drain', next);
    }
    process.exit(act.exitCode);
  })();
});`;

const PROBE = `
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  require('node:fs').writeFileSync(process.env.CPU_PROBE_DIR + '/' + process.pid, String(user + system));
});`;

const work = mkdtempSync(join(tmpdir(), 'osdc-rca-cpu-'));
const [withBundle, withoutBundle, probeDir] = ['with', 'without', 'probe'].map((name) =>
  join(work, name),
) as [string, string, string];
for (const dir of [withBundle, withoutBundle, probeDir]) mkdirSync(dir);
for (const dir of [withBundle, withoutBundle])
  copyFileSync(join(repoRoot, 'examples', 'wrapper.js'), join(dir, 'wrapper.js'));
copyFileSync(join(repoRoot, 'dist', 'osdc-rca-reporter.cjs'), join(withBundle, 'osdc-rca-reporter.cjs'));
writeFileSync(join(work, 'hooks.js'), HOOKS);
writeFileSync(join(work, 'probe.cjs'), PROBE);

const sqs = await startLocalSqs();
const sqsClient = new SQSClient({ ...LOCAL_AWS, endpoint: sqs.endpoint });
const { QueueUrl } = await sqsClient.send(new CreateQueueCommand({ QueueName: 'cpu-bench' }));

const env: NodeJS.ProcessEnv = {
  ...benchRunnerEnv({
    home: work,
    sqsEndpoint: sqs.endpoint,
    queueUrl: QueueUrl,
    stateDir: join(work, 'state'),
    hooksPath: join(work, 'hooks.js'),
  }),
  NODE_OPTIONS: `--require ${join(work, 'probe.cjs')}`,
  CPU_PROBE_DIR: probeDir,
};
const stepEnv = BENCH_STEP_ENV;

/** CPU µs of the wrapper process for one step printing `mib` MiB. */
function wrapperCpuMicros(wrapperDir: string, mib: number, exitCode: number): Promise<number> {
  rmSync(env.OSDC_RCA_STATE_DIR!, { recursive: true, force: true });
  const child = spawn(process.execPath, [join(wrapperDir, 'wrapper.js')], {
    env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  child.stdout.resume();
  child.stdin.end(
    JSON.stringify({
      command: 'run_script_step',
      args: { environmentVariables: stepEnv, test: { mib, exitCode } },
    }),
  );
  return new Promise((done) =>
    child.on('close', () => done(Number(readFileSync(join(probeDir, String(child.pid)), 'utf8')))),
  );
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

console.log(`reporter CPU per MiB of step output: ${OUTPUT_MIB} MiB steps, ${RUNS} interleaved runs each`);
console.log(
  `machine: ${cpus().length} CPUs, load average ${loadavg()
    .map((load) => load.toFixed(1))
    .join(' ')}`,
);
for (const [name, exitCode] of [
  ['passing step', 0],
  ['failing step (report sent)', 1],
] as const) {
  const added: number[] = [];
  const base: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const without = await wrapperCpuMicros(withoutBundle, OUTPUT_MIB, exitCode);
    const withIt = await wrapperCpuMicros(withBundle, OUTPUT_MIB, exitCode);
    base.push(without);
    added.push(withIt - without);
  }
  const perMib = median(added) / 1000 / OUTPUT_MIB;
  console.log(
    `  ${name}: +${perMib.toFixed(2)} ms CPU per MiB (median added ${(median(added) / 1000).toFixed(0)} ms over ` +
      `${OUTPUT_MIB} MiB; the wrapper alone ${(median(base) / 1000).toFixed(0)} ms)`,
  );
}
sqsClient.destroy();
await sqs.stop();
rmSync(work, { recursive: true, force: true });
