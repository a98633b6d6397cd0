/**
 * Entry of the bundle `dist/osdc-rca-reporter.cjs`: the API for wrapper.js when required, the `exec` command when
 * run. Only Node built-ins at run time: everything else is bundled.
 */
import { runCli } from './run-cli';

export { type ReporterConfig, ReporterConfigError, readReporterConfig } from './read-reporter-config';
export { runCli, USAGE } from './run-cli';
export { type HookOutcome, type HookRequest, type RunHookOptions, runHook } from './run-hook';

if (typeof require !== 'undefined' && require.main === module) {
  void runCli(process.argv.slice(2)).then(({ exitCode, signal }) => {
    if (signal) {
      // Die of the same signal, as a shell would show it; the exit code is the fallback if that is blocked.
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    }
    process.exit(exitCode);
  });
}
