import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startLocalSqsConsumer } from '../../services/local/pipeline/local-sqs-consumer';
import { LOCAL_AWS } from '../../services/local/standins/aws/dynamodb-local';

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('Function: startLocalSqsConsumer', () => {
  const client = new SQSClient({ ...LOCAL_AWS, endpoint: inject('sqsEndpoint') });
  afterAll(() => client.destroy());

  it('invokes the handler with SQS event records and redelivers only the failed ones', async () => {
    // Prepare
    const { QueueUrl } = await client.send(
      new CreateQueueCommand({ QueueName: `consumer-${Date.now()}`, Attributes: { VisibilityTimeout: '1' } }),
    );
    const queueUrl = QueueUrl!;
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
    );
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'ok' }));
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'fail-once' }));
    const seen: Array<{ body: string; receiveCount: string; source: string }> = [];
    let failed = false;

    // Act
    const consumer = startLocalSqsConsumer({
      client,
      queueUrl,
      queueArn: Attributes?.QueueArn ?? '',
      region: LOCAL_AWS.region,
      waitTimeSeconds: 1,
      handler: async (event: SQSEvent) => {
        const failures: Array<{ itemIdentifier: string }> = [];
        for (const record of event.Records) {
          seen.push({
            body: record.body,
            receiveCount: record.attributes.ApproximateReceiveCount,
            source: record.eventSource,
          });
          if (record.body === 'fail-once' && !failed) {
            failed = true;
            failures.push({ itemIdentifier: record.messageId });
          }
        }
        return { batchItemFailures: failures };
      },
    });
    await waitFor(() => seen.filter((entry) => entry.body === 'fail-once').length >= 2);
    await consumer.stop();

    // Assess
    expect(seen.filter((entry) => entry.body === 'ok')).toHaveLength(1);
    expect(seen.filter((entry) => entry.body === 'fail-once').map((entry) => entry.receiveCount)).toEqual([
      '1',
      '2',
    ]);
    expect(seen.every((entry) => entry.source === 'aws:sqs')).toBe(true);
  });

  it('gathers messages that arrive within the batching window into one batch, as the event source mapping does', async () => {
    // Prepare
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: `window-${Date.now()}` }));
    const queueUrl = QueueUrl!;
    const batches: number[] = [];
    const consumer = startLocalSqsConsumer({
      client,
      queueUrl,
      queueArn: 'arn:aws:sqs:us-east-1:000000000000:window',
      region: LOCAL_AWS.region,
      waitTimeSeconds: 1,
      // A full batch closes the window early, so a window far longer than the sends can take on a busy machine
      // costs nothing; without the window the three reports would arrive as three batches.
      batchSize: 3,
      batchingWindowMs: 60_000,
      handler: async (event: SQSEvent) => {
        batches.push(event.Records.length);
        return { batchItemFailures: [] };
      },
    });

    // Act: three reports 400 ms apart, well inside the window
    for (const body of ['a', 'b', 'c']) {
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    await waitFor(() => batches.reduce((sum, size) => sum + size, 0) >= 3);
    await consumer.stop();

    // Assess
    expect(batches).toEqual([3]);
  });
});
