/**
 * Window counts from a signature's time buckets (`d_YYYYMMDD`, `h_YYYYMMDDHH`, see docs/data-model.md). The analyzer
 * stores them in the rank indexes and the dashboard recomputes them at read time, so both must agree on exactly
 * which buckets a window sums: this module is that agreement.
 */
import { dayAttribute, hourAttribute } from './keys';
import type { RankWindow } from './tables';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** How many buckets each window sums, and of which kind. */
export const WINDOW_SPANS: Readonly<
  Record<RankWindow, { readonly unit: 'hour' | 'day'; readonly buckets: number }>
> = {
  '24h': { unit: 'hour', buckets: 24 },
  '7d': { unit: 'day', buckets: 7 },
  '30d': { unit: 'day', buckets: 30 },
};

/** Hour buckets feed only the 24 h window; two days of them cover it with room for clock skew. */
export const HOUR_BUCKET_RETENTION_MS = 2 * DAY_MS;
/** Day buckets feed the 30 d window and the per-day chart. */
export const DAY_BUCKET_RETENTION_MS = 31 * DAY_MS;

/** A window's bucket attribute names, oldest first, ending with the bucket of `now`. */
export function windowBucketNames(window: RankWindow, now: Date): string[] {
  const { unit, buckets } = WINDOW_SPANS[window];
  const step = unit === 'hour' ? HOUR_MS : DAY_MS;
  const name = unit === 'hour' ? hourAttribute : dayAttribute;
  const names: string[] = [];
  for (let back = buckets - 1; back >= 0; back -= 1) names.push(name(new Date(now.getTime() - back * step)));
  return names;
}

/**
 * Occurrences of a window, summed from `buckets` (any record holding bucket attributes). Buckets after `now` count
 * too: another writer's clock may run ahead, and a stored count must stay an upper bound of the true one.
 */
export function countInWindow(
  buckets: Readonly<Record<string, number>>,
  window: RankWindow,
  now: Date,
): number {
  const first = windowBucketNames(window, now)[0]!;
  const prefix = first.slice(0, 2);
  let count = 0;
  for (const [name, value] of Object.entries(buckets)) {
    if (name.startsWith(prefix) && name.length === first.length && name >= first) count += value;
  }
  return count;
}

/** The per-bucket values of a window, oldest first (zeros where a bucket is absent): a sparkline's points. */
export function windowSeries(
  buckets: Readonly<Record<string, number>>,
  window: RankWindow,
  now: Date,
): Array<{ bucket: string; count: number }> {
  return windowBucketNames(window, now).map((bucket) => ({ bucket, count: buckets[bucket] ?? 0 }));
}

/** Bucket attributes among `names` that no window or chart reads any more, to be removed by the next writer. */
export function expiredBucketNames(names: Iterable<string>, now: Date): string[] {
  const oldestHour = hourAttribute(new Date(now.getTime() - HOUR_BUCKET_RETENTION_MS));
  const oldestDay = dayAttribute(new Date(now.getTime() - DAY_BUCKET_RETENTION_MS));
  const expired: string[] = [];
  for (const name of names) {
    if (/^h_\d{10}$/.test(name) && name < oldestHour) expired.push(name);
    else if (/^d_\d{8}$/.test(name) && name < oldestDay) expired.push(name);
  }
  return expired;
}

/** The start of a window's oldest bucket: no occurrence before it counts. */
export function windowStart(window: RankWindow, now: Date): Date {
  const { unit, buckets } = WINDOW_SPANS[window];
  const step = unit === 'hour' ? HOUR_MS : DAY_MS;
  return new Date(Math.floor(now.getTime() / step) * step - (buckets - 1) * step);
}
