/**
 * The fail-open matrix: the bundle, run from a folder without node_modules, with the real SDK against servers on
 * 127.0.0.1. Whatever happens to the report, the command's own exit code comes back and the reporter stops waiting
 * for the send at its deadline.
 *
 * Time is judged on the reporter's own clock (its OSDC_RCA_TIMINGS_FILE line: when the step ended, when the send
 * started and when the reporter stopped waiting for it, when it was done), because that is what it controls; the
 * test's wall clock also holds process start-up and a machine busy with other work, so it only gets a loose sanity
 * bound. The tight wall-clock figures are `npm run bench:reporter`'s.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { findFreePort } from '../../services/local/standins/free-port';
import { DEFAULT_REPORT_DEADLINE_MS } from '../../shared/contract/constants';
import { baseEnv, type ExecResult, GITHUB_ENV, installBundle, runExec } from './support/reporter-bundle';
import {
  createTestQueue,
  decodeReport,
  LOCAL_CREDENTIALS,
  type StandIn,
  startHttpServer,
  startSilentServer,
} from './support/stand-ins';

const DEADLINE_MS = 500;
/** For the tests about what arrives, not about giving up: a deadline no busy machine runs past. */
const ROOMY_DEADLINE_MS = 10_000;
/**
 * How long the reporter may keep waiting past its deadline, on its own clock: the timer firing late on a busy
 * machine, and the little synchronous work inside the wait (clients, signing). A reporter that ignored its deadline
 * waits for the 5 s answer, or for ever on the silent server.
 */
const WAIT_SLACK_MS = 1000;
/** What the test's own clock may see on top of the deadline: start-up, pipes, CPU shared with other work. */
const WALL_SANITY_MS = 10_000;

const FAILING_STEP = `
  console.log('collecting tests');
  console.error('ERROR: test_conv2d failed');
  END();
  process.exit(3);`;

function osdcLines(result: ExecResult): string[] {
  return result.stdout.split('\n').filter((line) => line.includes('[OSDC]'));
}

/** The reporter tried to send and stopped waiting for it by its deadline, and the job got its exit code back. */
function expectSendWithinDeadline(result: ExecResult, deadlineMs: number): void {
  expect(result.timings.deadlineMs).toBe(deadlineMs);
  expect(result.ownWaitPastDeadlineMs).toBeLessThanOrEqual(WAIT_SLACK_MS);
  expect(result.addedMs).toBeLessThanOrEqual(deadlineMs + WALL_SANITY_MS);
}

/** The reporter waited for nothing: no send, and on its own clock it ended well within a deadline. */
function expectNoSend(result: ExecResult): void {
  expect(result.timings.sendStarted).toBeUndefined();
  expect(result.ownAddedMs).toBeLessThan(DEADLINE_MS);
  expect(result.addedMs).toBeLessThanOrEqual(WALL_SANITY_MS);
}

