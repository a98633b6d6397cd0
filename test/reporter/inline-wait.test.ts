/**
 * The inline wait: the bundle (from a folder without node_modules) driven through its wrapper API as OSDC's wrapper
 * calls it, against DynamoDB Local and the SQS emulator. A failed job's cleanup_job waits for the analysis of its
 * report until a deadline counted from when the report was sent; nothing else waits. Timing assertions use the
 * marker's own timestamp and slack that holds on a busy 2-core machine.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createTables, tableNames } from '../../services/local/standins/aws/create-tables';
import { LOCAL_AWS } from '../../services/local/standins/aws/dynamodb-local';
import { DEFAULT_RESULT_READ_DEADLINE_MS } from '../../shared/contract/constants';
import { resultKey } from '../../shared/contract/result-key';
import { anAnalysisRecord } from './support/analysis-record';
import { baseEnv, GITHUB_ENV, installBundle } from './support/reporter-bundle';
import { createTestQueue, LOCAL_CREDENTIALS } from './support/stand-ins';

/** The real hooks' stand-in: prints, sleeps and exits as the request's `args.test` says. */
const HOOKS = `
let input = '';
process.stdin.on('data', (chunk) => (input += chunk)).on('end', () => {
  const act = (JSON.parse(input).args ?? {}).test ?? {};
  setTimeout(() => {
    if (act.stdout) process.stdout.write(act.stdout);
    process.exitCode = act.exitCode ?? 0;
  }, act.sleepMs ?? 0);
});`;

/** What OSDC's patched wrapper does with the bundle (deploy/osdc/wrapper.patch): spawnReal(), then finish(). */
const DRIVER = `
const rca = require('./osdc-rca-reporter.cjs');
let stdinData = '';
process.stdin.on('data', (chunk) => (stdinData += chunk)).on('end', () => {
  rca.spawnReal(require('node:path').join(__dirname, 'hooks.js'), stdinData)
    .then(async ({ code }) => { await rca.finish(); process.exit(code ?? 1); });
});`;

const FAILURE_OUTPUT =
  'FAILED test/test_nn.py::TestConv::test_conv2d - AssertionError: Tensor-likes are not close!\n';
const WAIT_MS = 10_000;
/** Process start, the SDK's first load and a busy machine: what a hook call may take beyond its own work. */
const SLACK_MS = 2500;
/** A hook call that did not wait ends well before half the wait, however busy the machine. */
const NO_WAIT_MS = WAIT_MS / 2;
const READ_MS = DEFAULT_RESULT_READ_DEADLINE_MS;

interface HookRun {
  readonly exitCode: number | null;
  readonly stdout: string;
  /** Epoch ms the wrapper process exited. */
  readonly endedAt: number;
  readonly afterSignalMs: number;
}

