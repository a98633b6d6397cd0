/**
 * Spend caps, checked before the repository and global budgets: at most so many model calls per job, per PR per UTC
 * day, and per untrusted author per UTC day (`cap#…` items in the State table). Budgets alone let one run or one
 * author spend a repository's day (docs/security.md, attack 5); a capped report gets the rules analyst instead.
 *
 * Each counter is a conditional `ADD` (`calls < cap`), so concurrent reports never pass a cap. A report's decision
 * is stored first (`cap#report#<digest>`), so a redelivery counts nothing twice. Counters already raised for a
 * report that a later counter refuses are lowered again. No transactions: dynalite, the local fallback, has none.
 */
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { spendCapKey, spendReservationKey, utcDay } from '../../shared/contract/keys';
import type { SpendCapLimits } from './read-analyzer-config';
import type { VerifiedJob } from './verified-job';

export interface SpendCapsOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly limits: SpendCapLimits;
  readonly now: () => Date;
}

interface Counter {
  readonly scope: string;
  readonly limit: number;
  readonly reason: string;
}

/** Long enough for a job's retries; the daily counters need only their day. */
const CAP_TTL_SECONDS = 3 * 24 * 3600;

export class SpendCaps {
  readonly #options: SpendCapsOptions;

  constructor(options: SpendCapsOptions) {
    this.#options = options;
  }

  /**
   * Takes one model call from every cap that applies to the job, or none. Resolves with why the report may not
   * call the model, or undefined when it may (also for a redelivery of a report that was allowed before).
   */
  async reserve(reportDigest: string, job: VerifiedJob): Promise<string | undefined> {
    const previous = await this.#decision(reportDigest);
    if (previous !== undefined) return previous === 'allowed' ? undefined : previous;
    const counters = countersFor(job, this.#options.limits, utcDay(this.#options.now()));
    const taken: Counter[] = [];
    let refusal: string | undefined;
    for (const counter of counters) {
      if (await this.#take(counter)) taken.push(counter);
      else {
        refusal = counter.reason;
        break;
      }
    }
    if (refusal !== undefined) await Promise.all(taken.map((counter) => this.#giveBack(counter)));
    await this.#record(reportDigest, refusal ?? 'allowed');
    return refusal;
  }

  async #take(counter: Counter): Promise<boolean> {
    if (counter.limit <= 0) return false;
    try {
      await this.#options.client.send(
        new UpdateItemCommand({
          TableName: this.#options.tableName,
          Key: toKey(spendCapKey(counter.scope)),
          UpdateExpression: 'ADD calls :one SET expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(calls) OR calls < :limit',
          ExpressionAttributeValues: {
            ':one': { N: '1' },
            ':limit': { N: String(counter.limit) },
            ':expiresAt': this.#expiresAt(),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async #giveBack(counter: Counter): Promise<void> {
    await this.#options.client.send(
      new UpdateItemCommand({
        TableName: this.#options.tableName,
        Key: toKey(spendCapKey(counter.scope)),
        UpdateExpression: 'ADD calls :minusOne',
        ExpressionAttributeValues: { ':minusOne': { N: '-1' } },
      }),
    );
  }

  async #decision(reportDigest: string): Promise<string | undefined> {
    const { Item } = await this.#options.client.send(
      new GetItemCommand({
        TableName: this.#options.tableName,
        Key: toKey(spendReservationKey(reportDigest)),
        ConsistentRead: true,
      }),
    );
    return Item?.decision?.S;
  }

  async #record(reportDigest: string, decision: string): Promise<void> {
    await this.#options.client.send(
      new PutItemCommand({
        TableName: this.#options.tableName,
        Item: {
          ...toKey(spendReservationKey(reportDigest)),
          decision: { S: decision },
          expiresAt: this.#expiresAt(),
        },
      }),
    );
  }

  #expiresAt(): AttributeValue {
    return { N: String(Math.floor(this.#options.now().getTime() / 1000) + CAP_TTL_SECONDS) };
  }
}

/**
 * The caps of one job: always its own; its PR's; its author's when the context is untrusted (a trusted push's
 * author is often the merge bot, which must not run out on a busy trunk; trusted contexts stay under the budgets).
 */
function countersFor(job: VerifiedJob, limits: SpendCapLimits, day: string): Counter[] {
  const counters: Counter[] = [
    {
      scope: `job#${job.jobId}`,
      limit: limits.perJob,
      reason: `this job already had ${limits.perJob} model analyses (the per-job cap)`,
    },
  ];
  if (job.prNumber !== undefined) {
    counters.push({
      scope: `${day}#pr#${job.repo}#${job.prNumber}`,
      limit: limits.perPrPerDay,
      reason: `PR #${job.prNumber} already had ${limits.perPrPerDay} model analyses today (the per-PR cap)`,
    });
  }
  const author = job.prAuthor ?? job.actor;
  if (!job.trusted && author !== undefined) {
    counters.push({
      scope: `${day}#author#${author.toLowerCase()}`,
      limit: limits.perAuthorPerDay,
      reason: `${author} already had ${limits.perAuthorPerDay} model analyses today (the per-author cap)`,
    });
  }
  return counters;
}

function toKey(key: { pk: string; sk: string }) {
  return { pk: { S: key.pk }, sk: { S: key.sk } };
}
