/**
 * Context selection: what the model sees of a failed step's log, within a byte budget. It keeps the end of the log
 * (where the step's final words are), the failure's key lines with generous windows after them (diagnostics follow
 * their first line) or before them (a summary follows its cause), the first failing test result found by shape, the
 * first failure of each kind, then windows around other rule matches and error-looking lines, nearest the failure
 * first and inside the failed command's output first; in log order, with elision markers between them and runs of
 * near-identical lines (progress bars, retries) collapsed.
 */

import { findFirstFailure } from '../log/first-failure';
import { scoreLine } from '../log/line-score';
import { type SnapshotLine, snapshotLines } from '../log/snapshot-lines';
import type { CaptureSnapshot } from '../log/types';
import { findKeyLines } from '../signature/find-key-lines';
import { matchRules } from '../signature/match-rules';
import { SIGNATURE_RULES } from '../signature/rules';
import { genericKindOf } from '../text/line-genericness';
import { DEFAULT_CONTEXT_BUDGET_BYTES } from './constants';
import { failingCommandSpan } from './failing-command';
import type { ContextLine, SelectedContext } from './types';

export interface SelectContextOptions {
  /** UTF-8 bytes of `text`, elision markers included. Default 24 KiB. */
  readonly budgetBytes?: number;
  /** Rules left out, by id (cross-validation in the benchmark; production passes none). */
  readonly withoutRules?: ReadonlySet<string>;
  /** Scorer patterns left out, by number (see `scoreLine`; likewise). */
  readonly withoutScorePatterns?: ReadonlySet<number>;
}

/** Share of the budget that always goes to the end of the log; less when a rule found the failure. */
const TAIL_SHARE = 0.2;
const TAIL_SHARE_ANCHORED = 0.1;
/** Reserved per elision marker (`… 1,234,567 lines omitted …` is 33 bytes). */
const MARKER_BYTES = 40;
/** Lines longer than this are cut: one minified blob must not eat the budget. */
const MAX_LINE_BYTES = 600;
/** Runs of this many or more lines that differ only in digits are collapsed. */
const COLLAPSE_RUN = 6;
/** Ranked windows outside the failed command's output come after every window inside it. */
const OUTSIDE_RANK = 4;

const encoder = new TextEncoder();

/**
 * Selects the context of a capture snapshot (or of a whole log wrapped as one).
 *
 * @example
 * const context = selectContext(capture.snapshot(), { budgetBytes: 8 * 1024 });
 * context.text; // what the model sees, at most 8 KiB
 */
