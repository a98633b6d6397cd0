/**
 * One table: it exists and has the keys, TTL attribute and indexes of its definition in shared/contract/tables.ts,
 * the one description the CDK app and the local stand-ins build tables from.
 */
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type TableDescription,
  type TimeToLiveDescription,
} from '@aws-sdk/client-dynamodb';
import type { KeyAttribute, TableDefinition } from '../../../shared/contract/tables';
import { describeError, errorFacts } from './describe-error';
import { type DoctorCheck, failed, passed } from './doctor-check';

export interface TableCheckInput {
  readonly dynamo: DynamoDBClient;
  readonly definition: TableDefinition;
  readonly tableName: string | undefined;
  /** The variable that names the table, for the fix. */
  readonly variable: string;
}

const DEPLOY_FIX = 'point the variable at the table the stack created, or redeploy with `npx cdk deploy`';

export function tableCheck(input: TableCheckInput): DoctorCheck {
  const { definition, tableName, variable } = input;
  return {
    name: `table ${definition.logicalName}`,
    async run(signal) {
      if (!tableName)
        return failed(`${variable} is not set`, `set it to the ${definition.logicalName} table's name`);
      let table: TableDescription | undefined;
      try {
        table = (
          await input.dynamo.send(new DescribeTableCommand({ TableName: tableName }), { abortSignal: signal })
        ).Table;
      } catch (error) {
        if (errorFacts(error).name === 'ResourceNotFoundException') {
          return failed(`table ${tableName} does not exist (${variable})`, DEPLOY_FIX);
        }
        return failed(
          `table ${tableName}: ${describeError(error)}`,
          `check ${variable}, AWS_REGION and access`,
        );
      }
      let ttl: TimeToLiveDescription | undefined;
      try {
        ttl = (
          await input.dynamo.send(new DescribeTimeToLiveCommand({ TableName: tableName }), {
            abortSignal: signal,
          })
        ).TimeToLiveDescription;
      } catch (error) {
        // dynalite (the stand-in without Java) has no TTL API; AWS and DynamoDB Local do.
        if (errorFacts(error).name !== 'UnknownOperationException') {
          return failed(`table ${tableName}: DescribeTimeToLive failed: ${describeError(error)}`);
        }
      }
      const issues = tableShapeIssues(definition, table ?? {}, ttl);
      if (issues.length > 0) return failed(`table ${tableName}: ${issues.join('; ')}`, DEPLOY_FIX);
      const indexes = definition.globalIndexes.length;
      return passed(
        `${tableName}: keys ${keyText(definition)}, TTL on ${definition.timeToLiveAttribute}` +
          (ttl ? '' : ' (not reported by this endpoint)') +
          (indexes ? `, ${indexes} indexes` : ''),
      );
    },
  };
}

/** What differs between a described table and its definition; empty when they match. */
export function tableShapeIssues(
  definition: TableDefinition,
  table: TableDescription,
  ttl: TimeToLiveDescription | undefined,
): string[] {
  const issues: string[] = [];
  if (table.TableStatus && table.TableStatus !== 'ACTIVE') issues.push(`status is ${table.TableStatus}`);
  const types = new Map(table.AttributeDefinitions?.map((a) => [a.AttributeName, a.AttributeType]));
  const keysOf = (schema: typeof table.KeySchema) =>
    (schema ?? [])
      .map((key) => `${key.AttributeName}:${types.get(key.AttributeName) ?? '?'}:${key.KeyType}`)
      .join(',');
  const want = (partition: KeyAttribute, sort: KeyAttribute | undefined) =>
    [`${partition.name}:${partition.type}:HASH`, ...(sort ? [`${sort.name}:${sort.type}:RANGE`] : [])].join(
      ',',
    );

  const expectedKeys = want(definition.partitionKey, definition.sortKey);
  if (keysOf(table.KeySchema) !== expectedKeys) {
    issues.push(`keys are ${keysOf(table.KeySchema) || 'none'}, expected ${expectedKeys}`);
  }
  if (ttl && (ttl.TimeToLiveStatus !== 'ENABLED' || ttl.AttributeName !== definition.timeToLiveAttribute)) {
    issues.push(
      `TTL is ${ttl.TimeToLiveStatus ?? 'unknown'}${ttl.AttributeName ? ` on ${ttl.AttributeName}` : ''}, ` +
        `expected ENABLED on ${definition.timeToLiveAttribute}`,
    );
  }
  const indexes = new Map(table.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index]));
  for (const expected of definition.globalIndexes) {
    const index = indexes.get(expected.indexName);
    if (!index) {
      issues.push(`index ${expected.indexName} is missing`);
      continue;
    }
    const expectedIndexKeys = want(expected.partitionKey, expected.sortKey);
    if (keysOf(index.KeySchema) !== expectedIndexKeys) {
      issues.push(
        `index ${expected.indexName} has keys ${keysOf(index.KeySchema)}, expected ${expectedIndexKeys}`,
      );
    }
    if (index.Projection?.ProjectionType !== 'ALL') {
      issues.push(
        `index ${expected.indexName} projects ${index.Projection?.ProjectionType ?? 'nothing'}, expected ALL`,
      );
    }
  }
  const extra = [...indexes.keys()].filter(
    (name) => !definition.globalIndexes.some((index) => index.indexName === name),
  );
  if (extra.length > 0) issues.push(`unexpected indexes ${extra.join(', ')}`);
  return issues;
}

function keyText(definition: TableDefinition): string {
  return [definition.partitionKey.name, definition.sortKey?.name].filter(Boolean).join('+');
}
