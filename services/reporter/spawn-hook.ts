/**
 * Spawns the real hook (or any command) with its output passed through to ours, forwards SIGTERM/SIGINT, and
 * resolves once the child has exited and all of its output has been written on. Never rejects.
 *
 * The runner container has a 128 MiB heap and was OOM-killed by stdio buffering before, so output is only ever
 * piped: `pipe` pauses the child's stdout whenever ours is full, and nothing is collected here.
 */
import { spawn } from 'node:child_process';
import type { Readable, Transform, Writable } from 'node:stream';

export interface HookOutcome {
  /** The child's exit code, or `null` when a signal ended it. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface SpawnHookOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Written to the child's stdin then closed (the hook request), or `'inherit'` to give it our stdin. */
  readonly input: string | 'inherit';
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Pass-through stages for the child's stdout and stderr; without them, output goes straight through. */
  readonly taps?: { readonly stdout: Transform; readonly stderr: Transform };
  /** Told about a failure to start the command, which then counts as exit code 127 like in a shell. */
  readonly onSpawnError?: (error: Error) => void;
  /** Told about each SIGTERM/SIGINT forwarded to the command. */
  readonly onSignal?: (signal: NodeJS.Signals) => void;
  /** How long output may stand still after the child has exited before we stop waiting for it. */
  readonly outputGraceMs?: number;
}

const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
const DEFAULT_OUTPUT_GRACE_MS = 1000;

export function spawnHook(options: SpawnHookOptions): Promise<HookOutcome> {
  const { stdout, stderr, taps } = options;
  // Our own stdio inherited is the cheapest pass-through: no copy through this process at all.
  const inherit = !taps && stdout === process.stdout && stderr === process.stderr;
  return new Promise<HookOutcome>((resolve) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(options.command, [...options.args], {
        env: options.env,
        stdio: [
          options.input === 'inherit' ? 'inherit' : 'pipe',
          inherit ? 'inherit' : 'pipe',
          inherit ? 'inherit' : 'pipe',
        ],
      });
    } catch (error) {
      options.onSpawnError?.(error as Error);
      resolve({ exitCode: 127, signal: null });
      return;
    }

    const forward = (signal: NodeJS.Signals) => {
      options.onSignal?.(signal);
      child.kill(signal);
    };
    for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);

    const drained: Promise<void>[] = [];
    const bytes = { count: 0 };
    if (!inherit) {
      const count = (chunk: Buffer) => {
        bytes.count += chunk.length;
      };
      child.stdout?.on('data', count);
      child.stderr?.on('data', count);
      drained.push(
        passThrough(child.stdout, stdout, taps?.stdout),
        passThrough(child.stderr, stderr, taps?.stderr),
      );
    }
    if (child.stdin) {
      // A hook that exits without reading its request must not crash us with EPIPE.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }

    let settled = false;
    const finish = (outcome: HookOutcome) => {
      if (settled) return;
      settled = true;
      for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
      resolve(outcome);
    };
    child.once('error', (error) => {
      options.onSpawnError?.(error);
      void Promise.all(drained).then(() => finish({ exitCode: 127, signal: null }));
    });
    child.once('close', (exitCode, signal) => {
      void Promise.all(drained).then(() => finish({ exitCode, signal }));
    });
    // A leftover grandchild can hold the output pipes open after the child has exited; the job must not wait for
    // it. Output that still flows (our stdout draining slowly) is always written out in full.
    child.once('exit', (exitCode, signal) => {
      let seen = -1;
      const timer = setInterval(() => {
        if (settled) return clearInterval(timer);
        if (bytes.count === seen) {
          clearInterval(timer);
          finish({ exitCode, signal });
        }
        seen = bytes.count;
      }, options.outputGraceMs ?? DEFAULT_OUTPUT_GRACE_MS);
      timer.unref();
    });
  });
}

/** Pipes one output stream through an optional tap; resolves when everything read has been handed to `target`. */
function passThrough(source: Readable | null, target: Writable, tap: Transform | undefined): Promise<void> {
  if (!source) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const last = tap ? source.pipe(tap) : source;
    last.pipe(target, { end: false });
    // If our stdout breaks, keep draining the child so it never blocks on a full pipe.
    target.once('error', () => {
      last.unpipe(target);
      last.resume();
    });
    last.once('end', resolve);
    last.once('error', () => resolve());
    source.once('error', () => resolve());
  });
}
