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
import { CAPTURE_NEEDLE_WORDS, NEEDLE_TEXT, SECURITY_TEXT, searchEachNeedle } from './capture-needles';
import { type LogCaptureOptions, resolveCaptureOptions, WINDOW_MIN_SCORE } from './capture-options';
import { CaptureRegion, charBoundary } from './capture-region';
import { ErrorWindows } from './error-windows';
import { KeyBlockEdges } from './key-block-edges';
import { scoreLine } from './line-score';
import { NeedleScanner } from './needle-scanner';
import { normalizeLine } from './normalize';
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
  /** The current line is over the cap: its middle is being skipped. */
  #long = false;
  /** Last bytes of a long line seen so far, for its kept end. */
  #longEnd: Uint8Array = new Uint8Array(0);

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
    this.#region = new CaptureRegion({ copyAll: options.copyInput ?? false });
    this.#windows = new ErrorWindows(this.#region, this.#keyBlocks, resolved);
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
    const hits = this.#scanner.scan(bytes) ?? searchEachNeedle(bytes);
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
      if (wasInside !== this.#redactor.inPrivateKey) this.#keyBlocks.record(line + 1, !wasInside);
    }
    const score = scoreLine(normalizeLine(text));
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

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
