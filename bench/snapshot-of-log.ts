/**
 * A log file as the analyzer receives it: fed through the reporter's capture with default sizes.
 */
import { LogCapture, type LogCaptureOptions } from '../shared/log/capture';
import type { CaptureSnapshot } from '../shared/log/types';

const CHUNK_BYTES = 64 * 1024;

export function snapshotOfLog(buffer: Buffer, options: LogCaptureOptions = {}): CaptureSnapshot {
  const capture = new LogCapture(options);
  for (let offset = 0; offset < buffer.length; offset += CHUNK_BYTES) {
    capture.write(buffer.subarray(offset, offset + CHUNK_BYTES));
  }
  capture.end();
  return capture.snapshot();
}
