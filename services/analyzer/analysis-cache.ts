/**
 * The signature cache and its single-flight lease (`cache#<promptVersion>#<repo>#<signature>#<scope>` in the Results
 * table, see docs/data-model.md). A burst of the same failure across many jobs makes one model call per trust scope:
 * the first report takes its scope's lease with a conditional write, the others fail their SQS record
 * (LeaseHeldError, retried after a short delay) and find the answer cached when SQS redelivers them. Only strong
 * signatures come here; weak ones are never shared between jobs.
 *
 * Reuse is trust-scoped (shared/contract/trust-scope.ts): a job reads the repository's trusted answer first, then its
 * own scope's, and never another PR's. An untrusted job also waits while a trusted job holds the repository's lease,
 * since the answer on its way serves it too; a trusted job never waits for, nor reuses, an untrusted answer.
 */
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { type AnalysisRecord, AnalysisRecordSchema } from '../../shared/contract/analysis';
import { cacheKey } from '../../shared/contract/keys';
import type { TrustScope } from '../../shared/contract/trust-scope';
import { LeaseHeldError } from './errors';

export type CacheClaim =
  | { readonly kind: 'hit'; readonly record: AnalysisRecord }
  /** This report holds the lease: analyse, then `store`. */
  | { readonly kind: 'lease' };

/** The scopes of one job: the one its own answer and lease go under, and those it may reuse from, best first. */
export interface CacheScopes {
  readonly own: TrustScope;
  readonly reuse: readonly TrustScope[];
}

export interface AnalysisCacheOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly leaseSeconds: number;
  readonly now: () => Date;
}

export class AnalysisCache {
  readonly #options: AnalysisCacheOptions;

  constructor(options: AnalysisCacheOptions) {
    this.#options = options;
  }

  /**
   * A fresh cached analysis from one of the job's reuse scopes (and one more hit), or the lease of its own scope.
   * Throws LeaseHeldError while another report holds an unexpired lease this job should wait for.
   */
  async claim(repo: string, signature: string, scopes: CacheScopes, reportId: string): Promise<CacheClaim> {
    const now = this.#options.now();
    let awaited: LeaseHeldError | undefined;
    for (const scope of scopes.reuse) {
      const key = this.#key(repo, signature, scope);
      const cached = await this.#readFresh(key);
      if (cached.record) return this.#hit(key, cached.record);
      if (
        scope !== scopes.own &&
        cached.leaseOwner !== undefined &&
        (cached.leaseExpiresAt ?? 0) > now.getTime()
      ) {
        awaited = new LeaseHeldError(signature, cached.leaseOwner, cached.leaseExpiresAt);
      }
    }
    if (awaited) throw awaited;

    const key = this.#key(repo, signature, scopes.own);
    try {
      await this.#options.client.send(
        new PutItemCommand({
          TableName: this.#options.tableName,
          Item: {
            ...key,
            status: { S: 'leased' },
            leaseOwner: { S: reportId },
            leaseExpiresAt: { N: String(now.getTime() + this.#options.leaseSeconds * 1000) },
            updatedAt: { S: now.toISOString() },
            expiresAt: { N: String(epochSeconds(now) + this.#options.leaseSeconds * 2) },
          },
          // Free, ours already (a redelivery of the lease holder), an abandoned lease, or an expired answer.
          ConditionExpression:
            'attribute_not_exists(pk) OR leaseOwner = :me OR (#status = :leased AND leaseExpiresAt < :nowMs) OR ' +
            '(#status = :done AND expiresAt < :nowSeconds)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':me': { S: reportId },
            ':leased': { S: 'leased' },
            ':done': { S: 'done' },
            ':nowMs': { N: String(now.getTime()) },
            ':nowSeconds': { N: String(epochSeconds(now)) },
          },
        }),
      );
      return { kind: 'lease' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const after = await this.#readFresh(key);
    if (after.record) return this.#hit(key, after.record);
    throw new LeaseHeldError(signature, after.leaseOwner ?? 'unknown', after.leaseExpiresAt);
  }

  /** Stores the answer; `ttlSeconds` is short for a rules fallback so the model gets another chance soon. */
  async store(
    repo: string,
    signature: string,
    scope: TrustScope,
    record: AnalysisRecord,
    ttlSeconds: number,
  ): Promise<void> {
    const now = this.#options.now();
    await this.#options.client.send(
      new PutItemCommand({
        TableName: this.#options.tableName,
        Item: {
          ...this.#key(repo, signature, scope),
          status: { S: 'done' },
          record: { S: JSON.stringify(record) },
          hits: { N: '0' },
          updatedAt: { S: now.toISOString() },
          expiresAt: { N: String(epochSeconds(now) + ttlSeconds) },
        },
      }),
    );
  }

  async #readFresh(
    key: Record<string, AttributeValue>,
  ): Promise<{ record?: AnalysisRecord; leaseOwner?: string; leaseExpiresAt?: number }> {
    const { Item } = await this.#options.client.send(
      new GetItemCommand({ TableName: this.#options.tableName, Key: key, ConsistentRead: true }),
    );
    if (!Item) return {};
    // DynamoDB deletes expired items lazily (within days), so expiry is checked here.
    const fresh = Number(Item.expiresAt?.N ?? 0) > epochSeconds(this.#options.now());
    const json = Item.record?.S;
    if (Item.status?.S === 'done' && fresh && json !== undefined) {
      const parsed = AnalysisRecordSchema.safeParse(safeJson(json));
      if (parsed.success) return { record: parsed.data };
    }
    const leaseExpiresAt = Item.leaseExpiresAt?.N;
    return {
      ...(Item.leaseOwner?.S === undefined ? {} : { leaseOwner: Item.leaseOwner.S }),
      ...(leaseExpiresAt === undefined ? {} : { leaseExpiresAt: Number(leaseExpiresAt) }),
    };
  }

  async #hit(key: Record<string, AttributeValue>, record: AnalysisRecord): Promise<CacheClaim> {
    await this.#options.client.send(
      new UpdateItemCommand({
        TableName: this.#options.tableName,
        Key: key,
        UpdateExpression: 'ADD hits :one',
        ExpressionAttributeValues: { ':one': { N: '1' } },
      }),
    );
    return { kind: 'hit', record };
  }

  #key(repo: string, signature: string, scope: TrustScope): Record<string, AttributeValue> {
    return { pk: { S: cacheKey(repo, signature, scope) } };
  }
}

function epochSeconds(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}

function safeJson(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}
