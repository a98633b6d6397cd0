/**
 * The analyzer Lambda's entry point: an SQS batch of failure reports in, a partial batch response out. Everything
 * that costs time (configuration, clients) happens once per cold start; each record goes through the same report
 * processor and batch handler that the local pipeline uses.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createAnalyzerDeps } from './create-analyzer-deps';
import { createBatchHandler, type SqsBatchHandler } from './create-batch-handler';
import { createReportProcessor } from './create-report-processor';
import { readAnalyzerConfig } from './read-analyzer-config';
import { refreshRankCounts } from './refresh-rank-counts';

let handleBatch: SqsBatchHandler | undefined;

export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  // Built on the first invocation rather than at import, so a configuration error fails invocations (visible in the
  // function's errors metric and logs) instead of the init phase, which Lambda retries silently.
  handleBatch ??= createAnalyzerBatchHandler();
  return handleBatch(event, context);
}

function createAnalyzerBatchHandler(): SqsBatchHandler {
  const deps = createAnalyzerDeps(readAnalyzerConfig());
  return createBatchHandler(createReportProcessor(deps), {
    // Keeps the dashboard's stored window counts close to the truth; one conditional write unless a refresh is due.
    afterBatch: () => refreshRankCounts(deps.dynamo, deps.config.stateTable, deps.now()),
    onAfterBatchError: (error) => deps.logger.warn('rank refresh failed', { error: String(error) }),
  });
}
