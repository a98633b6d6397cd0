import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createBatchHandler } from '../../services/analyzer/create-batch-handler';
import type { ReportProcessor } from '../../services/analyzer/create-report-processor';

function sqsEvent(...bodies: string[]): SQSEvent {
  return {
    Records: bodies.map(
      (body, index): SQSRecord => ({
        messageId: `m-${index}`,
        receiptHandle: `r-${index}`,
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: '0',
          SenderId: 'local',
          ApproximateFirstReceiveTimestamp: '0',
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:osdc-rca-reports',
        awsRegion: 'us-east-1',
      }),
    ),
  };
}

function processorFailing(bodies: readonly string[]): ReportProcessor & { flushed: number } {
  const processor = {
    flushed: 0,
    processRecord: async (record: SQSRecord) => {
      if (bodies.includes(record.body)) throw new Error(`cannot process ${record.body}`);
    },
    flush: () => {
      processor.flushed += 1;
    },
  };
  return processor;
}

describe('Function: createBatchHandler', () => {
  it('reports only the failed records, flushes metrics and runs the housekeeping after the batch', async () => {
    // Prepare
    const processor = processorFailing(['bad']);
    const calls: string[] = [];
    const handle = createBatchHandler(processor, {
      afterBatch: async () => {
        calls.push(`after flush ${processor.flushed}`);
      },
    });

    // Act
    const response = await handle(sqsEvent('good', 'bad', 'good'));

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(calls).toEqual(['after flush 1']);
  });

  it('never fails the batch when the housekeeping fails', async () => {
    // Prepare
    const errors: unknown[] = [];
    const handle = createBatchHandler(processorFailing([]), {
      afterBatch: async () => {
        throw new Error('refresh lease table unavailable');
      },
      onAfterBatchError: (error) => errors.push(error),
    });

    // Act
    const response = await handle(sqsEvent('good'));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(String(errors[0])).toContain('refresh lease table unavailable');
  });
});
