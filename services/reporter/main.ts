/**
 * Entry of the bundle `dist/osdc-rca-reporter.cjs`: the API for wrapper.js when required, the `exec` command when
 * run, and the capture's worker thread when started as one (the bundle is its own worker script, so the ConfigMap
 * stays one file). Only Node built-ins at run time: everything else is bundled.
 */
import { CAPTURE_WORKER_FLAG, isCaptureWorkerData } from './capture-worker-protocol';
import { createWrapperSession, type WrapperResult } from './create-wrapper-session';
import { type CliIo, runCli as runCliWith } from './run-cli';
import { type RunHookOptions, runHook as runHookWith, type SupervisedHook } from './run-hook';

export type { WrapperResult } from './create-wrapper-session';
export { type ReporterConfig, ReporterConfigError, readReporterConfig } from './read-reporter-config';
export { USAGE } from './run-cli';
export type { HookOutcome, HookRequest, RunHookOptions, SupervisedHook } from './run-hook';

/** This bundle's own path, when it runs as the CommonJS bundle (not when its sources run under a TS loader). */
const bundlePath = typeof __filename === 'string' && __filename.endsWith('.cjs') ? __filename : undefined;

const session = createWrapperSession({
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  captureWorkerScript: bundlePath,
});

/** OSDC's wrapper.js, patched: in place of its own spawn of the real hooks; see create-wrapper-session.ts. */
export function spawnReal(hooksPath: string, stdinData: string): Promise<WrapperResult> {
  return session.spawnReal(hooksPath, stdinData);
}

/** OSDC's wrapper.js, patched: right before it exits, prints what the reporter has to say. */
export function finish(): Promise<void> {
  return session.finish();
}

/** The typed API under both: runs the real hook with the reporter around it; see run-hook.ts. */
export function runHook(options: RunHookOptions): Promise<SupervisedHook> {
  return runHookWith({ captureWorkerScript: bundlePath, ...options });
}

/** The `exec` command; see run-cli.ts. */
export function runCli(argv: readonly string[], io?: CliIo): ReturnType<typeof runCliWith> {
  return runCliWith(
    argv,
    io ?? {
      env: process.env,
      stdout: process.stdout,
      stderr: process.stderr,
      captureWorkerScript: bundlePath,
    },
  );
}

/** Runs the capture loop; only ever in the worker, so the hook's own process never loads `node:worker_threads`. */
async function runAsCaptureWorker(): Promise<void> {
  const [{ workerData }, { runCaptureWorker }] = await Promise.all([
    import('node:worker_threads'),
    import('./capture-worker'),
  ]);
  if (isCaptureWorkerData(workerData)) runCaptureWorker(workerData);
}

if (process.argv.includes(CAPTURE_WORKER_FLAG)) {
  void runAsCaptureWorker();
} else if (typeof require !== 'undefined' && require.main === module) {
  void runCli(process.argv.slice(2)).then(({ exitCode, signal }) => {
    if (signal) {
      // Die of the same signal, as a shell would show it; the exit code is the fallback if that is blocked.
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    }
    process.exit(exitCode);
  });
}
