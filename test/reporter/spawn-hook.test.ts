import { PassThrough, Transform, Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { spawnHook } from '../../services/reporter/spawn-hook';

/** A Writable that keeps what it gets, optionally holding every write until `release()`. */
function collector(options: { held?: boolean; highWaterMark?: number } = {}) {
  const chunks: Buffer[] = [];
  let held = options.held ?? false;
  const waiting: Array<() => void> = [];
  const stream = new Writable({
    highWaterMark: options.highWaterMark ?? 16 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      if (held) waiting.push(() => callback());
      else callback();
    },
  });
  return {
    stream,
    text: () => Buffer.concat(chunks).toString('utf8'),
    bytes: () => chunks.reduce((sum, chunk) => sum + chunk.length, 0),
    release() {
      held = false;
      for (const resume of waiting.splice(0)) resume();
    },
  };
}

/** Resolves once `measure()` has kept one value for five polls in a row (or `finished()` says there is no more). */
async function standsStill(measure: () => number, finished: () => boolean): Promise<void> {
  let last = measure();
  let steady = 0;
  while (steady < 5 && !finished()) {
    await sleep(100);
    const now = measure();
    steady = now === last ? steady + 1 : 0;
    last = now;
  }
}

function node(script: string): { command: string; args: string[] } {
  return { command: process.execPath, args: ['-e', script] };
}

describe('Function: spawnHook', () => {
  it('passes stdout and stderr through, gives the request on stdin and resolves with the exit code', async () => {
    // Prepare
    const stdout = collector();
    const stderr = collector();
    const script = `
      let input = '';
      process.stdin.on('data', (chunk) => (input += chunk)).on('end', () => {
        process.stdout.write('got ' + JSON.parse(input).command + '\\n');
        process.stderr.write('warning: é\\n');
        process.exitCode = 3;
      });`;

    // Act
    const outcome = await spawnHook({
      ...node(script),
      env: process.env,
      input: JSON.stringify({ command: 'run_script_step' }),
      stdout: stdout.stream,
      stderr: stderr.stream,
    });

    // Assess
    expect(outcome).toEqual({ exitCode: 3, signal: null });
    expect(stdout.text()).toBe('got run_script_step\n');
    expect(stderr.text()).toBe('warning: é\n');
  });

  it('sends the output through the taps', async () => {
    // Prepare
    const stdout = collector();
    const upper = () =>
      new Transform({
        transform: (chunk: Buffer, _encoding, done) => done(null, chunk.toString().toUpperCase()),
      });

    // Act
    await spawnHook({
      ...node("process.stdout.write('abc'); process.stderr.write('def')"),
      env: process.env,
      input: '',
      stdout: stdout.stream,
      stderr: new PassThrough().resume(),
      taps: { stdout: upper(), stderr: upper() },
    });

    // Assess
    expect(stdout.text()).toBe('ABC');
  });

  it('holds the child back while our stdout is full instead of buffering its output', async () => {
    // Prepare
    const total = 32 * 1024 * 1024;
    const stdout = collector({ held: true });
    const script = `
      const chunk = Buffer.alloc(1024 * 1024, 120);
      let left = ${total / (1024 * 1024)};
      (function next() {
        while (left > 0) { left--; if (!process.stdout.write(chunk)) return process.stdout.once('drain', next); }
      })();`;

    // Act
    let done = false;
    const running = spawnHook({
      ...node(script),
      env: process.env,
      input: '',
      stdout: stdout.stream,
      stderr: new PassThrough().resume(),
    }).then((outcome) => {
      done = true;
      return outcome;
    });
    // Hold until the back-pressure is visible (our side has buffered a full high-water mark) and the buffer has
    // stopped growing: a spawnHook that ignored back-pressure would keep buffering until the child finished.
    await vi.waitFor(() => expect(stdout.stream.writableLength).toBeGreaterThanOrEqual(16 * 1024), {
      timeout: 20_000,
    });
    await standsStill(
      () => stdout.stream.writableLength + stdout.bytes(),
      () => done,
    );
    const finishedWhileHeld = done;
    const bufferedWhileHeld = stdout.bytes() + stdout.stream.writableLength;
    stdout.release();
    const outcome = await running;

    // Assess
    expect(finishedWhileHeld).toBe(false);
    expect(bufferedWhileHeld).toBeLessThan(2 * 1024 * 1024);
    expect(outcome.exitCode).toBe(0);
    expect(stdout.bytes()).toBe(total);
  });

  it('resolves with the signal that ended the child', async () => {
    // Act
    const outcome = await spawnHook({
      ...node("process.kill(process.pid, 'SIGTERM'); setTimeout(() => {}, 5000)"),
      env: process.env,
      input: '',
      stdout: new PassThrough().resume(),
      stderr: new PassThrough().resume(),
    });

    // Assess
    expect(outcome).toEqual({ exitCode: null, signal: 'SIGTERM' });
  });

  it('stops waiting for output held open by a leftover grandchild once it stands still', async () => {
    // Prepare
    const stdout = collector();
    const script = `
      const { spawn } = require('node:child_process');
      spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'inherit', detached: true }).unref();
      process.stdout.write('parent done\\n');`;
    const started = performance.now();

    // Act
    const outcome = await spawnHook({
      ...node(script),
      env: process.env,
      input: '',
      stdout: stdout.stream,
      stderr: new PassThrough().resume(),
      outputGraceMs: 200,
    });

    // Assess
    expect(outcome).toEqual({ exitCode: 0, signal: null });
    expect(stdout.text()).toBe('parent done\n');
    // The grandchild holds the pipes for 20 s; start-up on a busy machine takes a few.
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('resolves with 127 when the command cannot be started', async () => {
    // Prepare
    const errors: Error[] = [];

    // Act
    const outcome = await spawnHook({
      command: '/nonexistent/osdc-rca-hook',
      args: [],
      env: process.env,
      input: '{}',
      stdout: new PassThrough().resume(),
      stderr: new PassThrough().resume(),
      onSpawnError: (error) => errors.push(error),
    });

    // Assess
    expect(outcome).toEqual({ exitCode: 127, signal: null });
    expect(errors[0]?.message).toContain('ENOENT');
  });
});
