/**
 * The API for OSDC's wrapper.js: one call in place of its own spawn of the real container hooks.
 *
 * @example
 * const { runHook } = require('./osdc-rca-reporter.cjs');
 * const { exitCode, signal } = await runHook({ command: process.execPath, args: [hooksIndex], request });
 * process.exit(exitCode ?? 1);
 */
import type { Writable } from 'node:stream';
import { type ReporterConfig, ReporterConfigError, readReporterConfig } from './read-reporter-config';
import type { HookOutcome } from './spawn-hook';
import { readTimingsFile } from './step-timings';
import { type HookKind, superviseHook } from './supervise-hook';

/** The part of the runner's hook request that the reporter reads; everything else is passed on untouched. */
export interface HookRequest {
  readonly command?: string;
  readonly args?: { readonly environmentVariables?: Readonly<Record<string, string>> };
}

export interface RunHookOptions {
  /** The real hook's executable, usually `process.execPath`. */
  readonly command: string;
  readonly args?: readonly string[];
  /** The runner's request as read from stdin (the exact text is passed on), or already parsed. */
  readonly request: HookRequest | string;
  /** The runner container's env; the reporter's configuration is read from it. */
  readonly env?: NodeJS.ProcessEnv;
  readonly stdout?: Writable;
  readonly stderr?: Writable;
  /** Where the capture's worker thread runs from; the bundle sets its own path. */
  readonly captureWorkerScript?: string;
}

export type { HookOutcome };

const KINDS: Readonly<Record<string, HookKind>> = {
  run_script_step: 'step',
  run_container_step: 'step',
  prepare_job: 'prepare',
  cleanup_job: 'cleanup',
};

/**
 * Runs the hook and resolves with its real exit code or signal. Never rejects: whatever happens to the analysis,
 * the job gets the hook's own outcome.
 */
export async function runHook(options: RunHookOptions): Promise<HookOutcome> {
  const env = options.env ?? process.env;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const request = parseRequest(options.request);
  const kind = KINDS[request?.command ?? ''] ?? 'other';

  let config: ReporterConfig | undefined;
  try {
    config = readReporterConfig(env);
  } catch (error) {
    // Once per job, so operators see a misconfiguration without flooding every step's log.
    if (kind === 'prepare' && error instanceof ReporterConfigError) {
      stderr.write(`[OSDC] Failure analysis is off: ${error.message}\n`);
    }
  }

  return superviseHook({
    kind,
    command: options.command,
    args: options.args ?? [],
    input: typeof options.request === 'string' ? options.request : JSON.stringify(options.request),
    env,
    stepEnv: stringRecord(request?.args?.environmentVariables),
    config,
    stdout,
    stderr,
    captureWorkerScript: options.captureWorkerScript,
    timingsFile: readTimingsFile(env),
  });
}

function parseRequest(request: HookRequest | string): HookRequest | undefined {
  if (typeof request !== 'string') return request;
  try {
    const parsed: unknown = JSON.parse(request);
    return typeof parsed === 'object' && parsed !== null ? (parsed as HookRequest) : undefined;
  } catch {
    return undefined;
  }
}

function stringRecord(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  const record: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) if (typeof item === 'string') record[key] = item;
  return record;
}
