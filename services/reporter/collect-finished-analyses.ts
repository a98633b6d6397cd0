/**
 * On a later step or at `cleanup_job` of a job that had a failure: reads the analysis of each reported failure and
 * returns the ones that are finished, rendered for the job log. A printed (or rejected) report's marker is removed,
 * so each analysis is printed once; an unfinished one is asked for again next time. Never rejects.
 */
import { reportKey } from '../../shared/contract/keys';
import { renderInline } from '../../shared/render/render-inline';
import { createReporterClients } from './create-reporter-clients';
import type { FailureMarker, FailureMarkers } from './failure-markers';
import { type AnalysisResult, readAnalysisResult } from './read-analysis-result';
import type { ReporterConfig } from './read-reporter-config';
import { withDeadline } from './with-deadline';

/** At most this many reports are looked up per step, newest last; a job rarely has more than one. */
const MAX_LOOKUPS = 5;

export async function collectFinishedAnalyses(
  config: ReporterConfig,
  markers: FailureMarkers,
  pending: readonly FailureMarker[],
): Promise<string> {
  if (pending.length === 0 || !config.resultsTable) return '';
  const table = config.resultsTable;
  const clients = createReporterClients(config, { sqs: false });
  const dynamo = clients.dynamo!;
  try {
    const wanted = pending.slice(-MAX_LOOKUPS);
    const outcome = await withDeadline(config.resultDeadlineMs, (signal) =>
      Promise.allSettled(
        wanted.map((marker) => readAnalysisResult(dynamo, table, reportKey(marker.reportId), signal)),
      ),
    );
    if (!outcome.ok) return '';
    let text = '';
    for (const [index, settled] of outcome.value.entries()) {
      const marker = wanted[index]!;
      const result: AnalysisResult | undefined = settled.status === 'fulfilled' ? settled.value : undefined;
      if (result?.state === 'done') text += renderInline(result.record, { reportId: marker.reportId });
      if (result && result.state !== 'pending') await markers.remove(marker.reportId);
    }
    return text;
  } finally {
    clients.destroy();
  }
}
