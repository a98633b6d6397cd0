/**
 * The capture's scored error windows: lines that look like errors open a window (with lines before and after it),
 * and windows whose first line has left the tail are copied out of the capture region and kept, within a byte
 * budget. When the budget is spent the lowest-scoring window goes, sparing the first and the latest ones.
 */
import { type CaptureRegion, copyBytes } from './capture-region';
import type { KeyBlockEdges } from './key-block-edges';

const NEWLINE = 10;
const MAX_WINDOW_LINES = 96;
const KEEP_FIRST_WINDOWS = 2;
const KEEP_LAST_WINDOWS = 2;

export interface ErrorWindowsOptions {
  readonly tailBytes: number;
  readonly windowBytes: number;
  readonly maxLineBytes: number;
  readonly linesBefore: number;
  readonly linesAfter: number;
}

/** A window kept from before the tail: its capped bytes, not yet decoded or redacted. */
export interface KeptWindow {
  readonly seq: number;
  readonly firstLine: number;
  readonly lineCount: number;
  /** The window's capped bytes, lines joined by `\n`. */
  readonly bytes: Uint8Array;
  readonly score: number;
  /** Whether the window starts inside a private key block. */
  readonly inPrivateKey: boolean;
}

interface PendingWindow {
  readonly seq: number;
  /** Absolute region offset of the first trigger line. */
  readonly offset: number;
  readonly firstTrigger: number;
  lastTrigger: number;
  score: number;
}

export class ErrorWindows {
  readonly #region: CaptureRegion;
  readonly #keyBlocks: KeyBlockEdges;
  readonly #options: ErrorWindowsOptions;
  #seq = 0;
  readonly #pending: PendingWindow[] = [];
  readonly #kept: KeptWindow[] = [];
  #keptBytes = 0;
  /** Last line covered by a formed window, so windows never overlap. */
  #lastWindowLine = 0;

  constructor(region: CaptureRegion, keyBlocks: KeyBlockEdges, options: ErrorWindowsOptions) {
    this.#region = region;
    this.#keyBlocks = keyBlocks;
    this.#options = options;
  }

  /** The kept windows, in log order. */
  get kept(): readonly KeptWindow[] {
    return this.#kept;
  }

  /** Bytes of the kept windows: at most the window budget. */
  get keptBytes(): number {
    return this.#keptBytes;
  }

  /** The first line a window not formed yet may start at (lines before its first trigger included). */
  get firstPendingLine(): number {
    return (this.#pending[0]?.firstTrigger ?? Number.POSITIVE_INFINITY) - this.#options.linesBefore;
  }

  /** An error-looking `line` (starting at region offset `offset`) with its score: it opens or extends a window. */
  trigger(line: number, offset: number, score: number): void {
    const { linesBefore, linesAfter } = this.#options;
    const last = this.#pending.at(-1);
    if (
      last &&
      line - last.lastTrigger <= linesAfter &&
      line - last.firstTrigger < MAX_WINDOW_LINES - linesBefore - linesAfter
    ) {
      last.lastTrigger = line;
      last.score = Math.max(last.score, score) + 0.01;
      return;
    }
    this.#seq += 1;
    this.#pending.push({ seq: this.#seq, offset, firstTrigger: line, lastTrigger: line, score });
  }

  /** Turns pending windows whose first trigger has left the tail into kept windows. */
  form(): void {
    const zoneStart = this.#region.end - this.#options.tailBytes;
    while (this.#pending.length > 0 && this.#pending[0]!.offset < zoneStart) {
      const pending = this.#pending.shift()!;
      if (this.#options.windowBytes > 0 && pending.offset >= this.#region.start) this.#formWindow(pending);
    }
  }

  #formWindow(pending: PendingWindow): void {
    const region = this.#region;
    const { windowBytes, maxLineBytes, linesBefore, linesAfter } = this.#options;
    // An eighth of the budget each: with a quarter, four windows of long lines (test diffs) filled it and pushed out
    // the failure's own window; the model sees at most a few KiB of any one window anyway.
    const maxBytes = Math.min(windowBytes, Math.max(maxLineBytes * 2, windowBytes >> 3));
    // Walk back over the lines before the first trigger, never into an earlier window.
    let start = pending.offset;
    let firstLine = pending.firstTrigger;
    while (
      firstLine > this.#lastWindowLine + 1 &&
      pending.firstTrigger - firstLine < linesBefore &&
      start > 0
    ) {
      const previous = region.lastIndexOf(NEWLINE, start - 1);
      if (previous < 0 && region.start > 0) break;
      if (pending.offset - (previous + 1) > maxBytes >> 1) break;
      start = previous + 1;
      firstLine -= 1;
    }
    if (firstLine <= this.#lastWindowLine) return;
    // Walk forward to the end of the last wanted line after the last trigger, within the window's byte cap.
    const wantLast = pending.lastTrigger + linesAfter;
    let end = start;
    let lastLine = firstLine - 1;
    let cursor = start;
    while (lastLine < wantLast) {
      const newline = region.indexOf(NEWLINE, cursor);
      if (newline < 0 || newline - start > maxBytes) break;
      end = newline;
      lastLine += 1;
      cursor = newline + 1;
    }
    if (lastLine < pending.firstTrigger) return;
    this.#lastWindowLine = lastLine;
    this.#keep({
      seq: pending.seq,
      firstLine,
      lineCount: lastLine - firstLine + 1,
      bytes: copyBytes(region.read(start, end)),
      score: pending.score,
      inPrivateKey: this.#keyBlocks.insideAt(firstLine),
    });
  }

  #keep(window: KeptWindow): void {
    this.#kept.push(window);
    this.#keptBytes += window.bytes.length;
    while (this.#keptBytes > this.#options.windowBytes && this.#kept.length > 0) {
      const victim = this.#evictionVictim();
      this.#keptBytes -= this.#kept[victim]!.bytes.length;
      this.#kept.splice(victim, 1);
    }
  }

  /**
   * The lowest-scoring window, sparing the first windows of the log (the real cause is often the first error, with
   * cascades after it) and the latest ones; among equals, the later one goes.
   */
  #evictionVictim(): number {
    const windows = this.#kept;
    let victim = -1;
    for (let i = KEEP_FIRST_WINDOWS; i < windows.length - KEEP_LAST_WINDOWS; i++) {
      if (victim < 0 || windows[i]!.score <= windows[victim]!.score) victim = i;
    }
    if (victim >= 0) return victim;
    // Only spared windows left and still over budget: the lowest-scoring of them goes.
    victim = 0;
    for (let i = 1; i < windows.length; i++) if (windows[i]!.score <= windows[victim]!.score) victim = i;
    return victim;
  }
}