describe('Function: runHook, the inline wait of a failed job', () => {
  const dynamoEndpoint = inject('dynamoEndpoint');
  const sqsEndpoint = inject('sqsEndpoint');
  const tables = tableNames(`inline-wait-${Date.now().toString(36)}`);
  const dynamo = new DynamoDBClient({ ...LOCAL_AWS, endpoint: dynamoEndpoint });
  let bundle: ReturnType<typeof installBundle>;
  let stateDir: string;
  let queue: Awaited<ReturnType<typeof createTestQueue>>;

  beforeAll(async () => {
    bundle = installBundle();
    writeFileSync(join(bundle.dir, 'hooks.js'), HOOKS);
    writeFileSync(join(bundle.dir, 'driver.js'), DRIVER);
    queue = await createTestQueue(sqsEndpoint, 'inline-wait');
    await createTables(dynamo, tables);
  });

  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'osdc-rca-wait-'));
  });

  afterEach(() => {
    rmSync(stateDir, { recursive: true, force: true });
  });

  afterAll(() => {
    bundle.remove();
    queue.destroy();
    dynamo.destroy();
  });

  function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return baseEnv({
      ...LOCAL_CREDENTIALS,
      RUNNER_NAME: 'arc-runner-test-0',
      OSDC_RCA_QUEUE_URL: queue.queueUrl,
      OSDC_RCA_RESULTS_TABLE: tables.Results,
      OSDC_RCA_STATE_DIR: stateDir,
      OSDC_RCA_INLINE_WAIT_MS: String(WAIT_MS),
      AWS_ENDPOINT_URL_SQS: sqsEndpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
      ...extra,
    });
  }

  function hook(
    command: string,
    test: { stdout?: string; exitCode?: number; sleepMs?: number } = {},
    options: { env?: NodeJS.ProcessEnv; signalAfterMs?: number } = {},
  ): Promise<HookRun> {
    const request = {
      command,
      args: command.startsWith('run_') ? { environmentVariables: GITHUB_ENV, test } : { test },
    };
    const child = spawn(process.execPath, [join(bundle.dir, 'driver.js')], { env: options.env ?? env() });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stdin.end(JSON.stringify(request));
    let signalledAt = Number.NaN;
    if (options.signalAfterMs !== undefined) {
      setTimeout(() => {
        signalledAt = Date.now();
        child.kill('SIGTERM');
      }, options.signalAfterMs);
    }
    return new Promise((resolve) =>
      child.on('close', (exitCode) => {
        const endedAt = Date.now();
        resolve({ exitCode, stdout, endedAt, afterSignalMs: endedAt - signalledAt });
      }),
    );
  }

  /** Runs a failing step and returns its report id and when the reporter says it was sent (the marker's time). */
  async function failAStep(): Promise<{ reportId: string; sentAt: number }> {
    await hook('prepare_job');
    const failed = await hook('run_script_step', { stdout: FAILURE_OUTPUT, exitCode: 2 });
    expect(failed.exitCode).toBe(2);
    const reportId = failed.stdout.match(/\(report ([0-9a-f-]{36})\)/)?.[1];
    expect(reportId).toBeDefined();
    const marker = JSON.parse(readFileSync(join(stateDir, `${reportId}.marker.json`), 'utf8'));
    secrets.set(reportId!, marker.resultSecret);
    return { reportId: reportId!, sentAt: marker.createdAt };
  }

  /** Reports' secrets, as the job's marker keeps them: the analyzer writes a job's result under their hash. */
  const secrets = new Map<string, string>();

  async function putResultItem(reportId: string, attributes: Record<string, string | number>) {
    const item: Record<string, { S: string } | { N: string }> = {
      pk: { S: resultKey(secrets.get(reportId) ?? '') },
    };
    for (const [name, value] of Object.entries(attributes))
      item[name] = typeof value === 'number' ? { N: String(value) } : { S: value };
    await dynamo.send(new PutItemCommand({ TableName: tables.Results, Item: item }));
  }

  function markers(): string[] {
    return existsSync(stateDir) ? readdirSync(stateDir).filter((name) => name.endsWith('.marker.json')) : [];
  }

  it('waits at cleanup_job and prints the analysis as soon as the analyzer is done', async () => {
    // Prepare
    const { reportId } = await failAStep();
    await putResultItem(reportId, { status: 'processing', startedAt: Date.now() });

    // Act
    const cleanup = hook('cleanup_job', { exitCode: 5 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const doneAt = Date.now();
    await putResultItem(reportId, {
      status: 'done',
      record: JSON.stringify(anAnalysisRecord('conv2d output changed')),
    });
    const result = await cleanup;

    // Assess
    expect(result.exitCode).toBe(5);
    expect(result.stdout).toMatch(
      /^\[OSDC\] Waiting up to \d+ s for the failure analysis…\n::group::\[OSDC\] Failure analysis: conv2d output changed\n/,
    );
    expect(result.stdout).not.toContain('not ready yet');
    // Polled every 0.5–2 s: seen within one pause of being written, far before the wait's end.
    expect(result.endedAt - doneAt).toBeLessThan(2000 + READ_MS + SLACK_MS);
    expect(markers()).toEqual([]);
  });

  it('stops at once when the analyzer rejects the report, with nothing to print', async () => {
    // Prepare
    const { reportId, sentAt } = await failAStep();
    await putResultItem(reportId, { status: 'rejected' });

    // Act
    const result = await hook('cleanup_job');

    // Assess
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.endedAt - sentAt).toBeLessThan(NO_WAIT_MS);
  });

  it('waits exactly until the deadline after sending when the analyzer is down, then says where to look', async () => {
    // Prepare
    const { reportId, sentAt } = await failAStep();

    // Act
    const result = await hook('cleanup_job', { exitCode: 3 });

    // Assess
    expect(result.exitCode).toBe(3);
    expect(result.endedAt - sentAt).toBeGreaterThanOrEqual(WAIT_MS);
    // One last read at the deadline, then the line.
    expect(result.endedAt - sentAt).toBeLessThan(WAIT_MS + READ_MS + SLACK_MS);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^\[OSDC\] Waiting up to \d+ s for the failure analysis…$/);
    expect(lines.slice(1)).toEqual([
      `[OSDC] The failure analysis (report ${reportId}) is not ready yet; it will appear on the PR's checks: ` +
        'https://github.com/pytorch/pytorch/pull/4242/checks',
      '',
    ]);
    expect(Number(result.stdout.match(/up to (\d+) s/)?.[1])).toBeLessThanOrEqual(WAIT_MS / 1000);
  });

  it('counts the deadline from when the report was sent: a job whose later steps took longer waits nothing', async () => {
    // Prepare
    const { reportId } = await failAStep();
    await hook('run_script_step', { sleepMs: WAIT_MS, stdout: 'upload test stats\n' });

    // Act
    const startedAt = Date.now();
    const result = await hook('cleanup_job');

    // Assess
    expect(result.stdout).not.toContain('Waiting');
    expect(result.stdout).toContain(`[OSDC] The failure analysis (report ${reportId}) is not ready yet`);
    expect(result.endedAt - startedAt).toBeLessThan(NO_WAIT_MS);
  });

  it('stops at once when the item says the analysis cannot be ready before the deadline', async () => {
    // Prepare
    const { reportId, sentAt } = await failAStep();
    const headSha = 'a'.repeat(40);
    await putResultItem(reportId, {
      status: 'processing',
      startedAt: Date.now(),
      expectedBy: sentAt + WAIT_MS + 30_000,
      headSha,
    });

    // Act
    const result = await hook('cleanup_job');

    // Assess
    expect(result.stdout).not.toContain('Waiting');
    expect(result.stdout).toBe(
      `[OSDC] The failure analysis (report ${reportId}) is not ready yet; it will appear on the commit's checks: ` +
        `https://github.com/pytorch/pytorch/commit/${headSha}/checks\n`,
    );
    expect(result.endedAt - sentAt).toBeLessThan(NO_WAIT_MS);
  });

  it('ends the wait at once on SIGTERM and keeps the hook exit code', async () => {
    // Prepare
    await failAStep();

    // Act
    const result = await hook('cleanup_job', { exitCode: 4 }, { signalAfterMs: 1500 });

    // Assess
    expect(result.exitCode).toBe(4);
    expect(result.stdout).toMatch(/^\[OSDC\] Waiting up to \d+ s/);
    expect(result.afterSignalMs).toBeLessThan(SLACK_MS);
  });

  it('prints the analysis at the end of a later step that was running when it became ready', async () => {
    // Prepare
    const { reportId } = await failAStep();
    await putResultItem(reportId, { status: 'processing', startedAt: Date.now() });

    // Act
    const later = hook('run_script_step', { sleepMs: 2500, stdout: 'upload artifacts\n' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await putResultItem(reportId, {
      status: 'done',
      record: JSON.stringify(anAnalysisRecord('seen while running')),
    });
    const result = await later;
    const cleanup = await hook('cleanup_job');

    // Assess
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(
      /^upload artifacts\n::group::\[OSDC\] Failure analysis: seen while running\n/,
    );
    expect(result.stdout).not.toContain('Waiting');
    expect(cleanup.stdout).toBe('');
  });

  it('neither waits nor reads anything in a job without a failure', async () => {
    // Prepare: every DynamoDB request of this job would reach this server and be counted
    let requests = 0;
    const server = createServer((request, response) => {
      requests += 1;
      request.resume();
      response.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const counted = env({ AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port}` });

    // Act
    await hook('prepare_job', {}, { env: counted });
    const step = await hook('run_script_step', { stdout: 'all good\n' }, { env: counted });
    const startedAt = Date.now();
    const cleanup = await hook('cleanup_job', {}, { env: counted });
    server.close();

    // Assess
    expect(step.stdout).toBe('all good\n');
    expect(cleanup.stdout).toBe('');
    expect(cleanup.endedAt - startedAt).toBeLessThan(NO_WAIT_MS);
    expect(requests).toBe(0);
  });

  it('reads once and does not wait when the inline wait is 0', async () => {
    // Prepare
    const noWait = env({ OSDC_RCA_INLINE_WAIT_MS: '0' });
    await hook('prepare_job', {}, { env: noWait });
    const failed = await hook('run_script_step', { stdout: FAILURE_OUTPUT, exitCode: 1 }, { env: noWait });
    const reportId = failed.stdout.match(/\(report ([0-9a-f-]{36})\)/)?.[1];

    // Act
    const startedAt = Date.now();
    const result = await hook('cleanup_job', {}, { env: noWait });

    // Assess
    expect(result.stdout).toBe(
      `[OSDC] The failure analysis (report ${reportId}) is not ready yet; it will appear on the PR's checks: ` +
        'https://github.com/pytorch/pytorch/pull/4242/checks\n',
    );
    expect(result.endedAt - startedAt).toBeLessThan(NO_WAIT_MS);
  });
});
