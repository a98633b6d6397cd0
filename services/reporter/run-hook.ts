/**
 * The typed API behind OSDC's patched wrapper.js (see create-wrapper-session.ts for the two calls the patch makes):
 * run the real container hooks with the reporter around them. Configuration is read here, once per hook call, and
 * a reporter that is off for a reason the operator must fix says so once per job, in the first step's log.
 */
import type { Writable } from 'node:stream';
import { escapeData } from '../../shared/render/render-inline';
import { readJobFields } from './build-failure-report';
import { FailureMarkers } from './failure-markers';
import { JobFlags } from './job-flags';
import {
  type ReporterConfig,
  ReporterConfigError,
  readReporterConfig,
  readStateDir,
} from './read-reporter-config';
import type { HookOutcome } from './spawn-hook';
import { readTimingsFile } from './step-timings';
import { type HookKind, type SupervisedHook, superviseHook } from './supervise-hook';

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
  readonly captureWorkerScript?: string | undefined;
  /** The caller prints a line of its own after a non-zero exit, before the follow-up (OSDC's wrapper does). */
  readonly ownLineAfterNonZeroExit?: boolean;
  readonly onSpawnError?: (error: Error) => void;
}

export type { HookOutcome, SupervisedHook };

const KINDS: Readonly<Record<string, HookKind>> = {
  run_script_step: 'step',
  run_container_step: 'step',
  prepare_job: 'prepare',
  cleanup_job: 'cleanup',
};

/**
 * Runs the hook; resolves with its real exit code or signal as soon as it has exited, and a follow-up with the
 * reporter's lines for the job log. Never rejects: whatever happens to the analysis, the job gets the hook's own
 * outcome.
 *
 * @example
 * const run = await runHook({ command: process.execPath, args: [hooksIndex], request: stdinData });
 * process.stdout.write(await run.followUp);
 */
export async function runHook(options: RunHookOptions): Promise<SupervisedHook> {
  const env = options.env ?? process.env;
  const request = parseRequest(options.request);
  const kind = KINDS[request?.command ?? ''] ?? 'other';
  const stepEnv = stringRecord(request?.args?.environmentVariables);

  let config: ReporterConfig | undefined;
  let offReason: string | undefined;
  try {
    config = readReporterConfig(env);
  } catch (error) {
    if (error instanceof ReporterConfigError) offReason = error.message;
  }
  if (config && kind === 'step') {
    // Without these the analyzer could not verify a report, so none would ever be sent: off, and said so.
    const job = readJobFields(stepEnv, env);
    if (!job.ok) {
      offReason = `the job's env has no usable ${job.missing.join(', ')} (see "Required env" in docs/osdc-integration.md)`;
      config = undefined;
    }
  }
  // A new job forgets the last one's state, including that it was told why the reporter is off.
  if (offReason !== undefined && kind === 'prepare') await new FailureMarkers(readStateDir(env)).clear();
  const notice =
    offReason !== undefined && kind === 'step' ? sayOncePerJob(readStateDir(env), offReason) : undefined;

  const supervised = await superviseHook({
    kind,
    command: options.command,
    args: options.args ?? [],
    input: typeof options.request === 'string' ? options.request : JSON.stringify(options.request),
    env,
    stepEnv,
    config,
    stdout: options.stdout ?? process.stdout,
    stderr: options.stderr ?? process.stderr,
    captureWorkerScript: options.captureWorkerScript,
    ownLineAfterNonZeroExit: options.ownLineAfterNonZeroExit,
    onSpawnError: options.onSpawnError,
    timingsFile: readTimingsFile(env),
  });
  if (!notice) return supervised;
  const followUp = Promise.all([notice, supervised.followUp]).then(([said, rest]) => said + rest);
  return { ...supervised, followUp };
}

/** A warning annotation, so the reason shows on the run's summary page as well as in the step's log. */
async function sayOncePerJob(stateDir: string, reason: string): Promise<string> {
  const first = await new JobFlags(stateDir).claim('off-notice-said');
  return first ? `::warning::[OSDC] Failure analysis is off: ${escapeData(reason)}\n` : '';
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
