import { describe, expect, it } from 'vitest';
import { retryDelaySeconds } from '../../services/analyzer/defer-record';
import { QueueArnError, queueUrlFromArn } from '../../services/analyzer/queue-url-from-arn';

describe('Function: retryDelaySeconds', () => {
  it('doubles the first delay on every receive', () => {
    const delays = [1, 2, 3, 4, 5].map((receiveCount) =>
      retryDelaySeconds({ baseSeconds: 15, receiveCount, holdSecondsLeft: undefined }),
    );

    expect(delays).toEqual([15, 30, 60, 120, 240]);
  });

  it('waits no longer than the holder may still hold the lease, and at least a second', () => {
    const capped = retryDelaySeconds({ baseSeconds: 15, receiveCount: 5, holdSecondsLeft: 41.2 });
    const expired = retryDelaySeconds({ baseSeconds: 15, receiveCount: 1, holdSecondsLeft: -3 });

    expect(capped).toBe(43);
    expect(expired).toBe(1);
  });

  it('stays within the visibility timeout SQS accepts', () => {
    expect(retryDelaySeconds({ baseSeconds: 900, receiveCount: 40, holdSecondsLeft: undefined })).toBe(
      43_200,
    );
  });
});

describe('Function: queueUrlFromArn', () => {
  it('builds the queue URL of each partition from an event source ARN', () => {
    expect(queueUrlFromArn('arn:aws:sqs:us-east-1:123456789012:osdc-rca-reports')).toBe(
      'https://sqs.us-east-1.amazonaws.com/123456789012/osdc-rca-reports',
    );
    expect(queueUrlFromArn('arn:aws-cn:sqs:cn-north-1:123456789012:q.fifo')).toBe(
      'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q.fifo',
    );
  });

  it('refuses an ARN that is not an SQS queue', () => {
    expect(() => queueUrlFromArn('arn:aws:sns:us-east-1:123456789012:topic')).toThrow(QueueArnError);
  });
});
