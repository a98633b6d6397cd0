/** Small helpers for the State table's items in DynamoDB's attribute-value form. */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export type StateItem = Record<string, AttributeValue>;

export const DAY_MS = 86_400_000;
/** How long a signature's summary outlives its last occurrence. */
export const SUMMARY_TTL_MS = 90 * DAY_MS;

export function numberOf(value: AttributeValue | undefined): number {
  return value?.N === undefined ? 0 : Number(value.N);
}

export function keyOf(key: { pk: string; sk: string }): StateItem {
  return { pk: { S: key.pk }, sk: { S: key.sk } };
}

export function epochSeconds(ms: number): string {
  return String(Math.floor(ms / 1000));
}

/** The `d_…` and `h_…` counters of a summary item. */
export function bucketsOf(item: StateItem): Record<string, number> {
  const buckets: Record<string, number> = {};
  for (const [attribute, value] of Object.entries(item)) {
    if ((attribute.startsWith('d_') || attribute.startsWith('h_')) && value.N !== undefined) {
      buckets[attribute] = Number(value.N);
    }
  }
  return buckets;
}
