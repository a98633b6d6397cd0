/**
 * The capture stage's core: fed a step's output as bytes, it keeps — in memory bounded by the tail and window budgets,
 * whatever the log's size — the last lines of the log and scored windows of error-looking lines from earlier on.
 *
 * The hot path touches each byte only twice, both times in native code: one SIMD pass for all keywords at once
 * (NeedleScanner, WebAssembly) and `indexOf` for newlines. Only lines that contain a keyword are decoded and scored,
 * and kept bytes are decoded and redacted once, when a snapshot is taken (whole lines, so a wrapped secret is seen
 * on both its rows). A line over the cap is the exception: its kept start and end are redacted with an overlap before
 * they are cut (LongLine), so that no cut splits a secret. Lines are split on `\n` and numbered from 1; a lone `\r` stays inside its line.
 */
import { Buffer } from 'node:buffer';
import { Redactor } from '../redaction/redactor';
import { normalizeLine } from '../text/normalize';
import { CAPTURE_NEEDLE_WORDS, NEEDLE_TEXT, SECURITY_TEXT, searchEachNeedle } from './capture-needles';
import { type LogCaptureOptions, resolveCaptureOptions, WINDOW_MIN_SCORE } from './capture-options';
import { CaptureRegion } from './capture-region';
import { ErrorWindows } from './error-windows';
import { KeyBlockEdges } from './key-block-edges';
import { scoreLine } from './line-score';
import { LongLine } from './long-line';
import { NeedleScanner } from './needle-scanner';
import type { CaptureSnapshot, LineBlock } from './types';

export type { LogCaptureOptions } from './capture-options';

const NEWLINE = 10;

export class LogCapture {
  readonly #tailBytes: number;
  readonly #windowBytes: number;
  readonly #maxLineBytes: number;
  readonly #headBytes: number;
  readonly #endBytes: number;
  readonly #linesBefore: number;
  readonly #linesAfter: number;
  readonly #redactor: Redactor;
  readonly #scoreWithout: ReadonlySet<number> | undefined;
  readonly #region: CaptureRegion;
  readonly #decoder = new TextDecoder('utf-8');
  readonly #scanner = new NeedleScanner(CAPTURE_NEEDLE_WORDS);
  readonly #keyBlocks = new KeyBlockEdges();
  readonly #windows: ErrorWindows;

  #totalBytes = 0;
  /** Completed lines so far. */
  #lines = 0;
  /** Raw bytes of the current (unfinished) line. */
  #lineRaw = 0;
  /** Absolute region offset where the current line starts. */
  #lineStart = 0;
  /** The current line, once it is over the cap: kept as its start and end, each redacted before it is cut. */
  #longLine: LongLine | undefined;
  /** Secrets masked in finished long lines (redacted when they end, before any snapshot). */
  #longLineRedactions = 0;

  #ended = false;

  constructor(options: LogCaptureOptions = {}) {
    const resolved = resolveCaptureOptions(options);
    this.#tailBytes = resolved.tailBytes;
    this.#windowBytes = resolved.windowBytes;
    this.#maxLineBytes = resolved.maxLineBytes;
    this.#endBytes = Math.floor(this.#maxLineBytes / 4);
    this.#headBytes = this.#maxLineBytes - this.#endBytes;
    this.#linesBefore = resolved.linesBefore;
    this.#linesAfter = resolved.linesAfter;
    this.#redactor = options.redactor ?? new Redactor();
    this.#scoreWithout = options.scoreWithout;
    this.#region = new CaptureRegion({ copyAll: options.copyInput ?? false });
    this.#windows = new ErrorWindows(this.#region, this.#keyBlocks, resolved);
  }

  get totalBytes(): number {
    return this.#totalBytes;
  }

  get totalLines(): number {
    return this.#lines + (this.#lineRaw > 0 ? 1 : 0);
  }

  /**
   * Bytes of the buffers the capture keeps alive now (the region's blocks counted whole, spares included; the kept
   * windows; a long line's two windows): what its bounded memory is about, whatever the log's length or its lines'.
   */
  get heldBytes(): number {
    return this.#region.heldBytes + this.#windows.keptBytes + (this.#longLine?.heldBytes ?? 0);
  }

