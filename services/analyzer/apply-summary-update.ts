/**
 * Conditional updates of a signature's summary item made of parts: each part applies only while its own condition
 * holds, and a refused update is retried with the parts that still hold (see `updateRankAndLatest`).
 */
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { signatureSummaryKey } from '../../shared/contract/keys';
import { keyOf, type StateItem } from './state-item';

/**
 * One part of the follow-up update, applied only while its condition holds. `holds` re-checks the condition on the
 * item DynamoDB returns when the update is refused, so a retry keeps exactly the parts that are still right.
 */
export interface UpdatePart {
  readonly set: string[];
  readonly remove?: string[];
  readonly delete?: string[];
  readonly condition: string;
  holds(current: StateItem): boolean;
}

/** Applies the parts in one update; on refusal returns the item as it is, to decide what still applies. */
export async function applySummaryUpdate(
  client: DynamoDBClient,
  tableName: string,
  signature: string,
  parts: readonly UpdatePart[],
  names: Record<string, string>,
  values: StateItem,
): Promise<StateItem | undefined> {
  const set = parts.flatMap((part) => part.set);
  const remove = parts.flatMap((part) => part.remove ?? []);
  const remove_ = remove.length ? ` REMOVE ${remove.join(', ')}` : '';
  const deletes = parts.flatMap((part) => part.delete ?? []);
  const delete_ = deletes.length ? ` DELETE ${deletes.join(', ')}` : '';
  const expression = `SET ${set.join(', ')}${remove_}${delete_}`;
  const condition = parts.map((part) => part.condition).join(' AND ');
  const used = `${expression} ${condition}`;
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: keyOf(signatureSummaryKey(signature)),
        UpdateExpression: expression,
        ConditionExpression: condition,
        ExpressionAttributeNames: pick(names, used, /#a\d+/g),
        ExpressionAttributeValues: pick(values, used, /:v\d+/g),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return undefined;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return error.Item ?? {};
    throw error;
  }
}

/** DynamoDB rejects unused expression names and values, so pass only those the expression mentions. */
function pick<T>(all: Record<string, T>, expression: string, pattern: RegExp): Record<string, T> {
  const used = new Set(expression.match(pattern));
  return Object.fromEntries(Object.entries(all).filter(([placeholder]) => used.has(placeholder)));
}
