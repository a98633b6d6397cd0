/**
 * The SQS batch entry shared by the Lambda handler and the local pipeline: Powertools partial batch processing over
 * the report processor, so a record that throws is redelivered alone and the rest of the batch is acknowledged.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { ReportProcessor } from './create-report-processor';

export type SqsBatchHandler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;

export interface BatchHandlerOptions {
  /** Housekeeping after each batch (the dashboard's rank refresh); its failure never fails the batch. */
  readonly afterBatch?: () => Promise<unknown>;
  readonly onAfterBatchError?: (error: unknown) => void;
}

export function createBatchHandler(
  processor: ReportProcessor,
  options: BatchHandlerOptions = {},
): SqsBatchHandler {
  const batchProcessor = new BatchProcessor(EventType.SQS);
  return async (event, context) => {
    try {
      // A batch where every record waits on a lease is normal in a burst; throwing would only log a stack trace.
      return await processPartialResponse(event, processor.processRecord, batchProcessor, {
        context,
        throwOnFullBatchFailure: false,
      });
    } finally {
      processor.flush();
      if (options.afterBatch) {
        await options.afterBatch().catch((error: unknown) => options.onAfterBatchError?.(error));
      }
    }
  };
}
