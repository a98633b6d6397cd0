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

let handleBatch: SqsBatchHandler | undefined;

export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  // Built on the first invocation rather than at import, so a configuration error fails invocations (visible in the
  // function's errors metric and logs) instead of the init phase, which Lambda retries silently.
  handleBatch ??= createBatchHandler(createReportProcessor(createAnalyzerDeps(readAnalyzerConfig())));
  return handleBatch(event, context);
}
