/**
 * The reporter's one behaviour, shared by the wrapper API and the `exec` command: run the hook with its output
 * passed through, and depending on the hook command report a failure, collect finished analyses, or forget the
 * last job's state. Resolves with the child's own outcome as soon as it has exited, plus a follow-up with what the
 * reporter has to say, so the caller decides where that goes in the log (OSDC's wrapper: under its own line).
 * Never rejects: osdc-rca is an optional side effect.
 *
 * The AWS part is only loaded once a step has failed or has an analysis to look up: compiling the SDK costs more
 * than a passing step may.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { CaptureSnapshot } from '../../shared/log/types';
import { abortOnTermination } from './abort-on-termination';
import { buildFailureReport } from './build-failure-report';
import { createStepCapture, type StepCapture } from './create-step-capture';
import { type FailureMarker, FailureMarkers } from './failure-markers';
import { JobFlags } from './job-flags';
import { loadAwsActions } from './load-aws-actions';
import type { ReporterConfig } from './read-reporter-config';
import { type HookOutcome, type SpawnHookOptions, spawnHook } from './spawn-hook';
import { countStep } from './step-counter';
import { createStepTimings, type StepTimings } from './step-timings';
import { whereToFindAnalysis } from './where-to-find-analysis';
import { writeFully } from './write-fully';

/** `step` runs user code (`run_script_step`, `run_container_step`, `exec`); `prepare` and `cleanup` bracket a job. */
export type HookKind = 'step' | 'prepare' | 'cleanup' | 'other';

export interface SuperviseHookInput {
  readonly kind: HookKind;
  readonly command: string;
  readonly args: readonly string[];
  readonly input: string | 'inherit';
  /** The runner container's env: passed to the child, and the source of `RUNNER_NAME`. */
  readonly env: NodeJS.ProcessEnv;
  /** The step's env (GitHub fields, secrets to redact). */
  readonly stepEnv: Readonly<Record<string, string | undefined>>;
  /** `undefined`: not configured or switched off, so output is only passed through. */
  readonly config: ReporterConfig | undefined;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly onSpawnError?: (error: Error) => void;
  /** Where the capture's worker thread runs from (the reporter bundle); without it the capture stays inline. */
  readonly captureWorkerScript?: string | undefined;
  /** The caller prints a line of its own after a non-zero exit (OSDC's wrapper does), before the follow-up. */
  readonly ownLineAfterNonZeroExit?: boolean;
  /** `OSDC_RCA_TIMINGS_FILE`: where to append this call's own timestamps (see step-timings.ts); unset: off. */
  readonly timingsFile?: string | undefined;
}

export interface SupervisedHook extends HookOutcome {
  /**
   * The reporter's lines for the job log, for the caller to print after the hook's output (and after its own lines):
   * the failure's `[OSDC]` line, finished analyses. Settles within the report deadline (at `cleanup_job`, the inline
   * wait) and never rejects.
   */
  readonly followUp: Promise<string>;
}

const NOTHING: Promise<string> = Promise.resolve('');

const UNAFFECTED = "the step's result is unaffected.";

/** 130 and 143 are how a cancelled step ends (SIGINT and SIGTERM as exit codes); not a failure to analyse. */
const CANCELLED_EXIT_CODES = new Set([130, 143]);

export async function superviseHook(input: SuperviseHookInput): Promise<SupervisedHook> {
  const timings = createStepTimings(input.timingsFile);
  const supervised = await supervise(input, timings);
  const followUp = supervised.followUp.then((text) => {
    timings.mark('done');
    timings.flush({
      kind: input.kind,
      deadlineMs: input.config?.deadlineMs,
      exitCode: supervised.exitCode,
      signal: supervised.signal,
    });
    return text;
  });
  return { ...supervised, followUp };
}

