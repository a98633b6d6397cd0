/**
 * The DynamoDB tables (Results and State), built from the definitions in shared/tables.ts that the local stand-ins
 * use too, so production and local tables cannot drift apart.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { type KeyAttribute, TABLES, type TableDefinition } from '../../shared/contract/tables';

export class StateTables extends Construct {
  readonly tables: Readonly<Record<TableDefinition['logicalName'], Table>>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const tables: Partial<Record<TableDefinition['logicalName'], Table>> = {};
    for (const definition of TABLES) {
      tables[definition.logicalName] = createTable(this, definition);
    }
    this.tables = tables as Record<TableDefinition['logicalName'], Table>;
  }

  get results(): Table {
    return this.tables.Results;
  }

  get state(): Table {
    return this.tables.State;
  }
}

function createTable(scope: Construct, definition: TableDefinition): Table {
  const table = new Table(scope, definition.logicalName, {
    partitionKey: toAttribute(definition.partitionKey),
    sortKey: definition.sortKey ? toAttribute(definition.sortKey) : undefined,
    billingMode: BillingMode.PAY_PER_REQUEST,
    timeToLiveAttribute: definition.timeToLiveAttribute,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    // The dedup history and budgets outlive any one deployment of the code.
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  for (const index of definition.globalIndexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.indexName,
      partitionKey: toAttribute(index.partitionKey),
      sortKey: toAttribute(index.sortKey),
      // The dashboard renders whole summaries from the index without a second read per item.
      projectionType: ProjectionType.ALL,
    });
  }
  return table;
}

function toAttribute(key: KeyAttribute): { name: string; type: AttributeType } {
  return { name: key.name, type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER };
}
