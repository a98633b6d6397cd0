/**
 * Finding secrets as ranges of a text rather than replacing them at once: a caller that must cut text (a long line
 * kept in part, two wrapped lines) first learns where every secret is, so that no cut splits one.
 */
import type { SecretPattern } from './secret-patterns';

/** `text.slice(start, end)` is a secret; `id` names the pattern (or `exact-value`) that found it. */
export interface SecretRange {
  readonly start: number;
  readonly end: number;
  readonly id: string;
  /** Where the evidence that found it starts (its key word, `password=`), if before `start`: text cut between the
   * two would lose the key, and with it the reason to redact. */
  readonly keyStart?: number;
}

export interface SecretMatchers {
  /** Compiled with the `d` flag, so that the `secret` group's place is known. */
  readonly patterns: readonly SecretPattern[];
  /** Any hint of any pattern, tested on the lowercased text first. */
  readonly anyHint: RegExp;
  /** The exact values to mask, as one global alternation (longest first). */
  readonly masks: RegExp | undefined;
}

/** Already redacted: a value that is only the mask is not a secret again. */
const MASK = '***';

/**
 * The secrets in `text`, sorted and merged where they overlap (a token inside `token=…` found by two patterns is
 * one secret).
 */
export function secretRanges(text: string, matchers: SecretMatchers): SecretRange[] {
  const ranges: SecretRange[] = [];
  if (matchers.masks) {
    for (const match of text.matchAll(matchers.masks)) {
      ranges.push({ start: match.index, end: match.index + match[0].length, id: 'exact-value' });
    }
  }
  const lower = text.toLowerCase();
  if (matchers.anyHint.test(lower)) {
    for (const { id, pattern, hints, accept } of matchers.patterns) {
      if (!hints.some((hint) => lower.includes(hint))) continue;
      // Most hinted lines hold no match: one `test` is cheaper than setting up `matchAll`.
      pattern.lastIndex = 0;
      const found = pattern.test(text);
      // `matchAll` starts where the pattern's `lastIndex` is: back to the start, or the first match is skipped.
      pattern.lastIndex = 0;
      if (!found) continue;
      for (const match of text.matchAll(pattern)) {
        if (accept && !accept(match.groups ?? {}, text, match.index)) continue;
        const [start, end] = match.indices?.groups?.secret ??
          match.indices?.[0] ?? [match.index, match.index];
        if (end <= start || text.slice(start, end) === MASK) continue;
        ranges.push(match.index < start ? { start, end, id, keyStart: match.index } : { start, end, id });
      }
    }
  }
  return ranges.length > 1 ? mergeRanges(ranges) : ranges;
}

/** Sorts ranges and merges those that overlap or touch; a merged range keeps the first one's id. */
export function mergeRanges(ranges: readonly SecretRange[]): SecretRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: SecretRange[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last && range.start <= last.end) {
      const keyStart = Math.min(last.keyStart ?? last.start, range.keyStart ?? range.start);
      merged[merged.length - 1] = { ...last, end: Math.max(last.end, range.end), keyStart };
    } else {
      merged.push(range);
    }
  }
  return merged;
}
