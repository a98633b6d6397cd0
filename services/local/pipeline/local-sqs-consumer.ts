/**
 * Feeds an SQS queue to a Lambda-style batch handler on this machine, the way the Lambda event source mapping does:
 * receive a batch, invoke the handler with a real `SQSEvent` shape, delete the records it did not report as failed,
 * and leave the failed ones to come back after the visibility timeout.
 */
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

export type BatchHandler = (event: SQSEvent) => Promise<SQSBatchResponse>;

export interface LocalSqsConsumerOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  readonly handler: BatchHandler;
  readonly batchSize?: number;
  /** Long-poll wait; short so that `stop()` returns quickly. */
  readonly waitTimeSeconds?: number;
  /**
   * As the event source mapping's `maxBatchingWindow`: once a message has arrived, keep gathering for up to this
   * long unless the batch fills first. 0 (the default) hands each receive on at once.
   */
  readonly batchingWindowMs?: number;
  readonly onError?: (error: unknown) => void;
}

export interface LocalSqsConsumer {
  /** Resolves after the current batch, if any, has been handled. */
  stop(): Promise<void>;
  /** Batches handled so far. */
  readonly batches: number;
}

/** Builds the Lambda event record for a received SQS message, as the event source mapping does. */
export function toSqsRecord(message: Message, queueArn: string, region: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        {
          dataType: value.DataType ?? 'String',
          stringValue: value.StringValue,
          stringListValues: [],
          binaryListValues: [],
        },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

export function startLocalSqsConsumer(options: LocalSqsConsumerOptions): LocalSqsConsumer {
  let running = true;
  let batches = 0;
  const batchSize = options.batchSize ?? 10;
  const receive = async (max: number, waitSeconds: number): Promise<Message[]> =>
    (
      await options.client.send(
        new ReceiveMessageCommand({
          QueueUrl: options.queueUrl,
          MaxNumberOfMessages: max,
          WaitTimeSeconds: waitSeconds,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      )
    ).Messages ?? [];
  /** The first receive long-polls; then the batching window, if any, gathers more. */
  const gather = async (): Promise<Message[]> => {
    const messages = await receive(batchSize, options.waitTimeSeconds ?? 1);
    const closesAt = Date.now() + (options.batchingWindowMs ?? 0);
    while (running && messages.length > 0 && messages.length < batchSize && Date.now() < closesAt) {
      const more = await receive(batchSize - messages.length, 0);
      messages.push(...more);
      if (more.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return messages;
  };
  const loop = (async () => {
    while (running) {
      try {
        const messages = await gather();
        if (messages.length === 0) continue;
        const event: SQSEvent = {
          Records: messages.map((message) => toSqsRecord(message, options.queueArn, options.region)),
        };
        const response = await options.handler(event);
        batches += 1;
        const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
        const done = messages.filter((message) => !failed.has(message.MessageId ?? ''));
        if (done.length > 0) {
          await options.client.send(
            new DeleteMessageBatchCommand({
              QueueUrl: options.queueUrl,
              Entries: done.map((message, index) => ({
                Id: String(index),
                ReceiptHandle: message.ReceiptHandle ?? '',
              })),
            }),
          );
        }
      } catch (error) {
        // A whole-batch failure (the handler threw) leaves every message for redelivery, as Lambda does.
        options.onError?.(error);
        if (running) await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  })();
  return {
    get batches() {
      return batches;
    },
    stop: async () => {
      running = false;
      await loop;
    },
  };
}
