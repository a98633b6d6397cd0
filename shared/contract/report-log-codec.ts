/**
 * The `log` part of the failure report: a capture snapshot with each block's lines joined by `\n`, gzip-compressed
 * and base64-encoded. Encoding fits the whole report under the queue's size limit by shrinking the tail first (its
 * oldest lines), then dropping windows (latest first: the earliest errors are the likeliest causes). Decoding
 * guards against decompression bombs, since a report is only as trustworthy as the pod that sent it.
 */
import { Buffer } from 'node:buffer';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { CaptureSnapshot, LineBlock } from '../log/types';
import { MAX_REPORT_BODY_BYTES } from './constants';
import type { LogWindow, ReportLog } from './failure-report';

/** Room left in the report body for the fields around `log` (ids, repo, job, ref…, JSON-escaped). */
export const REPORT_ENVELOPE_BYTES = 8 * 1024;

/** The tail keeps at least this much text before windows are dropped. */
const MIN_TAIL_TEXT_BYTES = 32 * 1024;

/** A capture decodes to a few hundred KiB; anything far larger is not from our reporter. */
export const MAX_DECODED_LOG_BYTES = 4 * 1024 * 1024;

export interface EncodeReportLogOptions {
  /** Upper bound for `JSON.stringify(log)` in bytes. */
  readonly maxBytes?: number;
}

/** Thrown when even an empty log does not fit the byte budget. */
export class ReportLogTooLargeError extends Error {
  override readonly name = 'ReportLogTooLargeError';
}

/** Thrown when a report's log is not valid gzip+base64 or decodes to more than MAX_DECODED_LOG_BYTES. */
export class ReportLogDecodeError extends Error {
  override readonly name = 'ReportLogDecodeError';
}

/**
 * @example
 * const log = encodeReportLog(stream.snapshot(), { maxBytes: MAX_REPORT_BODY_BYTES - envelopeBytes });
 */
export function encodeReportLog(snapshot: CaptureSnapshot, options: EncodeReportLogOptions = {}): ReportLog {
  const maxBytes = options.maxBytes ?? MAX_REPORT_BODY_BYTES - REPORT_ENVELOPE_BYTES;
  const windows = snapshot.windows.map((window) => ({
    firstLine: window.firstLine,
    lines: encodeLines(window.lines),
  }));
  const tail = snapshot.tail;
  const build = (dropTailLines: number, keptWindows: readonly LogWindow[]): ReportLog => ({
    encoding: 'gzip+base64',
    tail: encodeLines(tail.lines.slice(dropTailLines)),
    tailFirstLine: Math.max(1, tail.firstLine + dropTailLines),
    windows: [...keptWindows],
    totalLines: snapshot.totalLines,
    totalBytes: snapshot.totalBytes,
    redactions: snapshot.redactions,
  });
  const fits = (log: ReportLog) => jsonBytes(log) <= maxBytes;

  const whole = build(0, windows);
  if (fits(whole)) return whole;

  // 1. Shrink the tail down to its floor.
  const floorDrop = dropForFloor(tail);
  const shrunk = shrinkTail(0, floorDrop, (drop) => build(drop, windows), fits);
  if (shrunk) return shrunk;
  // 2. Drop windows, latest first, keeping the tail at its floor or above.
  const kept = [...windows];
  while (kept.length > 0) {
    kept.pop();
    const log = shrinkTail(0, floorDrop, (drop) => build(drop, kept), fits);
    if (log) return log;
  }
  // 3. Shrink the tail below its floor.
  const last = shrinkTail(floorDrop, tail.lines.length, (drop) => build(drop, []), fits);
  if (last) return last;
  throw new ReportLogTooLargeError(`an empty log does not fit in ${maxBytes} bytes`);
}

/** The snapshot back from a report's log. */
export function decodeReportLog(log: ReportLog): CaptureSnapshot {
  const budget = { left: MAX_DECODED_LOG_BYTES };
  const tail: LineBlock = { firstLine: log.tailFirstLine, lines: decodeLines(log.tail, budget) };
  const windows = log.windows.map((window) => ({
    firstLine: window.firstLine,
    lines: decodeLines(window.lines, budget),
  }));
  return {
    tail,
    windows,
    totalLines: log.totalLines,
    totalBytes: log.totalBytes,
    redactions: log.redactions,
  };
}

/**
 * Finds the fewest oldest tail lines to drop, between `lo` and `hi`, for the log to fit; undefined when even dropping
 * `hi` lines does not fit. Sizes grow with kept lines almost monotonically; every returned log was checked to fit.
 */
function shrinkTail(
  lo: number,
  hi: number,
  build: (drop: number) => ReportLog,
  fits: (log: ReportLog) => boolean,
): ReportLog | undefined {
  let best = build(hi);
  if (!fits(best)) return undefined;
  let low = lo;
  let high = hi;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    const log = build(mid);
    if (fits(log)) {
      high = mid;
      best = log;
    } else {
      low = mid + 1;
    }
  }
  return best;
}

/** How many oldest lines to drop to leave about MIN_TAIL_TEXT_BYTES of tail text. */
function dropForFloor(tail: LineBlock): number {
  let bytes = 0;
  for (let i = tail.lines.length - 1; i >= 0; i--) {
    bytes += Buffer.byteLength(tail.lines[i]!) + 1;
    if (bytes > MIN_TAIL_TEXT_BYTES) return i + 1;
  }
  return 0;
}

function encodeLines(lines: readonly string[]): string {
  return gzipSync(Buffer.from(lines.join('\n'), 'utf8')).toString('base64');
}

function decodeLines(encoded: string, budget: { left: number }): string[] {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) throw new ReportLogDecodeError('log text is not base64');
  let text: Buffer;
  try {
    text = gunzipSync(Buffer.from(encoded, 'base64'), { maxOutputLength: Math.max(budget.left, 1) });
  } catch (cause) {
    throw new ReportLogDecodeError(
      budget.left <= 0
        ? 'log text exceeds the decoded size limit'
        : 'log text is not valid gzip or too large',
      { cause },
    );
  }
  budget.left -= text.length;
  if (text.length === 0) return [];
  return text.toString('utf8').split('\n');
}

function jsonBytes(log: ReportLog): number {
  return Buffer.byteLength(JSON.stringify(log));
}
