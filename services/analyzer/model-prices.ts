/**
 * Estimated model cost from Bedrock's usage tokens. Prices are list prices in US dollars per million tokens; they
 * only drive the daily budgets, so an estimate that errs high is the safe side.
 */

export interface ModelPrice {
  readonly inputPerMillion: number;
  readonly outputPerMillion: number;
}

/** Matched against the model id by substring, first match wins; the last entry prices anything unknown. */
export const DEFAULT_MODEL_PRICES: ReadonlyArray<readonly [pattern: string, price: ModelPrice]> = [
  ['haiku', { inputPerMillion: 1, outputPerMillion: 5 }],
  ['sonnet', { inputPerMillion: 3, outputPerMillion: 15 }],
  ['opus', { inputPerMillion: 5, outputPerMillion: 25 }],
  ['', { inputPerMillion: 15, outputPerMillion: 75 }],
];

export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** The cost of one call in micro-dollars (whole numbers, so DynamoDB `ADD` stays exact). */
export function estimateCostMicroUsd(
  modelId: string,
  usage: TokenUsage,
  prices: ReadonlyArray<readonly [string, ModelPrice]> = DEFAULT_MODEL_PRICES,
): number {
  const id = modelId.toLowerCase();
  const price = prices.find(([pattern]) => id.includes(pattern))?.[1] ?? {
    inputPerMillion: 0,
    outputPerMillion: 0,
  };
  return Math.ceil(usage.inputTokens * price.inputPerMillion + usage.outputTokens * price.outputPerMillion);
}
