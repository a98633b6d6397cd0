/**
 * Streams a log file through the reporter's capture (default sizes), so the CLI shows exactly what the analyzer
 * would receive: a bounded snapshot, however large the file.
 */
import { createReadStream } from 'node:fs';
import { LogCapture } from '../../shared/log/capture';
import type { CaptureSnapshot } from '../../shared/log/types';

/** The log file could not be read; the CLI reports it as a usage error. */
export class UnreadableLogError extends Error {
  override readonly name = 'UnreadableLogError';
  constructor(
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot read log file '${path}'`, options);
  }
}

export async function captureLogFile(path: string): Promise<CaptureSnapshot> {
  const capture = new LogCapture();
  try {
    for await (const chunk of createReadStream(path)) capture.write(chunk as Buffer);
  } catch (cause) {
    throw new UnreadableLogError(path, { cause });
  }
  capture.end();
  return capture.snapshot();
}
