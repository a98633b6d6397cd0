/**
 * Entry of the bundle `dist/osdc-rca-reporter.cjs`: the API for wrapper.js when required, the `exec` command when
 * run, and the capture's worker thread when started as one (the bundle is its own worker script, so the ConfigMap
 * stays one file). Only Node built-ins at run time: everything else is bundled.
 */
import { CAPTURE_WORKER_FLAG, isCaptureWorkerData } from './capture-worker-protocol';
import { type CliIo, runCli as runCliWith } from './run-cli';
import { type HookOutcome, type RunHookOptions, runHook as runHookWith } from './run-hook';

export { type ReporterConfig, ReporterConfigError, readReporterConfig } from './read-reporter-config';
export { USAGE } from './run-cli';
export type { HookOutcome, HookRequest, RunHookOptions } from './run-hook';

/** This bundle's own path, when it runs as the CommonJS bundle (not when its sources run under a TS loader). */
const bundlePath = typeof __filename === 'string' && __filename.endsWith('.cjs') ? __filename : undefined;

/** Runs the real hook with the reporter around it; see run-hook.ts. */
export function runHook(options: RunHookOptions): Promise<HookOutcome> {
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
