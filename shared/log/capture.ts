/**
 * The capture stage's core: fed a step's output as bytes, it keeps — in memory bounded by the tail and window budgets,
 * whatever the log's size — the last lines of the log and scored windows of error-looking lines from earlier on.
 *
 * The hot path touches each byte only twice, both times in native code: one SIMD pass for all keywords at once
 * (NeedleScanner, WebAssembly) and `indexOf` for newlines. Only lines that contain a keyword are decoded and scored,
 * and kept bytes are decoded and redacted once, when a snapshot is taken. Lines are split on `\n` and numbered from 1; a lone `\r` stays inside its line.
 */
import { Buffer } from 'node:buffer';
import { Redactor } from '../redaction/redactor';
import { CaptureRegion, copyBytes } from './capture-region';
import { DEFAULT_TAIL_BYTES, DEFAULT_WINDOW_BYTES } from './constants';
import { scoreLine } from './line-score';
import { NeedleScanner } from './needle-scanner';
import { normalizeLine } from './normalize';
import type { CaptureSnapshot, LineBlock } from './types';

export const DEFAULT_MAX_LINE_BYTES = 8 * 1024;
/** A line scoring at least this much (one strong pattern) opens an error window. */
export const WINDOW_MIN_SCORE = 3;

export interface LogCaptureOptions {
  /** Bytes of whole lines kept at the end of the log. */
  readonly tailBytes?: number;
  /** Total bytes of error windows kept from before the tail. */
  readonly windowBytes?: number;
  /** Longer lines keep their start and end around a `…[truncated N bytes]…` marker. */
  readonly maxLineBytes?: number;
  readonly linesBefore?: number;
  readonly linesAfter?: number;
  /** Applied to every kept line; pass one built with the step's secret values. */
  readonly redactor?: Redactor;
  /** The writer reuses its buffer once `write` returns (a shared ring): keep copies, never views, of its bytes. */
  readonly copyInput?: boolean;
}

// Keywords that lines the scorer finds strong almost always contain; the scorer then judges the decoded line. The
// scanner takes up to 32 keywords of 3 to 16 bytes in one pass, but every keyword line costs a decode and a score,
// so a keyword earns its place only if the lines it finds matter.
const ERROR_NEEDLES = [
  'rror',
  'RROR',
  'FAIL',
  // `ception`, not `xcept`: Python's `except` is on thousands of harmless lines, and no scorer pattern needs it.
  'ception',
  'fatal',
  'Fatal',
  'FATAL',
  'Timeout',
  'd out',
  'OOM',
  // Verdicts without an error keyword: Rust's `thread 'x' panicked at`, Perl prove's `Dubious, test returned N`
  // (its `Failed n/m subtests` follows inside the window), Lua's `stack traceback:` (after the message).
  "' panic",
  'Dubious',
  'k trac',
];
// Lines the redactor must see even when they are not kept: `::add-mask::` commands (`k::`) and the BEGIN/END lines
// of private keys (`KEY-----`, `BLOCK-----`).
const SECURITY_NEEDLES = ['k::', 'K::', 'Y-----', 'K-----'];
const NEEDLE_WORDS = [...ERROR_NEEDLES, ...SECURITY_NEEDLES];
const NEEDLES = NEEDLE_WORDS.map((needle) => Buffer.from(needle, 'latin1'));
const SECURITY_TEXT = /add-mask::|PRIVATE KEY/i;
// The same keywords on decoded text, for lines assembled from several chunks, so chunking never changes the result.
const NEEDLE_TEXT = new RegExp(NEEDLE_WORDS.map(escapeRegExp).join('|'));

const NEWLINE = 10;
const MAX_WINDOW_LINES = 96;
const KEEP_FIRST_WINDOWS = 2;
const KEEP_LAST_WINDOWS = 2;

interface PendingWindow {
  readonly seq: number;
  /** Absolute region offset of the first trigger line. */
  readonly offset: number;
  readonly firstTrigger: number;
  lastTrigger: number;
  score: number;
}

