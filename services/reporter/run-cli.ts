/**
 * The command form, for tests and for wrappers in other languages:
 * `node osdc-rca-reporter.cjs exec -- <command> [args…]` runs the command with the same capture and report
 * behaviour as a failed `run_script_step` (GitHub fields from the current env) and ends like the command did.
 */
import { constants } from 'node:os';
import type { Writable } from 'node:stream';
import { type ReporterConfig, ReporterConfigError, readReporterConfig } from './read-reporter-config';
import type { HookOutcome } from './spawn-hook';
import { readTimingsFile } from './step-timings';
import { superviseHook } from './supervise-hook';
import { writeFully } from './write-fully';

export const USAGE = `Usage: osdc-rca-reporter exec -- <command> [args...]

Runs <command> with its output passed through. If it fails (a non-zero exit that is not 130 or 143), sends the
captured, redacted log to the osdc-rca queue and prints one [OSDC] line. Exits like <command> did.

Configuration (env): OSDC_RCA_QUEUE_URL (without it: pass-through only), OSDC_RCA_RESULTS_TABLE,
OSDC_RCA_DEADLINE_MS, OSDC_RCA_RESULT_DEADLINE_MS, OSDC_RCA_INLINE_WAIT_MS, OSDC_RCA_DISABLED=1,
OSDC_RCA_TAIL_BYTES, OSDC_RCA_WINDOW_BYTES, OSDC_RCA_STATE_DIR, OSDC_RCA_TIMINGS_FILE, AWS_REGION,
AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL_DYNAMODB.
`;

/** Exit code for bad arguments, as most CLIs use. */
export const USAGE_EXIT_CODE = 2;

export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Where the capture's worker thread runs from; the bundle sets its own path. */
  readonly captureWorkerScript?: string;
}

/** `exitCode` is what to exit with; `signal`, if set, is the signal the command died of (to re-raise). */
export async function runCli(
  argv: readonly string[],
  io: CliIo = { env: process.env, stdout: process.stdout, stderr: process.stderr },
): Promise<HookOutcome & { readonly exitCode: number }> {
  if (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout.write(USAGE);
    return { exitCode: 0, signal: null };
  }
  const start = argv[1] === '--' ? 2 : 1;
  const command = argv[start];
  if (argv[0] !== 'exec' || !command) {
    io.stderr.write(
      `${argv[0] === 'exec' ? 'missing <command>' : `unknown command ${JSON.stringify(argv[0] ?? '')}`}\n\n${USAGE}`,
    );
    return { exitCode: USAGE_EXIT_CODE, signal: null };
  }

  let config: ReporterConfig | undefined;
  try {
    config = readReporterConfig(io.env);
  } catch (error) {
    if (error instanceof ReporterConfigError)
      io.stderr.write(`[OSDC] Failure analysis is off: ${error.message}\n`);
  }
  const supervised = await superviseHook({
    kind: 'step',
    command,
    args: argv.slice(start + 1),
    input: 'inherit',
    env: io.env,
    stepEnv: io.env,
    config,
    stdout: io.stdout,
    stderr: io.stderr,
    onSpawnError: (error) => io.stderr.write(`osdc-rca-reporter: cannot run ${command}: ${error.message}\n`),
    captureWorkerScript: io.captureWorkerScript,
    timingsFile: readTimingsFile(io.env),
  });
  await writeFully(io.stdout, await supervised.followUp);
  const outcome = { exitCode: supervised.exitCode, signal: supervised.signal };
  return { exitCode: outcome.exitCode ?? 128 + signalNumber(outcome.signal), signal: outcome.signal };
}

function signalNumber(signal: NodeJS.Signals | null): number {
  return (signal && constants.signals[signal]) || 1;
}