describe('Function: runCli (exec), fail-open', () => {
  let bundle: ReturnType<typeof installBundle>;
  let stateDir: string;
  const standIns: StandIn[] = [];
  const sqsEndpoint = inject('sqsEndpoint');

  beforeAll(() => {
    bundle = installBundle();
    stateDir = mkdtempSync(join(tmpdir(), 'osdc-rca-state-'));
  });

  afterAll(async () => {
    await Promise.all(standIns.map((standIn) => standIn.close()));
    bundle.remove();
    rmSync(stateDir, { recursive: true, force: true });
  });

  function reporterEnv(queueUrl: string, endpoint: string, extra: Record<string, string | undefined> = {}) {
    return baseEnv({
      ...GITHUB_ENV,
      ...LOCAL_CREDENTIALS,
      AWS_ENDPOINT_URL_SQS: endpoint,
      OSDC_RCA_QUEUE_URL: queueUrl,
      OSDC_RCA_DEADLINE_MS: String(DEADLINE_MS),
      OSDC_RCA_STATE_DIR: stateDir,
      ...extra,
    });
  }

  async function standIn(start: Promise<StandIn>): Promise<StandIn> {
    const started = await start;
    standIns.push(started);
    return started;
  }

  it('sends a report that arrives, decodes and validates when the queue is up', async () => {
    // Prepare
    const queue = await createTestQueue(sqsEndpoint, 'fail-open-up');

    // Act
    const result = await runExec({
      bundle: bundle.path,
      env: reporterEnv(queue.queueUrl, sqsEndpoint, { OSDC_RCA_DEADLINE_MS: String(ROOMY_DEADLINE_MS) }),
      script: FAILING_STEP,
    });

    // Assess
    expect(result.exitCode).toBe(3);
    expectSendWithinDeadline(result, ROOMY_DEADLINE_MS);
    expect(osdcLines(result)).toEqual([
      expect.stringMatching(/^\[OSDC\] Failure analysis requested \(report [0-9a-f-]{36}\)/),
    ]);
    expect(result.stderr).toBe('ERROR: test_conv2d failed\n');
    const bodies = await queue.receiveBodies(1);
    expect(bodies).toHaveLength(1);
    const { report, tail } = decodeReport(bodies[0]!);
    expect(report).toMatchObject({
      repo: 'pytorch/pytorch',
      exitCode: 3,
      prNumber: 4242,
      runnerName: 'arc-runner-test-0',
    });
    expect(osdcLines(result)[0]).toContain(report.id);
    expect(tail).toEqual(['collecting tests', 'ERROR: test_conv2d failed']);
    queue.destroy();
  });

  it.each([
    ['a refused connection', async () => `http://127.0.0.1:${await findFreePort()}`],
    ['an HTTP 500', async () => (await standIn(startHttpServer(500))).endpoint],
    ['an HTTP 403', async () => (await standIn(startHttpServer(403))).endpoint],
    ['an answer after 5 s', async () => (await standIn(startHttpServer(200, 5000))).endpoint],
  ])('returns the exit code within the deadline on %s', async (_case, endpointOf) => {
    // Prepare
    const endpoint = await endpointOf();

    // Act
    const result = await runExec({
      bundle: bundle.path,
      env: reporterEnv(`${endpoint}/000000000000/reports`, endpoint),
      script: FAILING_STEP,
    });

    // Assess
    expect(result.exitCode).toBe(3);
    expectSendWithinDeadline(result, DEADLINE_MS);
    expect(osdcLines(result)).toEqual([
      expect.stringMatching(/^\[OSDC\] Failure analysis could not be requested/),
    ]);
  });

  it('keeps the default 2 s deadline against a server that accepts and never answers', async () => {
    // Prepare
    const { endpoint } = await standIn(startSilentServer());

    // Act
    const result = await runExec({
      bundle: bundle.path,
      env: reporterEnv(`${endpoint}/000000000000/reports`, endpoint, { OSDC_RCA_DEADLINE_MS: undefined }),
      script: FAILING_STEP,
    });

    // Assess
    expect(result.exitCode).toBe(3);
    expectSendWithinDeadline(result, DEFAULT_REPORT_DEADLINE_MS);
    // Not a moment before the deadline either: the silent server got its whole 2 s.
    expect(result.timings.sendSettled! - result.timings.ended!).toBeGreaterThanOrEqual(
      DEFAULT_REPORT_DEADLINE_MS - 5,
    );
    expect(osdcLines(result)).toEqual([
      "[OSDC] Failure analysis could not be requested (timed out); the step's result is unaffected.",
    ]);
  });

  it('counts credential resolution in the deadline when no credentials can be found', async () => {
    // Prepare: no keys, no profile, and an instance metadata service that never answers
    const queue = await createTestQueue(sqsEndpoint, 'fail-open-no-credentials');
    const metadata = await standIn(startSilentServer());
    const env = reporterEnv(queue.queueUrl, sqsEndpoint, {
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_EC2_METADATA_DISABLED: undefined,
      AWS_EC2_METADATA_SERVICE_ENDPOINT: metadata.endpoint,
    });

    // Act
    const result = await runExec({ bundle: bundle.path, env, script: FAILING_STEP });

    // Assess
    expect(result.exitCode).toBe(3);
    expectSendWithinDeadline(result, DEADLINE_MS);
    expect(osdcLines(result)).toEqual([
      expect.stringMatching(/^\[OSDC\] Failure analysis could not be requested/),
    ]);
    expect(await queue.count()).toBe(0);
    queue.destroy();
  });

  it('passes output through and says why it is off when the queue URL is invalid', async () => {
    // Act
    const result = await runExec({
      bundle: bundle.path,
      env: reporterEnv('sqs:not-a-queue', sqsEndpoint),
      script: FAILING_STEP,
    });

    // Assess
    expect(result.exitCode).toBe(3);
    expectNoSend(result);
    expect(result.stdout).toBe('collecting tests\n');
    expect(result.stderr).toContain(
      '[OSDC] Failure analysis is off: OSDC_RCA_QUEUE_URL must be an SQS queue URL',
    );
  });

  it('returns the exit code within the deadline when the queue does not exist', async () => {
    // Act
    const result = await runExec({
      bundle: bundle.path,
      env: reporterEnv(`${sqsEndpoint}/000000000000/no-such-queue`, sqsEndpoint),
      script: FAILING_STEP,
    });

    // Assess
    expect(result.exitCode).toBe(3);
    expectSendWithinDeadline(result, DEADLINE_MS);
    expect(osdcLines(result)).toEqual([
      expect.stringMatching(/^\[OSDC\] Failure analysis could not be requested/),
    ]);
  });

  it('sends nothing and prints nothing outside an Actions job (no GitHub env)', async () => {
    // Prepare
    const queue = await createTestQueue(sqsEndpoint, 'fail-open-no-github');
    const noGitHub = Object.fromEntries(Object.keys(GITHUB_ENV).map((name) => [name, undefined]));

    // Act
    const result = await runExec({
      bundle: bundle.path,
      env: reporterEnv(queue.queueUrl, sqsEndpoint, noGitHub),
      script: FAILING_STEP,
    });

    // Assess
    expect(result.exitCode).toBe(3);
    expect(result.timings.sendStarted).toBeUndefined();
    expect(result.addedMs).toBeLessThanOrEqual(DEADLINE_MS + WALL_SANITY_MS);
    expect(result.stdout).toBe('collecting tests\n');
    expect(await queue.count()).toBe(0);
    queue.destroy();
  });

  it('passes binary output through byte for byte', async () => {
    // Prepare
    const queue = await createTestQueue(sqsEndpoint, 'fail-open-binary');
    const script = `
      const { createHash, randomBytes } = require('node:crypto');
      const bytes = Buffer.concat([randomBytes(1 << 20), Buffer.from([0, 0xff, 0xfe, 0x0a, 0xc3])]);
      process.stderr.write(createHash('sha256').update(bytes).digest('hex'));
      process.stdout.write(bytes, () => { END(); process.exit(1); });`;

    // Act
    const result = await runExec({
      bundle: bundle.path,
      env: reporterEnv(queue.queueUrl, sqsEndpoint),
      script,
    });

    // Assess
    expect(result.exitCode).toBe(1);
    // Encoding 1 MiB of noise is CPU work no timer interrupts; after it the reporter sends only within the deadline.
    if (result.timings.sendStarted !== undefined) expectSendWithinDeadline(result, DEADLINE_MS);
    expect(result.addedMs).toBeLessThanOrEqual(DEADLINE_MS + WALL_SANITY_MS);
    const osdcStart = result.stdoutBuffer.lastIndexOf('[OSDC] Failure analysis ');
    expect(osdcStart).toBeGreaterThan(1 << 20);
    // The binary ends mid-line, so the reporter starts its line on a fresh one.
    expect(result.stdoutBuffer[osdcStart - 1]).toBe(0x0a);
    const passed = result.stdoutBuffer.subarray(0, osdcStart - 1);
    expect(createHash('sha256').update(passed).digest('hex')).toBe(result.stderr);
    // Incompressible output is slow to encode: a report is sent only if that left time within the deadline.
    const bodies = await queue.receiveBodies(1);
    const said = result.stdoutBuffer.subarray(osdcStart).toString();
    const requested = said.startsWith('[OSDC] Failure analysis requested');
    if (result.timings.sendStarted === undefined)
      expect(said).toMatch(
        /^\[OSDC\] Failure analysis could not be requested \(preparing the log took too long\)/,
      );
    expect(bodies).toHaveLength(requested ? 1 : 0);
    for (const body of bodies) expect(decodeReport(body).report.exitCode).toBe(1);
    queue.destroy();
  });

  it('pipes 1 GiB of output with the exit code intact, and reports it within the deadline', async () => {
    // Prepare
    const queue = await createTestQueue(sqsEndpoint, 'fail-open-1gib');
    const script = `
      const line = Buffer.from('x'.repeat(1023) + '\\n');
      const chunk = Buffer.concat(Array.from({ length: 1024 }, () => line));
      process.stdout.write('RuntimeError: CUDA error: an illegal memory access was encountered\\n');
      let left = 1024;
      (function next() {
        while (left > 0) {
          left--;
          if (!process.stdout.write(chunk)) return process.stdout.once('drain', next);
        }
        END();
        process.exit(1);
      })();`;

    // Act
    const result = await runExec({
      bundle: bundle.path,
      env: reporterEnv(queue.queueUrl, sqsEndpoint, { OSDC_RCA_DEADLINE_MS: String(ROOMY_DEADLINE_MS) }),
      script,
    });

    // Assess
    expect(result.exitCode).toBe(1);
    expectSendWithinDeadline(result, ROOMY_DEADLINE_MS);
    expect(result.stdoutBytes).toBeGreaterThan(1024 * 1024 * 1024);
    expect(osdcLines(result)).toEqual([expect.stringMatching(/^\[OSDC\] Failure analysis requested/)]);
    const { report, windows } = decodeReport((await queue.receiveBodies(1))[0]!);
    const firstLine = 'RuntimeError: CUDA error: an illegal memory access was encountered\n';
    expect(report.log.totalBytes).toBe(1024 * 1024 * 1024 + firstLine.length);
    expect(windows.flat()).toContain('RuntimeError: CUDA error: an illegal memory access was encountered');
    queue.destroy();
  }, 120_000);

  it('dies of the same signal, without a report, when the hook is killed by SIGTERM', async () => {
    // Prepare
    const queue = await createTestQueue(sqsEndpoint, 'fail-open-sigterm');

    // Act
    const result = await runExec({
      bundle: bundle.path,
      env: reporterEnv(queue.queueUrl, sqsEndpoint),
      script: "console.log('running'); END(); process.kill(process.pid, 'SIGTERM');",
    });

    // Assess
    expect(result.signal).toBe('SIGTERM');
    expectNoSend(result);
    expect(osdcLines(result)).toEqual([]);
    expect(await queue.count()).toBe(0);
    queue.destroy();
  });

  it('ends promptly on SIGTERM while its capture worker is busy with a large output', async () => {
    // Prepare: 4 MiB of output, enough to start the capture's worker thread, then the step hangs
    const queue = await createTestQueue(sqsEndpoint, 'fail-open-forward-large');
    const line = 'error: flaky build output line that keeps coming\n';
    const script = `
      const line = Buffer.from(${JSON.stringify(line)});
      process.stdout.write(Buffer.concat(Array.from({ length: 80_000 }, () => line)), () => setTimeout(() => {}, 30000));`;

    // Act: the signal comes once all of the output has come through
    const result = await runExec({
      bundle: bundle.path,
      env: reporterEnv(queue.queueUrl, sqsEndpoint),
      script,
      signalWhen: { signal: 'SIGTERM', stdoutBytes: 80_000 * line.length },
    });

    // Assess: well before the capture's 2 s stall limit, on the reporter's own clock
    expect(result.signal).toBe('SIGTERM');
    expect(result.ownAfterSignalMs).toBeLessThan(DEADLINE_MS);
    expect(result.afterSignalMs).toBeLessThanOrEqual(WALL_SANITY_MS);
    expect(result.timings.sendStarted).toBeUndefined();
    expect(result.stdoutBytes).toBe(80_000 * line.length);
    expect(await queue.count()).toBe(0);
    queue.destroy();
  });

  it('forwards SIGTERM to the hook and ends with it, without a report', async () => {
    // Prepare
    const queue = await createTestQueue(sqsEndpoint, 'fail-open-forward');

    // Act
    const result = await runExec({
      bundle: bundle.path,
      env: reporterEnv(queue.queueUrl, sqsEndpoint),
      script: "console.log('running'); setTimeout(() => {}, 30000);",
      signalWhen: { signal: 'SIGTERM', stdoutBytes: 'running\n'.length },
    });

    // Assess
    expect(result.signal).toBe('SIGTERM');
    expect(result.ownAfterSignalMs).toBeLessThan(DEADLINE_MS);
    expect(result.afterSignalMs).toBeLessThanOrEqual(WALL_SANITY_MS);
    expect(result.timings.sendStarted).toBeUndefined();
    expect(result.stdout).toBe('running\n');
    expect(await queue.count()).toBe(0);
    queue.destroy();
  });

  it('treats exit code 143 as a cancellation: same code, no report', async () => {
    // Prepare
    const queue = await createTestQueue(sqsEndpoint, 'fail-open-143');

    // Act
    const result = await runExec({
      bundle: bundle.path,
      env: reporterEnv(queue.queueUrl, sqsEndpoint),
      script: 'END(); process.exit(143);',
    });

    // Assess
    expect(result.exitCode).toBe(143);
    expectNoSend(result);
    expect(osdcLines(result)).toEqual([]);
    expect(await queue.count()).toBe(0);
    queue.destroy();
  });
});
