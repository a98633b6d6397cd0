/**
 * The AWS side of a failed step, under what is left of the step's one hard deadline: send the report and, in
 * parallel under a budget of its own, look up an analysis of the same strong signature that the analyzer already
 * cached. Returns the text to print (one `[OSDC]` line, then the cached analysis if there is one) and leaves a marker
 * so a later hook call of the job can print the new analysis. Never rejects.
 */
import { CHECK_RUN_NAME } from '../../shared/contract/constants';
import type { FailureReport } from '../../shared/contract/failure-report';
import { cacheKey } from '../../shared/contract/keys';
import { REPOSITORY_SCOPE } from '../../shared/contract/trust-scope';
import type { CaptureSnapshot } from '../../shared/log/types';
import { renderInline } from '../../shared/render/render-inline';
import { computeSignature } from '../../shared/signature/compute-signature';
import { createReporterClients } from './create-reporter-clients';
import type { FailureMarkers } from './failure-markers';
import { type AnalysisResult, readAnalysisResult } from './read-analysis-result';
import type { ReporterConfig } from './read-reporter-config';
import { sendReport } from './send-report';
import { withDeadline } from './with-deadline';

export interface ReportFailureInput {
  readonly config: ReporterConfig;
  readonly report: FailureReport;
  /** The capture the report's log was encoded from, for the failure signature. */
  readonly snapshot: CaptureSnapshot;
  readonly markers: FailureMarkers;
  /** When the step ended (epoch ms): the deadline runs from there, so capture and encoding count too. */
  readonly endedAt: number;
}

export interface ReportFailureOutcome {
  /** Lines for the job log. */
  readonly text: string;
  readonly sent: boolean;
  readonly cached: boolean;
  /** The cached-analysis lookup ran out of its budget: later steps of the job should not wait on the table. */
  readonly resultsTimedOut: boolean;
}

/** Says where the new analysis will be; true whether or not a later hook call of this job gets to print it. */
export const REQUESTED_NOTE = `it will be in this commit's checks ("${CHECK_RUN_NAME}"), and printed further down this log if it is ready before the job ends.`;

export async function reportFailure(input: ReportFailureInput): Promise<ReportFailureOutcome> {
  const { config, report } = input;
  const id = report.id;
  const clients = createReporterClients(config, { sqs: true });
  try {
    // Two budgets inside the one hard deadline: the send may use all of it; the lookup at most its own read
    // deadline. A lookup that hangs costs only the cached answer, never the report's "requested" line.
    const remaining = Math.max(1, config.deadlineMs - (Date.now() - input.endedAt));
    const [sent, cached] = await Promise.all([
      withDeadline(remaining, (signal) => sendReport(clients.sqs!, config.queueUrl, report, signal)),
      withDeadline(Math.min(remaining, config.resultDeadlineMs), (signal) =>
        lookUpCachedAnalysis(input, report.repo, clients.dynamo, signal),
      ),
    ]);
    const record = cached.ok && cached.value?.state === 'done' ? cached.value.record : undefined;

    let line: string;
    if (!sent.ok) {
      const why = sent.timedOut ? 'timed out' : describeError(sent.error);
      line = `[OSDC] Failure analysis could not be requested (${why}); the step's result is unaffected.`;
    } else if (record) {
      line = `[OSDC] Failure analysis requested (report ${id}); this failure was analysed before, so here is that analysis. The new one will be in this commit's checks ("${CHECK_RUN_NAME}").`;
    } else if (config.resultsTable) {
      line = `[OSDC] Failure analysis requested (report ${id}); ${REQUESTED_NOTE}`;
      await input.markers.add({
        reportId: id,
        createdAt: Date.now(),
        repo: report.repo,
        sha: report.sha,
        prNumber: report.prNumber,
      });
    } else {
      line = `[OSDC] Failure analysis requested (report ${id}); it will be in this commit's checks ("${CHECK_RUN_NAME}").`;
    }
    const text = `${line}\n${record ? renderInline(record, { fromCache: true }) : ''}`;
    return {
      text,
      sent: sent.ok,
      cached: record !== undefined,
      resultsTimedOut: !cached.ok && cached.timedOut,
    };
  } finally {
    clients.destroy();
  }
}

async function lookUpCachedAnalysis(
  input: ReportFailureInput,
  repo: string,
  dynamo: ReturnType<typeof createReporterClients>['dynamo'],
  signal: AbortSignal,
): Promise<AnalysisResult | undefined> {
  if (!dynamo || !input.config.resultsTable) return undefined;
  const signature = computeSignature(input.snapshot);
  // Weak signatures are never shared across jobs, so there is no cache item to read.
  if (signature.strength !== 'strong') return undefined;
  // Only the repository's trusted answer: the pod cannot prove which PR it runs for, and an untrusted PR's answer
  // reaches its own later steps through the report item instead.
  const key = cacheKey(repo, signature.signature, REPOSITORY_SCOPE);
  return readAnalysisResult(dynamo, input.config.resultsTable, key, signal);
}

/** A short, non-sensitive reason: the error's name or code, never its message (which may echo request data). */
function describeError(error: unknown): string {
  if (error && typeof error === 'object') {
    const { name, code, $metadata } = error as {
      name?: string;
      code?: string;
      $metadata?: { httpStatusCode?: number };
    };
    const status = $metadata?.httpStatusCode ? ` HTTP ${$metadata.httpStatusCode}` : '';
    const label = code ?? name;
    if (label) return `${label.slice(0, 80).replace(/[^\w.-]/g, '')}${status}`;
  }
  return 'unknown error';
}
