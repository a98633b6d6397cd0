/**
 * The DynamoDB tables of osdc-rca, described as plain data so that the CDK app (infra/) and the local
 * stand-ins (services/local/) create exactly the same shapes. See docs/data-model.md for what lives where.
 */

export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

export interface GlobalIndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
}

export interface TableDefinition {
  /** Logical name: used for construct ids and for local table names. */
  readonly logicalName: 'Results' | 'State';
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly timeToLiveAttribute: string;
  readonly globalIndexes: readonly GlobalIndexDefinition[];
}

/** Name of the TTL attribute (epoch seconds) on every table. */
export const TTL_ATTRIBUTE = 'expiresAt';

/**
 * Results: one item per report (`report#<id>`, the analyzer's idempotency state and the finished analysis the
 * reporter prints inline) and one per cached analysis (`cache#<promptVersion>#<repo>#<signature>`). Runner pods may
 * GetItem here and nothing else, so nothing in this table is secret beyond what a job log would show.
 */
export const RESULTS_TABLE: TableDefinition = {
  logicalName: 'Results',
  partitionKey: { name: 'pk', type: 'S' },
  timeToLiveAttribute: TTL_ATTRIBUTE,
  globalIndexes: [],
};

/** The rank indexes of the State table, one per dashboard window. */
export const RANK_INDEXES = {
  '24h': { indexName: 'byRank24h', sortKey: 'c24h' },
  '7d': { indexName: 'byRank7d', sortKey: 'c7d' },
  '30d': { indexName: 'byRank30d', sortKey: 'c30d' },
} as const;

export type RankWindow = keyof typeof RANK_INDEXES;

/** Partition key attribute of the rank indexes; every signature summary item carries the same value. */
export const RANK_PARTITION_ATTRIBUTE = 'rankPk';
export const RANK_PARTITION_VALUE = 'sig';

/**
 * State: signature summaries with their time buckets, occurrences and daily budgets. Only the analyzer writes it;
 * the dashboard reads it with Query on keys and the rank indexes, never Scan.
 */
export const STATE_TABLE: TableDefinition = {
  logicalName: 'State',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  timeToLiveAttribute: TTL_ATTRIBUTE,
  globalIndexes: Object.values(RANK_INDEXES).map((index) => ({
    indexName: index.indexName,
    partitionKey: { name: RANK_PARTITION_ATTRIBUTE, type: 'S' as const },
    sortKey: { name: index.sortKey, type: 'N' as const },
  })),
};

export const TABLES: readonly TableDefinition[] = [RESULTS_TABLE, STATE_TABLE];
