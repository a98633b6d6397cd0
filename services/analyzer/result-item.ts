/**
 * The job's result item (`result#<digest>`): the only item of the Results table a runner pod may read, and only the
 * pod holding the report's secret can name it. It mirrors, from the report item, what the job log may show and what
 * the waiting reporter needs (status, the analysis, progress times, the commit and check-run link), nothing else:
 * no claim tokens, no verified identity, no other job's anything.
 */
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { RESULT_ITEM_ATTRIBUTES, resultKeyOfDigest } from '../../shared/contract/result-key';

/** Report-item attributes the job's own reporter may read, and when the result expires. */
const VISIBLE: ReadonlySet<string> = new Set([...RESULT_ITEM_ATTRIBUTES, 'expiresAt']);

export class ResultItems {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /**
   * Copies the visible part of a report-item update; a rejected result stays rejected. `ifNotExists` names the
   * attributes that keep their first value (e.g. when the analyzer first picked the report up).
   */
  async mirror(
    digest: string,
    values: Readonly<Record<string, AttributeValue>>,
    ifNotExists: ReadonlySet<string> = new Set(),
  ): Promise<void> {
    const names = Object.keys(values).filter((name) => VISIBLE.has(name));
    if (names.length === 0) return;
    const assignments = names.map((name, index) =>
      ifNotExists.has(name)
        ? `#a${index} = if_not_exists(#a${index}, :v${index})`
        : `#a${index} = :v${index}`,
    );
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: resultKeyOfDigest(digest) } },
          UpdateExpression: `SET ${assignments.join(', ')}`,
          ConditionExpression: 'attribute_not_exists(#status) OR #status <> :rejected',
          ExpressionAttributeNames: {
            ...Object.fromEntries(names.map((name, index) => [`#a${index}`, name])),
            '#status': 'status',
          },
          ExpressionAttributeValues: {
            ...Object.fromEntries(names.map((name, index) => [`:v${index}`, values[name]!])),
            ':rejected': { S: 'rejected' },
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