  /** Feeds the next bytes of the step's output. */
  write(chunk: Uint8Array): void {
    if (this.#ended) throw new CaptureEndedError('write after end');
    const length = chunk.length;
    if (length === 0) return;
    this.#totalBytes += length;
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, length);

    // Keyword starts in this chunk, ascending; `nextHit` is the first one not yet behind the current line.
    const hits = this.#scanner.scan(bytes) ?? searchEachNeedle(bytes);
    let hitIndex = 0;
    let nextHit = hits.length > 0 ? hits[0]! : Number.POSITIVE_INFINITY;
    let keepFrom = this.#longLine ? -1 : 0;
    let pos = 0;
    while (pos < length) {
      if (!this.#longLine && this.#lineRaw === 0) {
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
      if (!this.#longLine && this.#lineRaw + (end - pos) > this.#maxLineBytes) {
        keepFrom = this.#startLongLine(bytes, keepFrom, pos);
      }
      const spansChunks = this.#lineRaw > 0;
      this.#lineRaw += end - pos;
      this.#longLine?.write(bytes.subarray(pos, end));
      if (newline === -1) break;
      const wasLong = this.#longLine !== undefined;
      if (wasLong) keepFrom = this.#finishLongLine(newline);
      if (nextHit < newline || wasLong || spansChunks) {
        if (wasLong || spansChunks) {
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
    this.#windows.form();
    // Keep the tail plus room for the lines before a window that is about to be formed.
    const margin = (this.#linesBefore + 1) * (this.#maxLineBytes + 64);
    this.#region.dropBefore(this.#region.end - this.#tailBytes - margin);
    this.#keyBlocks.prune(Math.min(this.#lines - this.#tailBytes, this.#windows.firstPendingLine));
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
    for (const window of this.#windows.kept) {
      const lines = this.#decodeLines(window.bytes).slice(0, Math.max(0, tail.firstLine - window.firstLine));
      if (lines.length === 0) continue;
      const redacted = this.#redactor.redactLines(lines, { inPrivateKey: window.inPrivateKey });
      windows.push({ firstLine: window.firstLine, lines: redacted });
    }
    const inPrivateKey = this.#keyBlocks.insideAt(tail.firstLine);
    const redactedTail = {
      firstLine: tail.firstLine,
      lines: this.#redactor.redactLines(tail.lines, { inPrivateKey }),
    };
    return {
      tail: redactedTail,
      windows,
      totalLines: this.totalLines,
      totalBytes: this.#totalBytes,
      redactions:
        this.#redactor.count - before + this.#longLineRedactions + (this.#longLine?.redactions ?? 0),
    };
  }

  /** The current line passes the cap: its bytes so far leave the region for a LongLine, which redacts them. */
  #startLongLine(bytes: Buffer, keepFrom: number, pos: number): number {
    // Earlier whole lines of this chunk go into the region as usual; the line's start, from earlier chunks, leaves it.
    this.#region.append(bytes, keepFrom, pos);
    const start = this.#region.read(this.#lineStart, this.#region.end);
    this.#longLine = new LongLine(this.#redactor, { headBytes: this.#headBytes, endBytes: this.#endBytes });
    this.#longLine.write(start);
    this.#region.truncateEnd(this.#lineStart);
    return -1;
  }

  /** Puts the long line's kept, redacted form into the region; returns where normal keeping resumes. */
  #finishLongLine(newline: number): number {
    const line = this.#longLine!;
    const kept = line.finish();
    this.#region.append(kept, 0, kept.length);
    this.#longLineRedactions += line.redactions;
    this.#longLine = undefined;
    return newline;
  }

  /** Learns redaction state from a line and queues it for a window when it looks like an error. */
  #inspectLine(raw: Uint8Array, line: number, hasKeyword: boolean): void {
    const text = this.#decoder.decode(raw);
    if (!hasKeyword && !NEEDLE_TEXT.test(text)) return;
    if (SECURITY_TEXT.test(text)) {
      const wasInside = this.#redactor.inPrivateKey;
      this.#redactor.observeLine(text);
      // The BEGIN and END lines themselves are handled by the redactor's own state when kept lines are redacted.
      if (wasInside !== this.#redactor.inPrivateKey) this.#keyBlocks.record(line + 1, !wasInside);
    }
    const score = scoreLine(normalizeLine(text), this.#scoreWithout);
    if (score < WINDOW_MIN_SCORE) return;
    this.#windows.trigger(line, this.#lineStart, score);
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
    // The current line is over the cap and unfinished: show its start and its end as they stand, redacted.
    if (this.#longLine) bytes = Buffer.concat([bytes, this.#longLine.preview()]);
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

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
