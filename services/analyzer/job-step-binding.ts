/**
 * Binds a job and step to the first report verified for them (`bind#<jobId>#<step>` in the Results table). A second
 * report for the same job and step, from any sender and with any id, is rejected: the job's answer, check run and
 * result cannot be taken over (docs/security.md, attack 1). Re-binding the same report is a no-op, so redeliveries
 * stay idempotent.
 */
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { bindingKey } from '../../shared/contract/keys';

export interface JobStepBindingOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly now: () => Date;
}

/** As long as the report items: a redelivery within their life finds its own binding. */
const BINDING_TTL_SECONDS = 7 * 24 * 3600;

export class JobStepBinding {
  readonly #options: JobStepBindingOptions;

  constructor(options: JobStepBindingOptions) {
    this.#options = options;
  }

  /**
   * True when the job and step are (now or already) bound to this report, false when another report holds them.
   *
   * @param step GitHub's step number, or `wrapper-<n>` when GitHub lists no failing step
   */
  async bind(jobId: number, step: string, reportDigest: string): Promise<boolean> {
    const now = this.#options.now();
    try {
      await this.#options.client.send(
        new PutItemCommand({
          TableName: this.#options.tableName,
          Item: {
            pk: { S: bindingKey(jobId, step) },
            reportDigest: { S: reportDigest },
            boundAt: { S: now.toISOString() },
            expiresAt: { N: String(Math.floor(now.getTime() / 1000) + BINDING_TTL_SECONDS) },
          },
          ConditionExpression: 'attribute_not_exists(pk) OR reportDigest = :mine',
          ExpressionAttributeValues: { ':mine': { S: reportDigest } },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
