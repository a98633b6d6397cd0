/**
 * The capture as a stream stage: every byte passes through unchanged and in order, with the usual back-pressure of a
 * Transform (it takes no new chunk while its reader is behind), while a LogCapture keeps its bounded view. The stage
 * is a side effect that must never break the step's output: if the capture throws, the stage stops capturing and
 * keeps passing bytes through.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { LogCapture, type LogCaptureOptions } from './capture';
import type { CaptureSnapshot } from './types';

export interface CaptureStreamOptions extends LogCaptureOptions {
  /** Use this capture instead of a new one built from the other options. */
  readonly capture?: LogCapture;
  /** Stream buffering on each side; defaults to Node's (16 KiB on the writable side). */
  readonly highWaterMark?: number;
}

export class CaptureStream extends Transform {
  readonly capture: LogCapture;
  #failure: unknown;

  constructor(options: CaptureStreamOptions = {}) {
    super(options.highWaterMark === undefined ? {} : { highWaterMark: options.highWaterMark });
    this.capture = options.capture ?? new LogCapture(options);
  }

  /** Why the capture stopped, if it did; the bytes kept flowing regardless. */
  get captureFailure(): unknown {
    return this.#failure;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.#failure === undefined) {
      try {
        this.capture.write(chunk);
      } catch (error) {
        this.#failure = error ?? new Error('capture failed');
      }
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.capture.end();
    callback();
  }

  /** The capture's bounded, redacted view of everything that has passed so far. */
  snapshot(): CaptureSnapshot {
    return this.capture.snapshot();
  }
}
