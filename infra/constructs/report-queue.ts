/**
 * The queue the runner pods send failure reports to, with its dead-letter queue. SQS-managed encryption (not a
 * customer-managed KMS key) keeps the pods' IRSA policy to `sqs:SendMessage` alone.
 */
import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MAX_RECEIVE_COUNT, visibilityTimeoutFor } from '../../shared/contract/queue';

export interface ReportQueueProps {
  /** Timeout of the function that consumes the queue; the visibility timeout is derived from it. */
  readonly consumerTimeout: Duration;
  /** Receives before a report goes to the dead-letter queue; MAX_RECEIVE_COUNT explains the default. */
  readonly maxReceiveCount?: number;
}

export class ReportQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: ReportQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Long enough to notice the alarm after a weekend and redrive.
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // An analysis is only useful while someone looks at the job; older reports are not worth a model call.
      retentionPeriod: Duration.days(4),
      visibilityTimeout: Duration.seconds(visibilityTimeoutFor(props.consumerTimeout.toSeconds())),
      deadLetterQueue: {
        queue: this.deadLetterQueue,
        maxReceiveCount: props.maxReceiveCount ?? MAX_RECEIVE_COUNT,
      },
    });
  }
}
