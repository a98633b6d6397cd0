/**
 * examples/wrapper.js with the bundle next to it (as in the ConfigMap), driving a stand-in for the real container
 * hooks through a whole job: reports through the SQS emulator, finished analyses read from a local DynamoDB.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTables, tableNames } from '../../services/local/standins/aws/create-tables';
import { LOCAL_AWS } from '../../services/local/standins/aws/dynamodb-local';
import type { AnalysisRecord } from '../../shared/contract/analysis';
import { cacheKey } from '../../shared/contract/keys';
import { resultKey } from '../../shared/contract/result-key';
import { REPOSITORY_SCOPE } from '../../shared/contract/trust-scope';
import { computeSignature } from '../../shared/signature/compute-signature';
import { anAnalysisRecord } from './support/analysis-record';
import { baseEnv, GITHUB_ENV, installBundle, repoRoot } from './support/reporter-bundle';
import { createTestQueue, decodeReport, LOCAL_CREDENTIALS } from './support/stand-ins';

/** Stands in for the runner's k8s hooks: prints what the request asks and exits with its code. */
const FAKE_HOOKS = `
let input = '';
process.stdin.on('data', (chunk) => (input += chunk)).on('end', () => {
  const { args = {} } = JSON.parse(input);
  const act = args.test ?? {};
  if (act.stdout) process.stdout.write(act.stdout);
  if (act.stderr) process.stderr.write(act.stderr);
  process.exitCode = act.exitCode ?? 0;
});`;

const FAILURE_OUTPUT = [
  '============================= test session starts ==============================',
  'test/test_nn.py::TestConv::test_conv2d FAILED',
  'FAILED test/test_nn.py::TestConv::test_conv2d - AssertionError: Tensor-likes are not close!',
  '=========================== 1 failed, 41 passed in 3.21s =========================',
  '',
].join('\n');

