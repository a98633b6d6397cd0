/** Creates the osdc-rca tables (shapes from shared/tables.ts) in a local DynamoDB. Idempotent. */
import {
  type AttributeDefinition,
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { TABLES, type TableDefinition } from '../../../../shared/contract/tables';

export type TableNames = Record<TableDefinition['logicalName'], string>;

/** Table names for a prefix: `osdc-rca-Results`, `osdc-rca-State`. */
export function tableNames(prefix = 'osdc-rca'): TableNames {
  return { Results: `${prefix}-Results`, State: `${prefix}-State` };
}

export async function createTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  for (const table of TABLES) {
    const name = names[table.logicalName];
    const attributes = new Map<string, AttributeDefinition>();
    const addAttribute = (key: { name: string; type: 'S' | 'N' }) =>
      attributes.set(key.name, { AttributeName: key.name, AttributeType: key.type });
    addAttribute(table.partitionKey);
    if (table.sortKey) addAttribute(table.sortKey);
    for (const index of table.globalIndexes) {
      addAttribute(index.partitionKey);
      addAttribute(index.sortKey);
    }
    try {
      await client.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [...attributes.values()],
          KeySchema: [
            { AttributeName: table.partitionKey.name, KeyType: 'HASH' },
            ...(table.sortKey ? [{ AttributeName: table.sortKey.name, KeyType: 'RANGE' as const }] : []),
          ],
          GlobalSecondaryIndexes: table.globalIndexes.length
            ? table.globalIndexes.map((index) => ({
                IndexName: index.indexName,
                KeySchema: [
                  { AttributeName: index.partitionKey.name, KeyType: 'HASH' as const },
                  { AttributeName: index.sortKey.name, KeyType: 'RANGE' as const },
                ],
                Projection: { ProjectionType: 'ALL' as const },
              }))
            : undefined,
        }),
      );
    } catch (error) {
      if (error instanceof ResourceInUseException) continue;
      throw error;
    }
    try {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: name,
          TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
        }),
      );
    } catch {
      // dynalite has no TTL API; expiry is not needed locally.
    }
  }
}
