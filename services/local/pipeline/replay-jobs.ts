/**
 * Replays the planned jobs the way a runner runs them: each job's failing step through the reporter bundle, then,
 * a few seconds later as in PyTorch's build jobs, its `cleanup_job`, which waits for the analysis like in production.
 * Nothing waits for the analyzer on the job's behalf. The first job of every log runs first (a first-seen failure:
 * printed after the wait), the repeats after them (they reuse one analysis, which their own cleanup_job prints
 * within seconds; an analysis already in the job's own result at the failure is printed in the failing step).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReplayJob, ReplaySample } from './replay-plan';
import { runHookProcess } from './run-hook-process';

export interface ReplayedJob {
  readonly sample: ReplaySample;
  readonly job: ReplayJob;
  readonly reportId: string | undefined;
  /** The `[OSDC]` line printed in the failing step. */
  readonly failureLine: string;
  /** The analysis as printed in the job's log, and where. */
  readonly inline: string;
  readonly printedIn: 'the failing step' | 'cleanup_job' | undefined;
  /** How long `cleanup_job` ran: the inline wait, if any. */
  readonly cleanupMs: number;
}

export interface ReplayJobsOptions {
  readonly plan: readonly ReplaySample[];
  readonly bundle: string;
  readonly reporterEnv: Readonly<Record<string, string>>;
  /** One folder per job for the reporter's state (markers, step counter). */
  readonly stateDirOf: (job: ReplayJob) => string;
  /** Multiplies the pauses between steps; 1 is production timing. */
  readonly timeScale: number;
  readonly say: (line: string) => void;
  /** Called before a job's first step, e.g. to tell the local GitHub about its run. */
  readonly beforeJob: (job: ReplayJob) => void;
}

export async function replayJobs(options: ReplayJobsOptions): Promise<ReplayedJob[]> {
  const firsts = options.plan.map((sample) => ({ sample, job: sample.jobs[0]! }));
  const repeats = options.plan.flatMap((sample) => sample.jobs.slice(1).map((job) => ({ sample, job })));
  const total = firsts.length + repeats.length;
  let started = 0;
  const replayed: ReplayedJob[] = [];
  for (const wave of [firsts, repeats]) {
    // Failing steps one after another (this machine stands in for many pods); each job then goes on by itself.
    let previousFailure: Promise<unknown> = Promise.resolve();
    await Promise.all(
      wave.map(({ sample, job }) => {
        const turn = previousFailure;
        let failed: () => void = () => {};
        previousFailure = new Promise<void>((resolve) => {
          failed = resolve;
        });
        return (async () => {
          await turn;
          started += 1;
          replayed.push(await replayJob(options, sample, job, `[${started}/${total}]`, failed));
        })();
      }),
    );
  }
  return replayed;
}

async function replayJob(
  options: ReplayJobsOptions,
  sample: ReplaySample,
  job: ReplayJob,
  label: string,
  onFailed: () => void,
): Promise<ReplayedJob> {
  const where = job.prNumber ? `PR #${job.prNumber}` : 'main';
  options.beforeJob(job);
  const runnerEnv = {
    ...options.reporterEnv,
    OSDC_RCA_STATE_DIR: options.stateDirOf(job),
    RUNNER_NAME: job.runnerName,
  };
  const run = (request: string, logPath?: string) =>
    runHookProcess({
      bundle: options.bundle,
      request,
      // A step replays the log and fails; prepare_job and cleanup_job do nothing of their own.
      hook: logPath ? { command: 'cat', args: [logPath], exitCode: 1 } : { command: 'true', args: [] },
      runnerEnv,
      stepEnv: stepEnvOf(job),
    });
  await run('prepare_job');
  const failed = await run('run_script_step', sample.logPath);
  onFailed();
  const failureLine = failed.lines.find((line) => line.startsWith('[OSDC]')) ?? '(no [OSDC] line)';
  options.say(`  ${label} ${sample.name} on ${where}: ${failureLine}`);
  const cachedAtFailure = analysisIn(failed.lines);
  // PyTorch's build jobs fail in their last step; cleanup_job follows 1–5 s later.
  const pauseMs = (1000 + (job.runId % 4) * 1000) * options.timeScale;
  await sleep(pauseMs);
  const cleanupStarted = Date.now();
  const cleanup = await run('cleanup_job');
  const cleanupMs = Date.now() - cleanupStarted;
  const printedLater = analysisIn(cleanup.lines);
  if (cachedAtFailure) {
    options.say(`  ${label} ${sample.name} on ${where}: analysed before, printed in the failing step itself`);
  } else {
    const waited = cleanup.lines.find((line) => line.startsWith('[OSDC] Waiting'));
    const outcome = printedLater
      ? `printed the analysis after ${(cleanupMs / 1000).toFixed(1)} s`
      : (cleanup.lines.find((line) => line.includes('not ready yet')) ?? 'printed nothing');
    options.say(
      `  ${label} ${sample.name} on ${where}: cleanup_job ${(pauseMs / 1000).toFixed(1)} s after the failure: ` +
        `${waited ? `${waited} ` : ''}${outcome}`,
    );
  }
  return {
    sample,
    job,
    reportId: failureLine.match(/\(report ([0-9a-f-]{36})\)/)?.[1],
    failureLine,
    inline: cachedAtFailure ?? printedLater ?? '',
    printedIn: cachedAtFailure ? 'the failing step' : printedLater ? 'cleanup_job' : undefined,
    cleanupMs,
  };
}

/** The analysis group in a hook call's lines, if it printed one. */
function analysisIn(lines: readonly string[]): string | undefined {
  const start = lines.findIndex((line) => line.startsWith('::group::[OSDC]'));
  if (start < 0) return undefined;
  const end = lines.findIndex((line, index) => index > start && line.startsWith('::endgroup::'));
  return lines.slice(start, end < 0 ? undefined : end + 1).join('\n');
}

function stepEnvOf(job: ReplayJob): Record<string, string> {
  return {
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: job.repo,
    GITHUB_RUN_ID: String(job.runId),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'test',
    GITHUB_WORKFLOW: job.workflow,
    GITHUB_SHA: job.sha,
    GITHUB_REF: job.ref,
    GITHUB_EVENT_NAME: job.event,
  };
}
