/**
 * What the main thread and the capture worker agree on, apart from the ring itself: how the worker knows its role,
 * what it is given, what it answers. Type and constant only, so the main thread can load it without
 * `node:worker_threads` (a passing step should not pay for loading that).
 */
import type { MessagePort } from 'node:worker_threads';
import type { LogCaptureOptions } from '../../shared/log/capture';
import type { CaptureSnapshot } from '../../shared/log/types';

export const CAPTURE_WORKER_ROLE = 'osdc-rca-capture';
/** In the worker's argv, so the bundle knows it is the worker before it loads `node:worker_threads`. */
export const CAPTURE_WORKER_FLAG = '--osdc-rca-capture-worker';
/** Sent to the parent when room frees up in the ring while it waits for some. */
export const ROOM = 'room';

export interface CaptureWorkerData {
  readonly role: typeof CAPTURE_WORKER_ROLE;
  readonly ring: SharedArrayBuffer;
  readonly port: MessagePort;
  readonly capture: Omit<LogCaptureOptions, 'redactor'>;
  /** The step's secret-looking env values, redacted from everything kept. */
  readonly secretValues: readonly string[];
}

export type CaptureWorkerReply =
  | { readonly ok: true; readonly snapshot: CaptureSnapshot }
  | { readonly ok: false; readonly error: string };

export function isCaptureWorkerData(data: unknown): data is CaptureWorkerData {
  return (
    typeof data === 'object' && data !== null && (data as { role?: unknown }).role === CAPTURE_WORKER_ROLE
  );
}

/** An error as one line for the capture's failure reasons (they stay in memory, never reach the job log). */
export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