export function selectContext(
  snapshot: CaptureSnapshot,
  options: SelectContextOptions = {},
): SelectedContext {
  const budget = Math.max(256, Math.floor(options.budgetBytes ?? DEFAULT_CONTEXT_BUDGET_BYTES));
  const lines = collapseRuns(snapshotLines(snapshot));
  const texts = lines.map((line) => clipLine(line.text, Math.min(MAX_LINE_BYTES, Math.floor(budget / 8))));
  const costs = texts.map((text) => encoder.encode(text).length + 1);
  const joined = lines.map((line, index) => index > 0 && lines[index - 1]!.line === line.line - 1);
  const picker = new Picker(costs, joined, budget - MARKER_BYTES);

  const matches = matchRules(lines, options.withoutRules ? { withoutRules: options.withoutRules } : {});
  const found = findKeyLines(lines, matches);
  const anchored = found !== undefined && found.rule.tier !== 'generic';
  picker.takeBackwards(lines.length - 1, Math.floor(budget * (anchored ? TAIL_SHARE_ANCHORED : TAIL_SHARE)));
  // The key lines' windows are worth their size at any budget; the other windows shrink with it.
  const scale = Math.min(1, budget / DEFAULT_CONTEXT_BUDGET_BYTES);
  const scaled = (count: number): number => Math.max(2, Math.round(count * scale));
  if (found) {
    // A summary's cause is the output before it; a specific match starts the diagnostics that follow it.
    const summary = found.rule.tier === 'summary';
    if (!summary) picker.takeWindow(found.matchIndex, scaled(8), 40);
    for (const index of found.keyIndices) {
      picker.takeWindow(index, summary ? 30 : scaled(8), summary ? 4 : 40);
    }
  }
  // Then the first failing test result found by shape (verdict rows, numbered failure blocks, per-test output): a test
  // run's first failure with its diagnostics is the likeliest cause, and runners no rule knows print it this way too.
  // Then the first match of every specific rule (the first failure of each kind, often the cause of later ones), with
  // the key lines' full window after it: a compiler error or failed test is followed by its diagnostics, and at small
  // budgets a scaled-down window showed the header without them (what the model needs most) yet still cost a marker.
  // Then the output before every command failure summary.
  const firstFailure = findFirstFailure(lines.map((line) => line.text));
  if (firstFailure) picker.takeWindow(firstFailure.index, scaled(4), 40);
  const firstOfRule = new Map<number, number>();
  for (const match of matches) {
    const tier = SIGNATURE_RULES[match.ruleIndex]!.tier;
    if (tier === 'specific' && !firstOfRule.has(match.ruleIndex))
      firstOfRule.set(match.ruleIndex, match.index);
  }
  for (const index of [...firstOfRule.values()].sort((a, b) => a - b))
    picker.takeWindow(index, scaled(4), 40);
  for (const match of matches) {
    if (SIGNATURE_RULES[match.ruleIndex]!.id === 'travis-command-failed')
      picker.takeWindow(match.index, scaled(20), 1);
  }
  const anchor = anchored ? found.matchIndex : undefined;
  const span = failingCommandSpan(lines.map((line) => line.text));
  const outside = (index: number): boolean => span !== undefined && (index < span.first || index > span.last);
  // Rule matches and scored lines, nearest the failure first. Outside the failed command's output (see
  // failingCommandSpan) only specific and summary matches are worth a window: a setup step's generic `error` words
  // (a changelog, a retried download) belong to commands that went on, and the tail is the better use of the budget.
  const ranked = matches
    .map((match) => ({ index: match.index, tier: tierOf(match.ruleIndex) }))
    .concat(scoredLines(lines, matches, options.withoutScorePatterns).map((index) => ({ index, tier: 3 })))
    .filter(({ index, tier }) => !(outside(index) && tier >= 2))
    .map(({ index, tier }) => ({
      index,
      rank: tier + distance(index, lines.length, anchor) + (outside(index) ? OUTSIDE_RANK : 0),
    }))
    .sort((a, b) => a.rank - b.rank);
  for (const { index } of ranked) picker.takeWindow(index, scaled(4), scaled(30));
  picker.takeBackwards(lines.length - 1, budget);
  return render(lines, texts, picker.selected, budget);
}

/** Lower is better: specific rule matches first, then summaries, then generic ones (scored lines are 3). */
function tierOf(ruleIndex: number): number {
  const tier = SIGNATURE_RULES[ruleIndex]!.tier;
  return tier === 'specific' ? 0 : tier === 'summary' ? 1 : 2;
}

/**
 * In [0, 1): how far a line is from the failure's anchor (its rule match), or from the end of the log when no rule
 * found one. Lines near the failure tell more about it than lines near the end, which the tail covers anyway.
 */
function distance(index: number, total: number, anchor: number | undefined): number {
  return Math.abs((anchor ?? total) - index) / (total + 1);
}

function scoredLines(
  lines: readonly SnapshotLine[],
  matches: readonly { index: number }[],
  without?: ReadonlySet<number>,
): number[] {
  const matched = new Set(matches.map((match) => match.index));
  const indices: number[] = [];
  lines.forEach((line, index) => {
    // Lines every failed job prints (the runner's exit, a harness's `Command took >30min`) say nothing the tail and
    // the key lines do not; a window around each would spend the budget on them.
    if (!matched.has(index) && scoreLine(line.text, without) > 0 && !saysNothing(line.text))
      indices.push(index);
  });
  return indices;
}

/**
 * A generic line says nothing of its own, except a verdict that ends in a colon (`Failure:`, `FAILED:`): a block
 * header, whose block below is the failure's report.
 */
function saysNothing(text: string): boolean {
  const kind = genericKindOf(text);
  return kind !== undefined && !(kind === 'verdict' && text.trimEnd().endsWith(':'));
}

/** Greedy selection of lines under a byte budget, charging a marker for every separate run of lines. */
class Picker {
  readonly selected: Uint8Array;
  private used = 0;

