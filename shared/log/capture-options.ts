/** The capture's options and their defaults, validated once when a capture is made. */
import type { Redactor } from '../redaction/redactor';
import { DEFAULT_TAIL_BYTES, DEFAULT_WINDOW_BYTES } from './constants';
import type { ErrorWindowsOptions } from './error-windows';

export const DEFAULT_MAX_LINE_BYTES = 8 * 1024;
/**
 * Lines kept after an error-looking line: as many as context selection shows after a failure's first line (its
 * diagnostics follow it). With 20, a PHP test's diff or a Rust test's output was cut off before the tail (issue 20).
 */
export const DEFAULT_LINES_AFTER = 40;
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
  /** Scorer patterns to leave out (see `scoreLine`): the context benchmark's cross-validation; production passes none. */
  readonly scoreWithout?: ReadonlySet<number>;
  /** The writer reuses its buffer once `write` returns (a shared ring): keep copies, never views, of its bytes. */
  readonly copyInput?: boolean;
}

/** The sizes of a capture, defaults applied and checked. */
export type ResolvedCaptureOptions = ErrorWindowsOptions;

/** Applies the defaults and rejects sizes that are not whole numbers in range (a `RangeError` naming the option). */
export function resolveCaptureOptions(options: LogCaptureOptions): ResolvedCaptureOptions {
  return {
    tailBytes: positive(options.tailBytes ?? DEFAULT_TAIL_BYTES, 'tailBytes'),
    windowBytes: nonNegative(options.windowBytes ?? DEFAULT_WINDOW_BYTES, 'windowBytes'),
    maxLineBytes: Math.max(64, positive(options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, 'maxLineBytes')),
    linesBefore: nonNegative(options.linesBefore ?? 8, 'linesBefore'),
    linesAfter: nonNegative(options.linesAfter ?? DEFAULT_LINES_AFTER, 'linesAfter'),
  };
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer`);
  return value;
}

function nonNegative(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer`);
  return value;
}