interface KeptWindow {
  readonly seq: number;
  readonly firstLine: number;
  readonly lineCount: number;
  /** The window's capped bytes, lines joined by `\n`, not yet decoded or redacted. */
  readonly bytes: Uint8Array;
  readonly score: number;
  /** Whether the window starts inside a private key block. */
  readonly inPrivateKey: boolean;
}

export class LogCapture {
  readonly #tailBytes: number;
  readonly #windowBytes: number;
  readonly #maxLineBytes: number;
  readonly #headBytes: number;
  readonly #endBytes: number;
  readonly #linesBefore: number;
  readonly #linesAfter: number;
  readonly #redactor: Redactor;
  readonly #region: CaptureRegion;
  readonly #decoder = new TextDecoder('utf-8');
  readonly #scanner = new NeedleScanner(NEEDLE_WORDS);

  #totalBytes = 0;
  /** Completed lines so far. */
  #lines = 0;
  /** Raw bytes of the current (unfinished) line. */
  #lineRaw = 0;
  /** Absolute region offset where the current line starts. */
  #lineStart = 0;
  /** The current line is over the cap: its middle is being skipped. */
  #long = false;
  /** Last bytes of a long line seen so far, for its kept end. */
  #longEnd: Uint8Array = new Uint8Array(0);

  #seq = 0;
  readonly #pending: PendingWindow[] = [];
  readonly #windows: KeptWindow[] = [];
  #windowsUsed = 0;
  /** Last line covered by a formed window, so windows never overlap. */
  #lastWindowLine = 0;
  /** Lines where a private key block starts (`inside: true`) or ends, for redacting kept lines later. */
  readonly #keyBlockEdges: Array<{ line: number; inside: boolean }> = [];
  #ended = false;

