/**
 * Daily model spend, globally and per repository (`budget#<YYYY-MM-DD>` items in the State table). The check happens
 * before a call and the charge after it, so concurrent calls can overshoot a budget by at most one call each; a
 * budget is a brake on runaway cost, not an invoice.
 */
import { type DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { budgetKey, utcDay } from '../../shared/contract/keys';

export interface BudgetLedgerOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly dailyBudgetUsd: number;
  readonly repoDailyBudgetUsd: number;
  readonly now: () => Date;
}

const BUDGET_TTL_SECONDS = 3 * 24 * 3600;

export class BudgetLedger {
  readonly #options: BudgetLedgerOptions;

  constructor(options: BudgetLedgerOptions) {
    this.#options = options;
  }

  /** Why no model may be called for this repository today, or undefined when there is budget left. */
  async exhaustedBudget(repo: string): Promise<string | undefined> {
    const day = utcDay(this.#options.now());
    const [global, perRepo] = await Promise.all([this.#spent(day, '*'), this.#spent(day, repo)]);
    if (global >= this.#options.dailyBudgetUsd * 1e6) {
      return `the global daily model budget of $${this.#options.dailyBudgetUsd} is spent`;
    }
    if (perRepo >= this.#options.repoDailyBudgetUsd * 1e6) {
      return `the daily model budget of $${this.#options.repoDailyBudgetUsd} for ${repo} is spent`;
    }
    return undefined;
  }

  async charge(repo: string, microUsd: number): Promise<void> {
    const now = this.#options.now();
    const day = utcDay(now);
    const expiresAt = String(Math.floor(now.getTime() / 1000) + BUDGET_TTL_SECONDS);
    await Promise.all(
      (['*', repo] as const).map((scope) =>
        this.#options.client.send(
          new UpdateItemCommand({
            TableName: this.#options.tableName,
            Key: toKey(budgetKey(day, scope)),
            UpdateExpression: 'ADD spentMicroUsd :cost, calls :one SET expiresAt = :expiresAt',
            ExpressionAttributeValues: {
              ':cost': { N: String(microUsd) },
              ':one': { N: '1' },
              ':expiresAt': { N: expiresAt },
            },
          }),
        ),
      ),
    );
  }

  async #spent(day: string, scope: string): Promise<number> {
    const { Item } = await this.#options.client.send(
      new GetItemCommand({
        TableName: this.#options.tableName,
        Key: toKey(budgetKey(day, scope)),
        ProjectionExpression: 'spentMicroUsd',
      }),
    );
    return Number(Item?.spentMicroUsd?.N ?? 0);
  }
}

function toKey(key: { pk: string; sk: string }) {
  return { pk: { S: key.pk }, sk: { S: key.sk } };
}
