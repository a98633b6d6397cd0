/**
 * The URL of an SQS queue from its ARN, as a Lambda SQS record names its queue only by `eventSourceARN`:
 * `arn:aws:sqs:us-east-1:123456789012:osdc-rca-reports` → `https://sqs.us-east-1.amazonaws.com/123456789012/osdc-rca-reports`.
 */

/** The ARN is not an SQS queue ARN. */
export class QueueArnError extends Error {
  override readonly name = 'QueueArnError';
}

/** Partitions whose endpoints are not under `amazonaws.com`. */
const PARTITION_DOMAINS: Readonly<Record<string, string>> = {
  'aws-cn': 'amazonaws.com.cn',
  'aws-iso': 'c2s.ic.gov',
  'aws-iso-b': 'sc2s.sgov.gov',
};

/**
 * @example
 * queueUrlFromArn(record.eventSourceARN); // https://sqs.us-east-1.amazonaws.com/123456789012/osdc-rca-reports
 */
export function queueUrlFromArn(arn: string): string {
  const match = /^arn:(aws[\w-]*):sqs:([\w-]+):(\d{12}):([\w-]{1,80}(?:\.fifo)?)$/.exec(arn);
  if (!match) throw new QueueArnError(`not an SQS queue ARN: ${arn.slice(0, 200)}`);
  const [, partition = 'aws', region, account, name] = match;
  const domain = PARTITION_DOMAINS[partition] ?? 'amazonaws.com';
  return `https://sqs.${region}.${domain}/${account}/${name}`;
}
