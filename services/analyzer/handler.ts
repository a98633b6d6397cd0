/**
 * The analyzer Lambda's entry point: an SQS batch of failure reports in, a partial batch response out. Everything
 * that costs time (configuration, clients) happens once per cold start; each record goes through the same report
 * processor that the local pipeline uses.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createAnalyzerDeps } from './create-analyzer-deps';
import { createReportProcessor, type ReportProcessor } from './create-report-processor';
import { readAnalyzerConfig } from './read-analyzer-config';

const batchProcessor = new BatchProcessor(EventType.SQS);
let processReport: ReportProcessor | undefined;

export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  if (!processReport) {
    const deps = createAnalyzerDeps(readAnalyzerConfig());
    processReport = createReportProcessor(deps);
  }
  try {
    // A batch where every record waits on a lease is normal in a burst; throwing would only log a stack trace.
    return await processPartialResponse(event, processReport.processRecord, batchProcessor, {
      context,
      throwOnFullBatchFailure: false,
    });
  } finally {
    processReport.flush();
  }
}
