/**
 * Sets an invalid message aside: the body goes to the dead-letter queue with the reason attached, so nothing is lost
 * and nothing is retried. If the DLQ cannot take it, the caller fails the record and SQS's own redrive policy
 * delivers it to the DLQ after the last receive.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import type { InvalidReportError } from '../../shared/contract/failure-report';

/** SQS message attribute values are limited in size; the reason is for people, so a prefix is enough. */
const MAX_REASON_CHARS = 1000;

export async function setAsideInvalidReport(
  client: SQSClient,
  dlqUrl: string,
  record: SQSRecord,
  error: Pick<InvalidReportError, 'message' | 'issues'>,
): Promise<void> {
  await client.send(
    new SendMessageCommand({
      QueueUrl: dlqUrl,
      MessageBody: record.body.length > 0 ? record.body : '(empty body)',
      MessageAttributes: {
        reason: { DataType: 'String', StringValue: error.message.slice(0, MAX_REASON_CHARS) },
        issues: {
          DataType: 'String',
          StringValue: error.issues.join('\n').slice(0, MAX_REASON_CHARS) || error.message.slice(0, 100),
        },
        sourceMessageId: { DataType: 'String', StringValue: record.messageId || 'unknown' },
        sourceQueueArn: { DataType: 'String', StringValue: record.eventSourceARN || 'unknown' },
      },
    }),
  );
}
