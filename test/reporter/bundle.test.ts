/**
 * The bundle as the ConfigMap ships it: one file, at most 1 MiB, that runs from a folder without node_modules on the
 * runner's Node, needs only Node built-ins, and never prints the SDK's Node-version warning into a job log.
 */
import { execFile } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { baseEnv, GITHUB_ENV, installBundle } from './support/reporter-bundle';
import { createTestQueue, LOCAL_CREDENTIALS } from './support/stand-ins';

const run = promisify(execFile);

/** Runs the bundle, resolving with its exit code and output even when it fails. */
async function node(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string) {
  try {
    const { stdout, stderr } = await run(process.execPath, [...args], { env, cwd });
    return { exitCode: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { exitCode: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('Bundle: dist/osdc-rca-reporter.cjs', () => {
  let bundle: ReturnType<typeof installBundle>;

  beforeAll(() => {
    bundle = installBundle();
  });

  afterAll(() => {
    bundle.remove();
  });

  it('fits in a ConfigMap and requires nothing but Node built-ins', () => {
    // Act
    const bytes = statSync(bundle.path).size;
    const source = readFileSync(bundle.path, 'utf8');

    // Assess
    expect(bytes).toBeLessThanOrEqual(1024 * 1024);
    // `[require("…")]` is the SDK's advice inside an error message, not a call.
    const required = [...source.matchAll(/(?<!\[)\brequire\(\s*["']([^"']+)["']\s*\)/g)].map(
      (match) => match[1]!,
    );
    const external = required.filter((name) => !name.startsWith('node:') && !builtinModules.includes(name));
    expect(external).toEqual([]);
    expect(source).not.toMatch(/node_modules\/zod\//);
  });

  it('exports the wrapper API when required from a folder without node_modules', async () => {
    // Act
    const result = await node(
      [
        '-e',
        "const m = require('./osdc-rca-reporter.cjs'); console.log(typeof m.spawnReal, typeof m.finish, typeof m.runHook)",
      ],
      baseEnv(),
      bundle.dir,
    );

    // Assess
    expect(result).toEqual({ exitCode: 0, stdout: 'function function function\n', stderr: '' });
  });

  it('runs a passing step without loading what only failures and large outputs need', async () => {
    // Prepare: a configured reporter, a command that passes quietly
    const script = `
      require(${JSON.stringify(bundle.path)}).runHook({ command: process.execPath, args: ['-e', 'console.log("ok")'],
        request: '{"command":"run_script_step","args":{}}' })
        .then(() => console.log(JSON.stringify(process.moduleLoadList.filter((name) => /^NativeModule (?:worker_threads|zlib)$/.test(name)))));`;
    const env = baseEnv({
      OSDC_RCA_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/osdc-rca-reports',
      OSDC_RCA_STATE_DIR: join(bundle.dir, 'state'),
    });

    // Act
    const result = await node(['-e', script], env, bundle.dir);

    // Assess
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('ok\n[]\n');
  });

  it('prints its usage with --help', async () => {
    // Act
    const result = await node([bundle.path, '--help'], baseEnv(), bundle.dir);

    // Assess
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Usage: osdc-rca-reporter exec -- <command> \[args\.\.\.\]/);
  });

  it.each([[[]], [['run', 'ls']], [['exec']], [['exec', '--']]])(
    'exits 2 with the usage on bad arguments %j',
    async (args) => {
      // Act
      const result = await node([bundle.path, ...args], baseEnv(), bundle.dir);

      // Assess
      expect(result.exitCode).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('Usage: osdc-rca-reporter exec -- <command>');
    },
  );

  it('exits 127 and says so when the command cannot be run', async () => {
    // Act
    const result = await node([bundle.path, 'exec', '--', '/nonexistent/command'], baseEnv(), bundle.dir);

    // Assess
    expect(result.exitCode).toBe(127);
    expect(result.stderr).toContain('cannot run /nonexistent/command');
  });

  it('loads and uses the SDK on Node 20 without printing its Node-version warning', async () => {
    // Prepare
    const sqsEndpoint = inject('sqsEndpoint');
    const queue = await createTestQueue(sqsEndpoint, 'bundle-warning');
    const env = baseEnv({
      ...GITHUB_ENV,
      ...LOCAL_CREDENTIALS,
      AWS_ENDPOINT_URL_SQS: sqsEndpoint,
      OSDC_RCA_QUEUE_URL: queue.queueUrl,
      OSDC_RCA_STATE_DIR: join(bundle.dir, 'state'),
    });

    // Act
    const result = await node(
      [bundle.path, 'exec', '--', process.execPath, '-e', 'process.exit(5)'],
      env,
      bundle.dir,
    );

    // Assess
    expect(result.exitCode).toBe(5);
    expect(result.stdout).toMatch(/^\[OSDC\] Failure analysis requested/);
    expect(result.stderr).toBe('');
    expect(await queue.count()).toBe(1);
    queue.destroy();
  });

  it.each([
    [
      'an invalid setting',
      { OSDC_RCA_DEADLINE_MS: '2s' },
      GITHUB_ENV,
      'OSDC_RCA_DEADLINE_MS must be a whole number from 50 to 30000, got "2s"',
    ],
    [
      'a job env without GITHUB_SHA',
      {},
      { ...GITHUB_ENV, GITHUB_SHA: '' },
      "the job's env has no usable GITHUB_SHA",
    ],
  ])(
    'says why it is off once per job, in the first step’s log, on %s',
    async (name, settings, stepEnv, reason) => {
      // Prepare: the two calls of the patched wrapper, in one process per hook call as the runner makes them
      writeFileSync(join(bundle.dir, 'hooks.js'), 'process.stdin.resume();');
      const script = `
      const rca = require('./osdc-rca-reporter.cjs');
      const stdinData = JSON.stringify({ command: process.argv[1], args: { environmentVariables: JSON.parse(process.env.STEP_ENV) } });
      rca.spawnReal('./hooks.js', stdinData).then(async ({ code }) => { await rca.finish(); process.exit(code); });`;
      const env = baseEnv({
        OSDC_RCA_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/reports',
        OSDC_RCA_STATE_DIR: join(bundle.dir, `state-${name.replaceAll(' ', '-')}`),
        RUNNER_NAME: 'arc-runner-test-0',
        STEP_ENV: JSON.stringify(stepEnv),
        ...settings,
      });
      const hook = (command: string) => node(['-e', script, command], env, bundle.dir);

      // Act
      const job = [];
      for (const command of ['prepare_job', 'run_script_step', 'run_script_step', 'cleanup_job'])
        job.push(await hook(command));
      await hook('prepare_job');
      const nextJobFirstStep = await hook('run_script_step');

      // Assess
      const notice = `::warning::[OSDC] Failure analysis is off: ${reason}`;
      expect(job.map((call) => call.exitCode)).toEqual([0, 0, 0, 0]);
      expect(job.map((call) => call.stdout.includes(notice))).toEqual([false, true, false, false]);
      expect(job.map((call) => call.stderr)).toEqual(['', '', '', '']);
      expect(nextJobFirstStep.stdout).toContain(notice);
    },
  );
});