interface HookRun {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

describe('Function: runHook (through examples/wrapper.js)', () => {
  const sqsEndpoint = inject('sqsEndpoint');
  const dynamoEndpoint = inject('dynamoEndpoint');
  const tables = tableNames(`reporter-${Date.now().toString(36)}`);
  const dynamo = new DynamoDBClient({ ...LOCAL_AWS, endpoint: dynamoEndpoint });
  let bundle: ReturnType<typeof installBundle>;
  let hooksPath: string;
  let stateDir: string;
  let queue: Awaited<ReturnType<typeof createTestQueue>>;

  beforeAll(async () => {
    bundle = installBundle();
    copyFileSync(join(repoRoot, 'examples', 'wrapper.js'), join(bundle.dir, 'wrapper.js'));
    hooksPath = join(bundle.dir, 'k8s-index.js');
    writeFileSync(hooksPath, FAKE_HOOKS);
    stateDir = mkdtempSync(join(tmpdir(), 'osdc-rca-job-'));
    queue = await createTestQueue(sqsEndpoint, 'wrapper');
    await createTables(dynamo, tables);
  });

  afterAll(() => {
    bundle.remove();
    rmSync(stateDir, { recursive: true, force: true });
    queue.destroy();
    dynamo.destroy();
  });

  function env(extra: Record<string, string | undefined> = {}) {
    return baseEnv({
      ...LOCAL_CREDENTIALS,
      RUNNER_NAME: 'arc-runner-test-0',
      OSDC_REAL_HOOKS: hooksPath,
      OSDC_RCA_QUEUE_URL: queue.queueUrl,
      OSDC_RCA_RESULTS_TABLE: tables.Results,
      OSDC_RCA_STATE_DIR: stateDir,
      // No analyzer runs here, so cleanup_job would wait its whole inline wait: that has its own tests.
      OSDC_RCA_INLINE_WAIT_MS: '0',
      AWS_ENDPOINT_URL_SQS: sqsEndpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
      ...extra,
    });
  }

  function hook(
    command: string,
    test: { stdout?: string; stderr?: string; exitCode?: number } = {},
    options: { env?: NodeJS.ProcessEnv; wrapperDir?: string } = {},
  ): Promise<HookRun> {
    const request = {
      command,
      responseFile: '/tmp/response.json',
      args: command.startsWith('run_') ? { entryPoint: 'bash', environmentVariables: GITHUB_ENV, test } : {},
      state: {},
    };
    const child = spawn(process.execPath, [join(options.wrapperDir ?? bundle.dir, 'wrapper.js')], {
      env: options.env ?? env(),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdin.end(JSON.stringify(request));
    return new Promise((resolve) => child.on('close', (exitCode) => resolve({ exitCode, stdout, stderr })));
  }

  /** Writes the job's result where the analyzer would: under the hash of the secret the report carried. */
  async function putResultItem(resultSecret: string, status: string, record?: AnalysisRecord) {
    await dynamo.send(
      new PutItemCommand({
        TableName: tables.Results,
        Item: {
          pk: { S: resultKey(resultSecret) },
          status: { S: status },
          ...(record ? { record: { S: JSON.stringify(record) } } : {}),
        },
      }),
    );
  }

  function reportIdIn(stdout: string): string {
    const id = stdout.match(/\[OSDC\] Failure analysis requested \(report ([0-9a-f-]{36})\)/)?.[1];
    expect(id).toBeDefined();
    return id!;
  }

  function markers(): string[] {
    return existsSync(stateDir) ? readdirSync(stateDir).filter((name) => name.endsWith('.marker.json')) : [];
  }

  it('reports a failed step, then prints its analysis once, on the first step after it is done', async () => {
    // Prepare
    await hook('prepare_job');

    // Act
    await hook('run_script_step', { stdout: 'checkout done\n' });
    const failed = await hook('run_script_step', { stdout: FAILURE_OUTPUT, exitCode: 2 });
    const reportId = reportIdIn(failed.stdout);
    const { report } = decodeReport((await queue.receiveBodies(1))[0]!);
    const whilePending = await hook('run_script_step', { stdout: 'next step\n' });
    await putResultItem(report.resultSecret, 'processing');
    const whileProcessing = await hook('run_script_step', { stdout: 'next step\n' });
    await putResultItem(report.resultSecret, 'done', anAnalysisRecord('test_conv2d output changed'));
    const whenDone = await hook('run_script_step', { stdout: 'next step\n' });
    const afterwards = await hook('run_script_step', { stdout: 'next step\n' });

    // Assess
    expect(failed.exitCode).toBe(2);
    expect(failed.stdout).toContain(FAILURE_OUTPUT);
    expect(failed.stdout).toContain('::error::[OSDC] Step script exited with code 2.');
    expect(failed.stdout.match(/Failure analysis requested/g)).toHaveLength(1);
    expect(report.id).toBe(reportId);
    // Only this pod can name its result: the secret (and the key made from it) never reach the job log.
    for (const run of [failed, whilePending, whileProcessing, whenDone, afterwards]) {
      expect(run.stdout + run.stderr).not.toContain(report.resultSecret);
      expect(run.stdout + run.stderr).not.toContain(resultKey(report.resultSecret).slice('result#'.length));
    }
    expect(report.stepIndex).toBe(2);
    expect(whilePending).toEqual({ exitCode: 0, stdout: 'next step\n', stderr: '' });
    expect(whileProcessing).toEqual({ exitCode: 0, stdout: 'next step\n', stderr: '' });
    expect(whenDone.exitCode).toBe(0);
    expect(whenDone.stdout).toMatch(
      /^next step\n::group::\[OSDC\] Failure analysis: test_conv2d output changed\n::error title=/,
    );
    expect(whenDone.stdout).toContain(`report ${reportId}`);
    expect(afterwards.stdout).toBe('next step\n');
    expect(markers()).toEqual([]);
  });

  it('prints a finished analysis at cleanup_job and forgets the job there', async () => {
    // Prepare
    await hook('prepare_job');
    const failed = await hook('run_script_step', { stdout: 'ERROR: linker failed\n', exitCode: 1 });
    reportIdIn(failed.stdout);
    const { report } = decodeReport((await queue.receiveBodies(1))[0]!);
    await putResultItem(report.resultSecret, 'done', anAnalysisRecord('the linker ran out of memory'));

    // Act
    const cleanup = await hook('cleanup_job');

    // Assess
    expect(cleanup.exitCode).toBe(0);
    expect(cleanup.stdout).toContain('::group::[OSDC] Failure analysis: the linker ran out of memory');
    expect(markers()).toEqual([]);
  });

  it("never prints another job's answer at the failure, even one cached for the same signature", async () => {
    // Prepare: a first failure tells us the signature the reporter computes for this output
    await hook('prepare_job');
    await hook('run_script_step', { stdout: FAILURE_OUTPUT, exitCode: 1 });
    const { snapshot } = decodeReport((await queue.receiveBodies(1))[0]!);
    const signature = computeSignature(snapshot);
    expect(signature.strength).toBe('strong');
    await dynamo.send(
      new PutItemCommand({
        TableName: tables.Results,
        Item: {
          pk: { S: cacheKey('pytorch/pytorch', signature.signature, REPOSITORY_SCOPE) },
          status: { S: 'done' },
          record: { S: JSON.stringify(anAnalysisRecord('planted by another PR')) },
        },
      }),
    );
    await hook('cleanup_job');

    // Act
    const again = await hook('run_script_step', { stdout: FAILURE_OUTPUT, exitCode: 1 });

    // Assess: which answer a job may see depends on who it is, which only the analyzer knows (docs/security.md).
    expect(again.exitCode).toBe(1);
    expect(again.stdout).toMatch(
      /\[OSDC\] Failure analysis requested \(report [0-9a-f-]{36}\); it will be in this commit's checks/,
    );
    expect(again.stdout).not.toContain('planted by another PR');
    expect(markers()).toHaveLength(1);
    await queue.receiveBodies(1);
  });

  it('keeps the job as it was when the kill switch is on', async () => {
    // Act
    const failed = await hook(
      'run_script_step',
      { stdout: FAILURE_OUTPUT, exitCode: 2 },
      { env: env({ OSDC_RCA_DISABLED: '1' }) },
    );

    // Assess
    expect(failed.exitCode).toBe(2);
    expect(failed.stdout).toBe(
      `${FAILURE_OUTPUT}::error::[OSDC] Step script exited with code 2. This is a script/workflow error, not an infrastructure issue.\n`,
    );
    expect(await queue.count()).toBe(0);
  });

  it('keeps the job as it was when the bundle is missing from the ConfigMap', async () => {
    // Prepare
    const bare = mkdtempSync(join(tmpdir(), 'osdc-rca-bare-'));
    copyFileSync(join(repoRoot, 'examples', 'wrapper.js'), join(bare, 'wrapper.js'));

    // Act
    const failed = await hook(
      'run_script_step',
      { stdout: 'boom\n', stderr: 'ERROR\n', exitCode: 4 },
      { wrapperDir: bare },
    );

    // Assess
    expect(failed).toEqual({
      exitCode: 4,
      stdout:
        'boom\n::error::[OSDC] Step script exited with code 4. This is a script/workflow error, not an infrastructure issue.\n',
      stderr: 'ERROR\n',
    });
    expect(await queue.count()).toBe(0);
    rmSync(bare, { recursive: true, force: true });
  });
});