  constructor(options: LogCaptureOptions = {}) {
    this.#tailBytes = positive(options.tailBytes ?? DEFAULT_TAIL_BYTES, 'tailBytes');
    this.#windowBytes = nonNegative(options.windowBytes ?? DEFAULT_WINDOW_BYTES, 'windowBytes');
    this.#maxLineBytes = Math.max(
      64,
      positive(options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, 'maxLineBytes'),
    );
    this.#endBytes = Math.floor(this.#maxLineBytes / 4);
    this.#headBytes = this.#maxLineBytes - this.#endBytes;
    this.#linesBefore = nonNegative(options.linesBefore ?? 8, 'linesBefore');
    this.#linesAfter = nonNegative(options.linesAfter ?? 20, 'linesAfter');
    this.#redactor = options.redactor ?? new Redactor();
    this.#region = new CaptureRegion({ copyAll: options.copyInput ?? false });
  }

  get totalBytes(): number {
    return this.#totalBytes;
  }

  get totalLines(): number {
    return this.#lines + (this.#lineRaw > 0 ? 1 : 0);
  }

  /** Feeds the next bytes of the step's output. */
  write(chunk: Uint8Array): void {
    if (this.#ended) throw new CaptureEndedError('write after end');
    const length = chunk.length;
    if (length === 0) return;
    this.#totalBytes += length;
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, length);

    // Keyword starts in this chunk, ascending; `nextHit` is the first one not yet behind the current line.
    const hits = this.#scanner.scan(bytes) ?? searchEach(bytes);
    let hitIndex = 0;
    let nextHit = hits.length > 0 ? hits[0]! : Number.POSITIVE_INFINITY;
    let keepFrom = this.#long ? -1 : 0;
    let pos = 0;
    while (pos < length) {
      if (!this.#long && this.#lineRaw === 0) {
        // Fast path: whole lines before the next keyword hit are only counted. Most lines of a log take this path,
        // so it touches no fields and makes no region calls per line.
        const maxLineBytes = this.#maxLineBytes;
        let counted = 0;
        let cursor = pos;
        for (;;) {
          const newline = bytes.indexOf(NEWLINE, cursor);
          if (newline === -1 || newline >= nextHit || newline - cursor > maxLineBytes) break;
          counted += 1;
          cursor = newline + 1;
        }
        if (counted > 0) {
          this.#lines += counted;
          pos = cursor;
          this.#lineStart = this.#region.end + (keepFrom >= 0 ? pos - keepFrom : 0);
          if (pos >= length) break;
        }
      }
      const newline = bytes.indexOf(NEWLINE, pos);
      const end = newline === -1 ? length : newline;
      if (!this.#long && this.#lineRaw + (end - pos) > this.#maxLineBytes) {
        keepFrom = this.#startLongLine(bytes, keepFrom, pos);
      }
      const spansChunks = this.#lineRaw > 0;
      this.#lineRaw += end - pos;
      if (newline === -1) {
        if (this.#long) this.#rememberLongEnd(bytes, pos, length);
        break;
      }
      let candidate = nextHit < newline;
      if (this.#long) {
        keepFrom = this.#finishLongLine(bytes, pos, newline);
        candidate = true;
      } else if (spansChunks) {
        candidate = true;
      }
      if (candidate) {
        if (this.#long || spansChunks) {
          // The line's bytes are spread over chunks (or capped): assemble them in the region to look at them.
          this.#region.append(bytes, keepFrom, newline);
          keepFrom = newline;
          this.#inspectLine(this.#region.read(this.#lineStart, this.#region.end), this.#lines + 1, false);
        } else {
          // A keyword the scanner found, on a line inside this chunk: no assembling, no second keyword test.
          this.#inspectLine(bytes.subarray(pos, newline), this.#lines + 1, true);
        }
        if (nextHit < newline) {
          while (hitIndex < hits.length && hits[hitIndex]! < newline) hitIndex += 1;
          nextHit = hitIndex < hits.length ? hits[hitIndex]! : Number.POSITIVE_INFINITY;
        }
      }
      this.#lines += 1;
      this.#lineRaw = 0;
      this.#lineStart = this.#region.end + (keepFrom >= 0 ? newline + 1 - keepFrom : 0);
      pos = newline + 1;
    }
    if (keepFrom >= 0) this.#region.append(bytes, keepFrom, length);
    this.#formWindows();
    // Keep the tail plus room for the lines before a window that is about to be formed.
    const margin = (this.#linesBefore + 1) * (this.#maxLineBytes + 64);
    this.#region.dropBefore(this.#region.end - this.#tailBytes - margin);
    this.#pruneKeyBlockEdges();
  }

  /** Marks the end of the output; a last line without a newline counts as a line. */
  end(): void {
    this.#ended = true;
  }

  /** What the capture holds now, decoded and redacted. Can be taken at any time, also before `end()`. */
  snapshot(): CaptureSnapshot {
    const before = this.#redactor.count;
    const tail = this.#tailBlock();
    const windows: LineBlock[] = [];
    for (const window of this.#windows) {
      const lines = this.#decodeLines(window.bytes).slice(0, Math.max(0, tail.firstLine - window.firstLine));
      if (lines.length === 0) continue;
      const redacted = this.#redactor.redactLines(lines, { inPrivateKey: window.inPrivateKey });
      windows.push({ firstLine: window.firstLine, lines: redacted });
    }
    const inPrivateKey = this.#insideKeyBlock(tail.firstLine);
    const redactedTail = {
      firstLine: tail.firstLine,
      lines: this.#redactor.redactLines(tail.lines, { inPrivateKey }),
    };
    return {
      tail: redactedTail,
      windows,
      totalLines: this.totalLines,
      totalBytes: this.#totalBytes,
      redactions: this.#redactor.count - before,
    };
  }

  #startLongLine(bytes: Buffer, keepFrom: number, pos: number): number {
    this.#long = true;
    const headInChunk = this.#headBytes - this.#lineRaw;
    if (headInChunk >= 0) {
      const cut = charBoundary(bytes, pos + headInChunk, pos);
      this.#region.append(bytes, keepFrom, cut);
    } else {
      // The head already went into the region with an earlier chunk: take back what is beyond it.
      this.#region.append(bytes, keepFrom, pos);
      const head = this.#region.read(this.#lineStart, this.#lineStart + this.#headBytes);
      this.#region.truncateEnd(this.#lineStart + charBoundary(head, this.#headBytes, 0));
    }
    this.#longEnd = new Uint8Array(0);
    return -1;
  }

  #rememberLongEnd(bytes: Buffer, from: number, to: number): void {
    const take = Math.min(to - from, this.#endBytes);
    const keep = Math.min(this.#longEnd.length, this.#endBytes - take);
    const joined = new Uint8Array(keep + take);
    joined.set(this.#longEnd.subarray(this.#longEnd.length - keep), 0);
    joined.set(bytes.subarray(to - take, to), keep);
    this.#longEnd = joined;
  }

  /** Appends the truncation marker and the line's last bytes; returns where normal keeping resumes. */
  #finishLongLine(bytes: Buffer, pos: number, newline: number): number {
    this.#rememberLongEnd(bytes, pos, newline);
    this.#appendLongEnd();
    this.#long = false;
    return newline;
  }

  #appendLongEnd(): void {
    const end = this.#longEnd.subarray(charBoundary(this.#longEnd, 0, 0, true));
    const kept = this.#region.end - this.#lineStart;
    const marker = Buffer.from(`…[truncated ${this.#lineRaw - kept - end.length} bytes]…`);
    this.#region.append(marker, 0, marker.length);
    this.#region.append(end, 0, end.length);
  }

  /** Learns redaction state from a line and queues it for a window when it looks like an error. */
  #inspectLine(raw: Uint8Array, line: number, hasKeyword: boolean): void {
    const text = this.#decoder.decode(raw);
    if (!hasKeyword && !NEEDLE_TEXT.test(text)) return;
    if (SECURITY_TEXT.test(text)) {
      const wasInside = this.#redactor.inPrivateKey;
      this.#redactor.observeLine(text);
      // The BEGIN and END lines themselves are handled by the redactor's own state when kept lines are redacted.
      if (wasInside !== this.#redactor.inPrivateKey)
        this.#keyBlockEdges.push({ line: line + 1, inside: !wasInside });
    }
    const score = scoreLine(normalizeLine(text));
    if (score < WINDOW_MIN_SCORE) return;
    const last = this.#pending.at(-1);
    if (
      last &&
      line - last.lastTrigger <= this.#linesAfter &&
      line - last.firstTrigger < MAX_WINDOW_LINES - this.#linesBefore - this.#linesAfter
    ) {
      last.lastTrigger = line;
      last.score = Math.max(last.score, score) + 0.01;
      return;
    }
    this.#seq += 1;
    this.#pending.push({
      seq: this.#seq,
      offset: this.#lineStart,
      firstTrigger: line,
      lastTrigger: line,
      score,
    });
  }

  /** Turns pending windows whose first trigger has left the tail into kept windows. */
  #formWindows(): void {
    const zoneStart = this.#region.end - this.#tailBytes;
    while (this.#pending.length > 0 && this.#pending[0]!.offset < zoneStart) {
      const pending = this.#pending.shift()!;
      if (this.#windowBytes > 0 && pending.offset >= this.#region.start) this.#formWindow(pending);
    }
  }

  #formWindow(pending: PendingWindow): void {
    const region = this.#region;
    // An eighth of the budget each: with a quarter, four windows of long lines (test diffs) filled it and pushed out
    // the failure's own window; the model sees at most a few KiB of any one window anyway.
    const maxBytes = Math.min(this.#windowBytes, Math.max(this.#maxLineBytes * 2, this.#windowBytes >> 3));
    // Walk back over the lines before the first trigger, never into an earlier window.
    let start = pending.offset;
    let firstLine = pending.firstTrigger;
    while (
      firstLine > this.#lastWindowLine + 1 &&
      pending.firstTrigger - firstLine < this.#linesBefore &&
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
    const wantLast = pending.lastTrigger + this.#linesAfter;
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
      inPrivateKey: this.#insideKeyBlock(firstLine),
    });
  }

  #keep(window: KeptWindow): void {
    this.#windows.push(window);
    this.#windowsUsed += window.bytes.length;
    while (this.#windowsUsed > this.#windowBytes && this.#windows.length > 0) {
      const victim = this.#evictionVictim();
      this.#windowsUsed -= this.#windows[victim]!.bytes.length;
      this.#windows.splice(victim, 1);
    }
  }

  /**
   * The lowest-scoring window, sparing the first windows of the log (the real cause is often the first error, with
   * cascades after it) and the latest ones; among equals, the later one goes.
   */
  #evictionVictim(): number {
    const windows = this.#windows;
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

  /**
   * Key block edges matter only for lines that may still be kept: the tail (which starts at most `tailBytes` lines
   * back) and windows not formed yet. Older edges fold into the state they leave.
   */
  #pruneKeyBlockEdges(): void {
    const edges = this.#keyBlockEdges;
    if (edges.length < 2) return;
    const pendingFirst = (this.#pending[0]?.firstTrigger ?? Number.POSITIVE_INFINITY) - this.#linesBefore;
    const oldest = Math.min(this.#lines - this.#tailBytes, pendingFirst);
    let fold = 0;
    while (fold + 1 < edges.length && edges[fold + 1]!.line <= oldest) fold += 1;
    if (fold > 0) edges.splice(0, fold);
  }

  #insideKeyBlock(line: number): boolean {
    let inside = false;
    for (const edge of this.#keyBlockEdges) {
      if (edge.line > line) break;
      inside = edge.inside;
    }
    return inside;
  }

  #tailBlock(): LineBlock {
    const region = this.#region;
    let from = Math.max(region.start, region.end - this.#tailBytes);
    // Start at a line boundary: a line cut by the byte limit is dropped.
    if (from > region.start && region.read(from - 1, from)[0] !== NEWLINE) {
      const next = region.indexOf(NEWLINE, from);
      from = next < 0 ? region.end : next + 1;
    }
    let bytes = region.read(from, region.end);
    if (this.#long) {
      // The current line is over the cap and unfinished: show its head and its end as they stand.
      if (from > this.#lineStart) bytes = region.read(this.#lineStart, region.end);
      const kept = region.end - this.#lineStart;
      const end = this.#longEnd.subarray(charBoundary(this.#longEnd, 0, 0, true));
      const marker = Buffer.from(`…[truncated ${this.#lineRaw - kept - end.length} bytes]…`);
      bytes = Buffer.concat([bytes, marker, end]);
    }
    const lines = this.#decodeLines(bytes);
    if (this.#lineRaw === 0 && lines.at(-1) === '') lines.pop();
    return { firstLine: this.totalLines - lines.length + 1, lines };
  }

  #decodeLines(bytes: Uint8Array): string[] {
    if (bytes.length === 0) return [];
    return this.#decoder.decode(bytes).split('\n').map(stripCarriageReturn);
  }
}

/** Thrown when bytes are written to a capture that has been ended. */
export class CaptureEndedError extends Error {
  override readonly name = 'CaptureEndedError';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** Every keyword start in `bytes`, ascending, by one native search per keyword: for chunks too dense to scan. */
function searchEach(bytes: Buffer): number[] {
  const starts: number[] = [];
  for (const needle of NEEDLES) {
    for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) starts.push(at);
  }
  return [...new Set(starts)].sort((a, b) => a - b);
}

/**
 * Moves a cut so it does not split a UTF-8 sequence: backwards to the start of the character at `at` (never before
 * `floor`), or, with `forward`, past continuation bytes.
 */
function charBoundary(bytes: Uint8Array, at: number, floor: number, forward = false): number {
  let cut = Math.min(at, bytes.length);
  if (forward) {
    while (cut < bytes.length && (bytes[cut]! & 0xc0) === 0x80) cut += 1;
    return cut;
  }
  while (cut > floor && cut < bytes.length && (bytes[cut]! & 0xc0) === 0x80) cut -= 1;
  return cut;
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer`);
  return value;
}

function nonNegative(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer`);
  return value;
}
