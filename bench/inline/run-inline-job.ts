/**
 * One job of bench:inline, hook call by hook call as OSDC's wrapper makes them, each in its own process through the
 * reporter bundle's wrapper API: `prepare_job`, the failing step (a real log, exit 1), a test job's `always()` steps,
 * the pause before `cleanup_job`, then `cleanup_job`. The time the reporter adds is measured from each hook
 * command's own end to its wrapper process's exit.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runHookProcess } from '../../services/local/pipeline/run-hook-process';
import { secretDigest } from '../../shared/contract/result-key';
import type { InlineJob } from './plan-inline-jobs';

export interface JobIdentity {
  readonly repo: string;
  readonly runId: number;
  readonly jobName: string;
  readonly sha: string;
  readonly ref: string;
  readonly event: 'push' | 'pull_request';
}

export interface InlineJobResult {
  readonly job: InlineJob;
  readonly reportId: string | undefined;
  /** The key of the report item (the digest of the secret only the job's pod knows), for the stage times. */
  readonly reportDigest: string | undefined;
  /** Which hook call printed the analysis in the job's log, if any. */
  readonly printedIn: 'failing step' | 'later step' | 'cleanup_job' | undefined;
  /** Time the reporter added after its hook commands ended, over the whole job. */
  readonly addedMs: number;
  readonly waited: boolean;
  /** The failing step's [OSDC] line. */
  readonly failureLine: string | undefined;
}

const ANALYSIS = '::group::[OSDC] Failure analysis';
const GAP_BETWEEN_STEPS_MS = 500;

export async function runInlineJob(
  bundle: string,
  job: InlineJob,
  identity: JobIdentity,
  runnerEnv: Readonly<Record<string, string | undefined>>,
): Promise<InlineJobResult> {
  const stepEnv = {
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: identity.repo,
    GITHUB_RUN_ID: String(identity.runId),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: identity.jobName,
    GITHUB_WORKFLOW: 'pull',
    GITHUB_SHA: identity.sha,
    GITHUB_REF: identity.ref,
    GITHUB_EVENT_NAME: identity.event,
  };
  let addedMs = 0;
  const hook = async (request: string, command: string, args: string[] = [], exitCode?: number) => {
    const result = await runHookProcess({
      bundle,
      request,
      hook: { command, args, ...(exitCode === undefined ? {} : { exitCode }) },
      runnerEnv,
      stepEnv,
    });
    addedMs += Math.max(0, result.exitedAt - result.hookEndedAt);
    return result.lines.join('\n');
  };

  await hook('prepare_job', 'true');
  let printedIn: InlineJobResult['printedIn'];
  let failureLine: string | undefined;
  let reportDigest: string | undefined;
  if (job.logPath) {
    const failed = await hook('run_script_step', 'cat', [job.logPath], 1);
    failureLine = failed.split('\n').find((line) => line.startsWith('[OSDC]'));
    if (failed.includes(ANALYSIS)) printedIn = 'failing step';
    reportDigest = markedDigest(runnerEnv.OSDC_RCA_STATE_DIR);
  }
  for (const ms of job.laterStepsMs) {
    await sleep(GAP_BETWEEN_STEPS_MS);
    const later = await hook('run_script_step', 'sleep', [(ms / 1000).toFixed(2)]);
    if (!printedIn && later.includes(ANALYSIS)) printedIn = 'later step';
  }
  await sleep(job.cleanupAfterMs);
  const cleanup = await hook('cleanup_job', 'true');
  if (!printedIn && cleanup.includes(ANALYSIS)) printedIn = 'cleanup_job';
  return {
    job,
    reportId: failureLine?.match(/\(report ([0-9a-f-]{36})\)/)?.[1],
    reportDigest,
    printedIn,
    addedMs,
    waited: cleanup.includes('[OSDC] Waiting up to'),
    failureLine,
  };
}

/** The bench reads the job's failure marker as only the pod could (cleanup_job deletes it), to find its report item. */
function markedDigest(stateDir: string | undefined): string | undefined {
  if (!stateDir) return undefined;
  try {
    const marker = readdirSync(stateDir).find((name) => name.endsWith('.marker.json'));
    if (!marker) return undefined;
    const { resultSecret } = JSON.parse(readFileSync(path.join(stateDir, marker), 'utf8')) as {
      resultSecret?: string;
    };
    return resultSecret ? secretDigest(resultSecret) : undefined;
  } catch {
    return undefined;
  }
}
