/**
 * On a later step or at `cleanup_job` of a job that had a failure: reads (and, within the inline wait, waits for) the
 * analysis of each reported failure and returns the finished ones rendered for the job log. A printed (or rejected)
 * report's marker is removed, so each analysis is printed once; an unfinished one is asked for again next time.
 * Never rejects.
 */
import { resultKey } from '../../shared/contract/result-key';
import { renderInline } from '../../shared/render/render-inline';
import { createReporterClients } from './create-reporter-clients';
import type { FailureMarker, FailureMarkers } from './failure-markers';
import { pollAnalyses } from './poll-analyses';
import { readAnalysisResult } from './read-analysis-result';
import type { ReporterConfig } from './read-reporter-config';
import { whereToFindAnalysis } from './where-to-find-analysis';

/** At most this many reports are looked up per step, newest last; a job rarely has more than one. */
const MAX_LOOKUPS = 5;

export interface CollectOptions {
  /** How long after a report was sent to wait for its analysis; 0: read once. */
  readonly waitMs: number;
  /** Ends the wait at once (SIGTERM). */
  readonly cancel?: AbortSignal | undefined;
  /** Ends the wait after one more read (the step this runs alongside has ended). */
  readonly finish?: AbortSignal | undefined;
  /** Prints a line right away: the notice that the job waits. Without it, the wait is silent. */
  readonly say?: ((text: string) => Promise<void>) | undefined;
  /** The job's last chance (`cleanup_job`): say where each analysis not ready will appear. */
  readonly last?: boolean;
  /**
   * Told when a round of reads failed or ran out of its deadline, so that a results table that does not answer is
   * not waited on by every later hook call of the job.
   */
  readonly onReadFailure?: (() => Promise<unknown>) | undefined;
}

export async function collectFinishedAnalyses(
  config: ReporterConfig,
  markers: FailureMarkers,
  pending: readonly FailureMarker[],
  options: CollectOptions = { waitMs: 0 },
): Promise<string> {
  if (pending.length === 0 || !config.resultsTable) return '';
  const table = config.resultsTable;
  const clients = createReporterClients(config, { sqs: false });
  const dynamo = clients.dynamo!;
  const failedRounds = new WeakSet<AbortSignal>();
  const failures: Promise<unknown>[] = [];
  try {
    const polled = await pollAnalyses({
      markers: pending.slice(-MAX_LOOKUPS),
      read: (marker, signal) => {
        const failed = () => {
          // Once per round: its deadline aborts the signal, which is when a hung table is counted.
          if (!options.onReadFailure || failedRounds.has(signal)) return;
          failedRounds.add(signal);
          failures.push(options.onReadFailure());
        };
        signal.addEventListener('abort', failed, { once: true });
        return readAnalysisResult(dynamo, table, resultKey(marker.resultSecret), signal).catch(
          (error: unknown) => {
            failed();
            throw error;
          },
        );
      },
      readDeadlineMs: config.resultDeadlineMs,
      waitMs: options.waitMs,
      cancel: options.cancel,
      finish: options.finish,
      onWait: options.say
        ? (until) =>
            options.say!(
              `[OSDC] Waiting up to ${Math.ceil((until - Date.now()) / 1000)} s for the failure analysis…\n`,
            )
        : undefined,
    });
    await Promise.all(failures);
    let text = '';
    for (const { marker, result } of polled) {
      if (result?.state === 'pending' || result === undefined) {
        if (options.last) text += whereToFindAnalysis(marker, result?.progress);
        continue;
      }
      if (result.state === 'done')
        text += renderInline(result.record, { reportId: marker.reportId, fromCache: result.fromCache });
      await markers.remove(marker.reportId);
    }
    return text;
  } finally {
    clients.destroy();
  }
}
