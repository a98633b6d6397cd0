/**
 * The two figures of the signature benchmark: whether the first key line lies in the labelled failure, and how well
 * "same strong signature" groups the logs of one repository that share a labelled failure.
 */

import type { FailureSignature } from '../shared/signature/types';
import { stripAnsi } from '../shared/text/normalize';
import type { LabelledLog } from './shared-data';

/** Whether the signature's first key line lies in the label (any occurrence of a LogChunks chunk counts). */
export function keyLineHit(log: LabelledLog, signature: FailureSignature): boolean {
  const first = signature.keyLines[0]?.line;
  return (
    first !== undefined &&
    [...log.ranges, ...log.otherOccurrences].some((range) => first >= range.first && first <= range.last)
  );
}

/**
 * Ground truth of grouping: the labelled chunk with digits, hex and paths masked (`strict`, as measured before issue
 * 17). The default also masks `0x`-prefixed hex (the strict mask misses `0x7f61e161cb00`: no word boundary after the
 * `x`), drops shell xtrace markers (`+ cmd`, `+cmd`: set -x echoing the command the label quotes), reads a quote and
 * the data set's `sq` spelling of it alike, and compares the label's lines as a set, since tools print unordered
 * lists in any order (conda's missing packages). Both are
 * printed; the default is the one to tune on.
 */
export function groupKey(label: string, strict = false): string {
  const masked = (text: string): string =>
    text
      .replace(/(?:[A-Za-z]:)?(?:[\\/][^\s\\/:'"]+)+[\\/]?/g, '<path>')
      .replace(strict ? /^(?!)/ : /\b0x[0-9a-f]+\b/gi, '<hex>')
      .replace(/\b(?=[0-9a-f]*\d)[0-9a-f]{6,}\b/gi, '<hex>')
      .replace(/\d+/g, '0')
      .replace(/\s+/g, ' ')
      .trim();
  const text = stripAnsi(label).replace(/\r/g, '');
  if (strict) return masked(text);
  // Some LogChunks labels spell a single quote `sq` (`didnsqt`, `kernel=sqlinearsq`); others keep the quote.
  const quoted = text.replace(/'/g, 'sq');
  const lines = quoted.split('\n').map((line) => masked(line.replace(/^\s*\+{1,3} ?(?=\S)/, '')));
  return [...new Set(lines.filter((line) => line.length > 0))].sort().join('\n');
}

export interface Grouped {
  readonly log: LabelledLog;
  readonly signature: FailureSignature;
}

export interface Pair<T extends Grouped> {
  readonly a: T;
  readonly b: T;
}

export interface Grouping<T extends Grouped> {
  /** `undefined` when no pair was grouped at all (nothing to be precise about). */
  readonly precision: number | undefined;
  readonly recall: number | undefined;
  readonly pairs: number;
  readonly truePositives: number;
  /** Same strong signature, different labelled failure: one failure's analysis reused for another. */
  readonly falseMerges: readonly Pair<T>[];
  /** Same labelled failure, different (or weak) signatures: one more model call. */
  readonly falseSplits: readonly Pair<T>[];
}

/**
 * Pairwise precision and recall within each repository. Only strong signatures group: a weak one is never shared
 * across jobs (no cache reuse), so two weak signatures that happen to be equal are a split, not a merge.
 */
export function grouping<T extends Grouped>(entries: readonly T[], strict = false): Grouping<T> {
  const byRepo = new Map<string, T[]>();
  for (const entry of entries) byRepo.set(entry.log.repo, [...(byRepo.get(entry.log.repo) ?? []), entry]);
  let truePositives = 0;
  let pairs = 0;
  const falseMerges: Pair<T>[] = [];
  const falseSplits: Pair<T>[] = [];
  for (const group of byRepo.values()) {
    const keys = group.map((entry) => groupKey(entry.log.labelText, strict));
    for (let i = 0; i < group.length; i += 1) {
      for (let j = i + 1; j < group.length; j += 1) {
        pairs += 1;
        const pair = { a: group[i]!, b: group[j]! };
        const same = keys[i] === keys[j];
        const predicted =
          pair.a.signature.strength === 'strong' && pair.a.signature.signature === pair.b.signature.signature;
        if (same && predicted) truePositives += 1;
        else if (predicted) falseMerges.push(pair);
        else if (same) falseSplits.push(pair);
      }
    }
  }
  const ratio = (part: number, whole: number): number | undefined => (whole === 0 ? undefined : part / whole);
  return {
    precision: ratio(truePositives, truePositives + falseMerges.length),
    recall: ratio(truePositives, truePositives + falseSplits.length),
    pairs,
    truePositives,
    falseMerges,
    falseSplits,
  };
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)}%`;
}

/** Three decimals, cut rather than rounded: 0.9496 prints 0.949, so a figure never rounds up onto its target. */
export function fixed(value: number | undefined): string {
  return value === undefined ? 'n/a' : (Math.floor(value * 1000) / 1000).toFixed(3);
}