async function supervise(input: SuperviseHookInput, timings: StepTimings): Promise<SupervisedHook> {
  const { config } = input;
  const spawnOptions = {
    command: input.command,
    args: input.args,
    env: input.env,
    input: input.input,
    stdout: input.stdout,
    stderr: input.stderr,
    onSpawnError: input.onSpawnError,
    onSignal: () => timings.mark('signalled'),
  };
  const run = async (options: SpawnHookOptions): Promise<HookOutcome> => {
    const outcome = await spawnHook(options);
    timings.mark('ended');
    return outcome;
  };
  if (!config || input.kind === 'other') return { ...(await run(spawnOptions)), followUp: NOTHING };

  const markers = new FailureMarkers(config.stateDir);
  const flags = new JobFlags(config.stateDir);
  const onReadFailure = () => flags.tally('results-read-failures');
  if (input.kind === 'prepare') {
    await markers.clear();
    return { ...(await run(spawnOptions)), followUp: NOTHING };
  }
  if (input.kind === 'cleanup') {
    const outcome = await run(spawnOptions);
    const followUp = safely(async () => {
      const pending = await markers.list();
      if (pending.length === 0) return '';
      // The results table kept failing in this job: say where the analyses will be, do not wait on it again.
      if (await flags.resultsUnreachable()) {
        await markers.clear();
        return pending.map((marker) => whereToFindAnalysis(marker, undefined)).join('');
      }
      const { collectFinishedAnalyses } = await loadAwsActions();
      // The job's last chance to print its analysis inline: wait for it, up to the inline wait after it was sent.
      const text = await abortOnTermination((cancel) =>
        collectFinishedAnalyses(config, markers, pending, {
          waitMs: config.inlineWaitMs,
          cancel,
          say: (line) => writeFully(input.stdout, line),
          last: true,
          onReadFailure,
        }),
      );
      await markers.clear();
      return text;
    });
    return { ...outcome, followUp: followUp.then((text) => text ?? '') };
  }

  const unreachable = await flags.resultsUnreachable();
  const pending = unreachable ? [] : await markers.list();
  // A later step looks for the analysis while it runs, which costs the job nothing; only cleanup_job waits.
  const stepEnded = new AbortController();
  const stepCancelled = new AbortController();
  const lookingWhileRunning =
    pending.length > 0 && config.inlineWaitMs > 0
      ? safely(async () => {
          const { collectFinishedAnalyses } = await loadAwsActions();
          return collectFinishedAnalyses(config, markers, pending, {
            waitMs: config.inlineWaitMs,
            cancel: stepCancelled.signal,
            finish: stepEnded.signal,
            onReadFailure,
          });
        })
      : undefined;
  // Counted while the step runs; only a failure's report waits for it.
  const stepIndex = countStep(config.stateDir);
  let capture: StepCapture | undefined;
  try {
    capture = createStepCapture(config, input.stepEnv, { workerScript: input.captureWorkerScript });
  } catch {
    capture = undefined;
  }
  const outcome = await spawnHook({ ...spawnOptions, taps: capture?.taps });
  const endedAt = Date.now();
  timings.mark('ended', endedAt);
  if (outcome.signal !== null) {
    stepCancelled.abort();
    capture?.close();
    return { ...outcome, followUp: NOTHING };
  }
  stepEnded.abort();

  const failed =
    outcome.exitCode !== null && outcome.exitCode !== 0 && !CANCELLED_EXIT_CODES.has(outcome.exitCode);
  const followUp = (async () => {
    const [finished, failure] = await Promise.all([
      lookingWhileRunning ??
        (pending.length > 0 ? safely(() => readOnce(config, markers, pending, onReadFailure)) : undefined),
      failed && capture
        ? safely(async () =>
            reportFailureOf(
              capture,
              input,
              config,
              { markers, flags, timings },
              outcome.exitCode!,
              endedAt,
              await stepIndex,
            ),
          )
        : undefined,
    ]);
    capture?.close();
    const text = `${finished ?? ''}${failure ?? ''}`;
    // The caller's own line after a non-zero exit already starts the text on a fresh line.
    const afterOwnLine = input.ownLineAfterNonZeroExit && outcome.exitCode !== 0;
    return text && !afterOwnLine && capture?.stdoutEndsMidLine() ? `\n${text}` : text;
  })();
  return { ...outcome, followUp };
}

async function readOnce(
  config: ReporterConfig,
  markers: FailureMarkers,
  pending: readonly FailureMarker[],
  onReadFailure: () => Promise<unknown>,
): Promise<string> {
  const { collectFinishedAnalyses } = await loadAwsActions();
  return collectFinishedAnalyses(config, markers, pending, { waitMs: 0, onReadFailure });
}

/** Capture, encode and build on this side; load the AWS part only if there is a report and time left to send it. */
async function reportFailureOf(
  capture: StepCapture,
  input: SuperviseHookInput,
  config: ReporterConfig,
  state: { readonly markers: FailureMarkers; readonly flags: JobFlags; readonly timings: StepTimings },
  exitCode: number,
  endedAt: number,
  stepIndex: number | undefined,
): Promise<string> {
  let snapshot: CaptureSnapshot;
  let built: ReturnType<typeof buildFailureReport>;
  try {
    snapshot = capture.snapshot();
    capture.close();
    built = buildFailureReport({
      id: randomUUID(),
      resultSecret: randomBytes(32).toString('base64url'),
      exitCode,
      stepEnv: input.stepEnv,
      runnerEnv: input.env,
      log: await capture.encodeLog(snapshot),
      reportedAt: new Date(),
      stepIndex,
    });
  } catch {
    return `[OSDC] Failure analysis could not be requested (the log could not be captured); ${UNAFFECTED}\n`;
  }
  // Not an Actions job: nothing the analyzer could verify, so nothing to say.
  if (!built.ok) return '';
  // Encoding is CPU work no timer can interrupt; when it used up the deadline, do not start the network as well.
  if (Date.now() - endedAt >= config.deadlineMs) {
    return `[OSDC] Failure analysis could not be requested (preparing the log took too long); ${UNAFFECTED}\n`;
  }
  const { reportFailure } = await loadAwsActions();
  state.timings.mark('sendStarted');
  const result = await reportFailure({
    config,
    report: built.report,
    markers: state.markers,
    endedAt,
  });
  state.timings.mark('sendSettled');
  // The cached-analysis read ran out of its budget: counted, so a hung table is not waited on for the whole job.
  if (result.resultsTimedOut) await state.flags.tally('results-read-failures');
  return result.text;
}

async function safely<T>(work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch {
    return undefined;
  }
}
