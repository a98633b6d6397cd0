/**
 * `osdc-rca local-env` as docs/osdc-integration.md uses it: the env it writes is enough for the reporter bundle to
 * send a report through the local queue, have it analysed, and print the analysis on a later hook call.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, installBundle } from '../reporter/support/reporter-bundle';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** The patched wrapper's two calls, one process per hook call. */
const DRIVER = `
const rca = require('./osdc-rca-reporter.cjs');
const names = ['GITHUB_REPOSITORY', 'GITHUB_RUN_ID', 'GITHUB_RUN_ATTEMPT', 'GITHUB_JOB', 'GITHUB_SHA'];
const environmentVariables = Object.fromEntries(names.map((name) => [name, process.env[name]]));
const [command, script] = process.argv.slice(2);
const stdinData = JSON.stringify({ command, args: { entryPoint: 'sh', entryPointArgs: ['-c', script ?? ''], environmentVariables } });
rca.spawnReal(require('node:path').join(__dirname, 'hooks.js'), stdinData)
  .then(async ({ code }) => { await rca.finish(); process.exit(code); });`;

const HOOKS = `
let input = '';
process.stdin.on('data', (chunk) => (input += chunk)).on('end', () => {
  const { command, args } = JSON.parse(input);
  if (command !== 'run_script_step') return;
  require('node:child_process').spawn(args.entryPoint, args.entryPointArgs, { stdio: ['ignore', 'inherit', 'inherit'] })
    .on('close', (code) => process.exit(code ?? 1));
});`;

function parseEnvFile(text: string): Record<string, string> {
  return Object.fromEntries(
    [...text.matchAll(/^export (\w+)='([^']*)'$/gm)].map((match) => [match[1]!, match[2]!]),
  );
}

describe('CLI: osdc-rca local-env', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'osdc-rca-local-env-'));
  const envFile = path.join(work, 'local-env.sh');
  let bundle: ReturnType<typeof installBundle>;
  let server: ReturnType<typeof spawn>;

  beforeAll(async () => {
    bundle = installBundle();
    writeFileSync(path.join(bundle.dir, 'driver.js'), DRIVER);
    writeFileSync(path.join(bundle.dir, 'hooks.js'), HOOKS);
    server = spawn(
      process.execPath,
      [path.join(repoRoot, 'bin', 'osdc-rca.js'), 'local-env', '--write', envFile],
      {
        cwd: repoRoot,
        env: baseEnv({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }),
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    await new Promise<void>((resolve, reject) => {
      server.stdout?.on('data', (chunk) => {
        out += chunk;
        if (out.includes('Ctrl-C to stop')) resolve();
      });
      server.once('exit', (code) => reject(new Error(`local-env exited with ${code}: ${out}`)));
    });
  }, 120_000);

  afterAll(async () => {
    if (server?.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGINT');
      await exited;
    }
    bundle?.remove();
    rmSync(work, { recursive: true, force: true });
  });

  it('prints an env with which a failed step is reported, analysed and printed on the next hook call', async () => {
    // Prepare
    const env = parseEnvFile(readFileSync(envFile, 'utf8'));
    expect(env.OSDC_RCA_QUEUE_URL).toMatch(
      /^http:\/\/sqs\.us-east-1\.localhost:\d+\/000000000000\/osdc-rca-reports$/,
    );
    const runnerEnv = baseEnv({ ...env, OSDC_RCA_STATE_DIR: path.join(work, 'state') });
    const hook = (command: string, script?: string) =>
      new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, ['driver.js', command, ...(script ? [script] : [])], {
          cwd: bundle.dir,
          env: runnerEnv,
        });
        let stdout = '';
        child.stdout.on('data', (chunk) => (stdout += chunk));
        child.on('close', (code) => resolve({ code, stdout }));
      });

    // Act
    await hook('prepare_job');
    const failed = await hook(
      'run_script_step',
      'echo "FAILED test/test_a.py::test_b - AssertionError: 1 != 2"; exit 1',
    );
    const cleanup = await hook('cleanup_job');

    // Assess
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/\[OSDC\] Failure analysis requested \(report [0-9a-f-]{36}\)/);
    expect(cleanup.code).toBe(0);
    expect(cleanup.stdout).toMatch(/::group::\[OSDC\] Failure analysis: /);
  }, 90_000);
});
