/**
 * The two calls OSDC's wrapper.js makes once patched (deploy/osdc/wrapper.patch):
 *
 * - `spawnReal(REAL_HOOKS, stdinData)` in place of the wrapper's own spawn of the real hooks, for every command it
 *   spawns (`prepare_job`, the steps, `cleanup_job`). It resolves exactly as the wrapper's own does, `{ code, signal }`,
 *   as soon as the hooks have exited, so the wrapper prints its `::error::[OSDC] Step script exited with code N…`
 *   line at once.
 * - `finish()` right before the wrapper exits: prints what the reporter has to say (the failure's `[OSDC]` line,
 *   finished analyses) under the wrapper's own lines, within the report deadline. Never rejects.
 */
import type { Writable } from 'node:stream';
import { runHook } from './run-hook';
import { writeFully } from './write-fully';

/** The wrapper's own result shape: `code` is null exactly when a signal ended the hooks. */
export interface WrapperResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface WrapperSession {
  spawnReal(hooksPath: string, stdinData: string): Promise<WrapperResult>;
  finish(): Promise<void>;
}

export interface WrapperSessionOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly captureWorkerScript?: string | undefined;
}

export function createWrapperSession(options: WrapperSessionOptions): WrapperSession {
  const followUps: Promise<string>[] = [];
  return {
    async spawnReal(hooksPath, stdinData) {
      let spawnError: Error | undefined;
      const run = await runHook({
        command: process.execPath,
        args: [hooksPath],
        request: stdinData,
        env: options.env,
        stdout: options.stdout,
        stderr: options.stderr,
        captureWorkerScript: options.captureWorkerScript,
        ownLineAfterNonZeroExit: true,
        onSpawnError: (error) => {
          spawnError = error;
        },
      });
      followUps.push(run.followUp);
      // The same coercion as the wrapper's own spawn, so its exit codes stay exactly what they were.
      if (spawnError) {
        await writeFully(options.stdout, `::warning::[OSDC] Hook spawn error: ${spawnError.message}\n`);
        return { code: 1, signal: null };
      }
      if (run.signal) return { code: null, signal: run.signal };
      return { code: run.exitCode ?? 1, signal: null };
    },
    async finish() {
      // Never rejects: a rejection would send the wrapper down its fail-open path, which runs the hooks again.
      try {
        const texts = await Promise.all(followUps.splice(0));
        await writeFully(options.stdout, texts.join(''));
      } catch {
        // Nothing to print is the fail-open answer.
      }
    },
  };
}
