/**
 * The AWS side of a failed step, under what is left of the step's one hard deadline: send the report and, in
 * parallel under a budget of its own, read the job's own result (`result#<hash of the report's secret>`), which is
 * there when the analyzer already answered. Returns the text to print (one `[OSDC]` line, then the analysis if it
 * is ready) and leaves a marker, with the secret, so a later hook call of the job can print it. Never rejects.
 *
 * It reads no signature cache item: which earlier answer a job may be shown depends on who it is (trust-scoped
 * reuse), which only the analyzer knows after asking GitHub, and runner pods may read result items only
 * (docs/security.md).
 */
import { CHECK_RUN_NAME } from '../../shared/contract/constants';
import type { FailureReport } from '../../shared/contract/failure-report';
import { resultKey } from '../../shared/contract/result-key';
import { renderInline } from '../../shared/render/render-inline';
import { createReporterClients } from './create-reporter-clients';
import type { FailureMarkers } from './failure-markers';
import { type AnalysisResult, readAnalysisResult } from './read-analysis-result';
import type { ReporterConfig } from './read-reporter-config';
import { sendReport } from './send-report';
import { withDeadline } from './with-deadline';

export interface ReportFailureInput {
  readonly config: ReporterConfig;
  readonly report: FailureReport;
  readonly markers: FailureMarkers;
  /** When the step ended (epoch ms): the deadline runs from there, so capture and encoding count too. */
  readonly endedAt: number;
}

export interface ReportFailureOutcome {
  /** Lines for the job log. */
  readonly text: string;
  readonly sent: boolean;
  readonly cached: boolean;
  /** The result read ran out of its budget: later steps of the job should not wait on the table. */
  readonly resultsTimedOut: boolean;
}

/** Says where the new analysis will be; true whether or not a later hook call of this job gets to print it. */
export const REQUESTED_NOTE = `it will be in this commit's checks ("${CHECK_RUN_NAME}"), and printed further down this log if it is ready before the job ends.`;

export async function reportFailure(input: ReportFailureInput): Promise<ReportFailureOutcome> {
  const { config, report } = input;
  const id = report.id;
  const clients = createReporterClients(config, { sqs: true });
  try {
    // Two budgets inside the one hard deadline: the send may use all of it; the read at most its own read
    // deadline. A read that hangs costs only the early answer, never the report's "requested" line.
    const remaining = Math.max(1, config.deadlineMs - (Date.now() - input.endedAt));
    const [sent, cached] = await Promise.all([
      withDeadline(remaining, (signal) => sendReport(clients.sqs!, config.queueUrl, report, signal)),
      withDeadline(Math.min(remaining, config.resultDeadlineMs), (signal) =>
        readOwnResult(input, clients.dynamo, signal),
      ),
    ]);
    const record = cached.ok && cached.value?.state === 'done' ? cached.value.record : undefined;

    let line: string;
    if (!sent.ok) {
      const why = sent.timedOut ? 'timed out' : describeError(sent.error);
      line = `[OSDC] Failure analysis could not be requested (${why}); the step's result is unaffected.`;
    } else if (record) {
      line = `[OSDC] Failure analysis requested (report ${id}); it is ready already, and will be in this commit's checks ("${CHECK_RUN_NAME}").`;
    } else if (config.resultsTable) {
      line = `[OSDC] Failure analysis requested (report ${id}); ${REQUESTED_NOTE}`;
      await input.markers.add({
        reportId: id,
        resultSecret: report.resultSecret,
        createdAt: Date.now(),
        repo: report.repo,
        sha: report.sha,
        prNumber: report.prNumber,
      });
    } else {
      line = `[OSDC] Failure analysis requested (report ${id}); it will be in this commit's checks ("${CHECK_RUN_NAME}").`;
    }
    const text = `${line}\n${record ? renderInline(record, { reportId: id }) : ''}`;
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

async function readOwnResult(
  input: ReportFailureInput,
  dynamo: ReturnType<typeof createReporterClients>['dynamo'],
  signal: AbortSignal,
): Promise<AnalysisResult | undefined> {
  if (!dynamo || !input.config.resultsTable) return undefined;
  return readAnalysisResult(dynamo, input.config.resultsTable, resultKey(input.report.resultSecret), signal);
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