  constructor(
    private readonly costs: readonly number[],
    /** `joined[i]`: line `i` directly follows line `i - 1` in the log, so no marker separates them. */
    private readonly joined: readonly boolean[],
    private readonly budget: number,
  ) {
    this.selected = new Uint8Array(costs.length);
  }

  /** Takes a line if it fits; false when the budget is spent. */
  take(index: number): boolean {
    if (index < 0 || index >= this.costs.length) return true;
    if (this.selected[index]) return true;
    const before = this.joined[index] === true && this.selected[index - 1] === 1;
    const after = this.joined[index + 1] === true && this.selected[index + 1] === 1;
    const markerDelta = before && after ? -MARKER_BYTES : before || after ? 0 : MARKER_BYTES;
    const cost = this.costs[index]! + markerDelta;
    if (this.used + cost > this.budget) return false;
    this.selected[index] = 1;
    this.used += cost;
    return true;
  }

  takeWindow(index: number, before: number, after: number): void {
    this.take(index);
    for (let i = index + 1; i <= index + after; i += 1) if (!this.take(i)) break;
    for (let i = index - 1; i >= index - before; i -= 1) if (!this.take(i)) break;
  }

  /** Takes lines from `index` backwards until `bytes` more have been spent or the budget is. */
  takeBackwards(index: number, bytes: number): void {
    const stop = Math.min(this.budget, this.used + bytes);
    for (let i = index; i >= 0 && this.used < stop; i -= 1) {
      if (this.selected[i]) continue;
      if (this.used + this.costs[i]! > stop || !this.take(i)) break;
    }
  }
}

/** Collapses runs of lines that differ only in digits into first, marker, last. */
function collapseRuns(lines: readonly SnapshotLine[]): SnapshotLine[] {
  const out: SnapshotLine[] = [];
  let start = 0;
  const shape = (text: string): string => text.replace(/\d+/g, '0');
  while (start < lines.length) {
    let end = start + 1;
    const key = shape(lines[start]!.text);
    while (
      end < lines.length &&
      lines[end]!.line === lines[end - 1]!.line + 1 &&
      shape(lines[end]!.text) === key
    ) {
      end += 1;
    }
    if (end - start >= COLLAPSE_RUN && key.trim().length > 0) {
      out.push(lines[start]!, lines[start + 1]!, lines[end - 1]!);
    } else {
      for (let i = start; i < end; i += 1) out.push(lines[i]!);
    }
    start = end;
  }
  return out;
}

function clipLine(text: string, maxBytes: number): string {
  if (text.length <= maxBytes / 3) return text;
  const bytes = encoder.encode(text);
  if (bytes.length <= maxBytes) return text;
  let cut = maxBytes - 20;
  // Never cut inside a UTF-8 sequence.
  while (cut > 0 && (bytes[cut]! & 0xc0) === 0x80) cut -= 1;
  return `${new TextDecoder().decode(bytes.subarray(0, cut))} …[${bytes.length - cut} bytes cut]`;
}

function omitted(count: number): string {
  return `… ${count.toLocaleString('en-US')} ${count === 1 ? 'line' : 'lines'} omitted …`;
}

function render(
  lines: readonly SnapshotLine[],
  texts: readonly string[],
  selected: Uint8Array,
  budget: number,
): SelectedContext {
  const parts: string[] = [];
  const contextLines: ContextLine[] = [];
  const ranges: Array<{ first: number; last: number }> = [];
  let previousLine = 0;
  lines.forEach((line, index) => {
    if (!selected[index]) return;
    const gap = line.line - previousLine - 1;
    if (gap > 0) parts.push(omitted(gap));
    const range = ranges.at(-1);
    if (range && range.last === line.line - 1) range.last = line.line;
    else ranges.push({ first: line.line, last: line.line });
    parts.push(texts[index]!);
    contextLines.push({ line: line.line, text: texts[index]! });
    previousLine = line.line;
  });
  let text = parts.join('\n');
  let bytes = encoder.encode(text).length;
  // The picker reserves a marker per run, so this only trims in pathological cases (a budget below one marker).
  while (bytes > budget && parts.length > 0) {
    parts.shift();
    text = parts.join('\n');
    bytes = encoder.encode(text).length;
  }
  return { text, bytes, ranges, lines: contextLines };
}
