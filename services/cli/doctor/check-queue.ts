/**
 * The reports queue: reachable, a dead-letter queue attached (invalid reports are set aside there), and a
 * visibility timeout of at least 6 × the analyzer's Lambda timeout, as the CDK app makes it (shared/contract/queue).
 */
import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { visibilityTimeoutFor } from '../../../shared/contract/queue';
import { describeError, errorFacts } from './describe-error';
import { type DoctorCheck, failed, passed } from './doctor-check';

export interface QueueCheckInput {
  readonly sqs: SQSClient;
  readonly queueUrl: string | undefined;
  readonly analyzerTimeoutSeconds: number;
}

export function queueCheck(input: QueueCheckInput): DoctorCheck {
  return {
    name: 'queue',
    async run(signal) {
      const { queueUrl } = input;
      if (!queueUrl) {
        return failed('OSDC_RCA_QUEUE_URL is not set', 'set it to the stack output QueueUrl');
      }
      let attributes: Record<string, string>;
      try {
        const answer = await input.sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }),
          { abortSignal: signal },
        );
        attributes = answer.Attributes ?? {};
      } catch (error) {
        const { name } = errorFacts(error);
        if (/NonExistentQueue|QueueDoesNotExist/.test(name)) {
          return failed(
            `queue ${queueUrl} does not exist`,
            'set OSDC_RCA_QUEUE_URL to the stack output QueueUrl',
          );
        }
        if (/AccessDenied/.test(name)) {
          return failed(
            `not allowed to read queue ${queueUrl} (${describeError(error)})`,
            'run the doctor with credentials that may call sqs:GetQueueAttributes on the queue',
          );
        }
        return failed(
          `queue ${queueUrl}: ${describeError(error)}`,
          'check OSDC_RCA_QUEUE_URL, AWS_REGION and AWS_ENDPOINT_URL_SQS',
        );
      }

      const redrive = parseRedrivePolicy(attributes.RedrivePolicy);
      if (!redrive) {
        return failed(
          `queue ${queueUrl} has no dead-letter queue`,
          'deploy the stack with `npx cdk deploy`: its queue sets invalid reports aside in a DLQ',
        );
      }
      const dlqName = redrive.deadLetterTargetArn.split(':').at(-1) ?? '';
      const dlqAccount = redrive.deadLetterTargetArn.split(':')[4];
      try {
        await input.sqs.send(
          new GetQueueUrlCommand({ QueueName: dlqName, QueueOwnerAWSAccountId: dlqAccount || undefined }),
          { abortSignal: signal },
        );
      } catch (error) {
        return failed(
          `queue ${queueUrl}: its dead-letter queue ${dlqName} is not reachable (${describeError(error)})`,
          'redeploy the stack so the redrive policy names an existing queue',
        );
      }

      const visibility = Number(attributes.VisibilityTimeout);
      const needed = visibilityTimeoutFor(input.analyzerTimeoutSeconds);
      if (!(visibility >= needed)) {
        return failed(
          `queue ${queueUrl}: visibility timeout ${attributes.VisibilityTimeout ?? '?'} s is shorter than 6 × the ` +
            `analyzer timeout (${input.analyzerTimeoutSeconds} s) = ${needed} s`,
          'redeploy with the same osdc-rca:analyzerTimeoutSeconds, or pass --analyzer-timeout with the deployed one',
        );
      }
      return passed(
        `${queueName(queueUrl)}: dead-letter queue ${dlqName} after ${redrive.maxReceiveCount} receives, ` +
          `visibility ${visibility} s ≥ 6 × ${input.analyzerTimeoutSeconds} s`,
      );
    },
  };
}

function parseRedrivePolicy(
  text: string | undefined,
): { deadLetterTargetArn: string; maxReceiveCount: number } | undefined {
  if (!text) return undefined;
  try {
    const policy = JSON.parse(text) as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
    if (typeof policy.deadLetterTargetArn !== 'string') return undefined;
    return {
      deadLetterTargetArn: policy.deadLetterTargetArn,
      maxReceiveCount: Number(policy.maxReceiveCount),
    };
  } catch {
    return undefined;
  }
}

function queueName(queueUrl: string): string {
  return queueUrl.split('/').at(-1) ?? queueUrl;
}
