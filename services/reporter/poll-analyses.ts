/**
 * Polls the analyses of a job's reports until each is done, rejected, or no longer worth waiting for, within a
 * deadline counted from when each report was sent. The pauses start short (an analysis often lands within seconds of
 * the first look) and double up to a few seconds, so a whole wait costs a few dozen GetItems at most.
 */
import type { FailureMarker } from './failure-markers';
import type { AnalysisResult } from './read-analysis-result';
import { withDeadline } from './with-deadline';

export interface PollAnalysesInput {
  readonly markers: readonly FailureMarker[];
  readonly read: (marker: FailureMarker, signal: AbortSignal) => Promise<AnalysisResult>;
  /** Deadline of one round of reads. */
  readonly readDeadlineMs: number;
  /** How long after a report was sent its analysis is waited for; 0: one round of reads and no wait. */
  readonly waitMs: number;
  /** Ends the wait at once, between or during reads (SIGTERM). */
  readonly cancel?: AbortSignal | undefined;
  /**
   * Ends the wait after one more round of reads (the step this runs alongside has ended). While it is given, a
   * wait whose deadline has passed holds on for that last round instead of ending.
   */
  readonly finish?: AbortSignal | undefined;
  /** Told once, before the first pause, until when (epoch ms) the wait may last. */
  readonly onWait?: ((until: number) => Promise<void> | void) | undefined;
  readonly now?: () => number;
}

export interface PolledAnalysis {
  readonly marker: FailureMarker;
  /** The last answer read; `undefined` when no read succeeded. */
  readonly result: AnalysisResult | undefined;
}

const FIRST_PAUSE_MS = 500;
const MAX_PAUSE_MS = 2000;

export async function pollAnalyses(input: PollAnalysesInput): Promise<PolledAnalysis[]> {
  const now = input.now ?? Date.now;
  const latest = new Map<string, AnalysisResult | undefined>();
  let open = [...input.markers];
  let pause = FIRST_PAUSE_MS;
  let announced = false;
  const untilOf = (marker: FailureMarker) => marker.createdAt + input.waitMs;

  while (open.length > 0 && !input.cancel?.aborted) {
    const lastRound = input.finish?.aborted === true;
    const round = await untilAborted(
      withDeadline(input.readDeadlineMs, (signal) =>
        Promise.allSettled(open.map((marker) => input.read(marker, signal))),
      ),
      input.cancel,
    );
    if (round?.ok) {
      for (const [index, settled] of round.value.entries()) {
        if (settled.status === 'fulfilled') latest.set(open[index]!.reportId, settled.value);
      }
    }
    open = open.filter((marker) => worthWaitingFor(latest.get(marker.reportId), untilOf(marker)));
    if (open.length === 0 || lastRound || input.cancel?.aborted) break;

    const until = Math.max(...open.map(untilOf));
    const left = until - now();
    if (left <= 0 && !input.finish) break;
    if (left > 0 && !announced) {
      announced = true;
      await input.onWait?.(until);
    }
    await sleep(left > 0 ? Math.min(pause, left) : Number.POSITIVE_INFINITY, [input.cancel, input.finish]);
    pause = Math.min(pause * 2, MAX_PAUSE_MS);
  }
  return input.markers.map((marker) => ({ marker, result: latest.get(marker.reportId) }));
}

/**
 * Still pending and able to finish in time. A failed read counts as pending. The analyzer writes when it expects
 * the analysis: past this report's deadline (a throttled model, a long queue ahead of it), waiting only costs time.
 */
function worthWaitingFor(result: AnalysisResult | undefined, until: number): boolean {
  if (result === undefined) return true;
  if (result.state !== 'pending') return false;
  const { expectedBy } = result.progress;
  return expectedBy === undefined || expectedBy <= until;
}

function sleep(ms: number, signals: ReadonlyArray<AbortSignal | undefined>): Promise<void> {
  const live = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  if (live.some((signal) => signal.aborted)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      for (const signal of live) signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
    for (const signal of live) signal.addEventListener('abort', done, { once: true });
  });
}

/** The work's result, or `undefined` as soon as the signal aborts (the work is left to finish on its own). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T | undefined> {
  if (!signal) return work;
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve(undefined);
      },
    );
  });
}
