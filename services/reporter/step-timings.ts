/**
 * The reporter's own clock readings for one hook call, written only when `OSDC_RCA_TIMINGS_FILE` names a file: one
 * JSON line per call, appended. Tests read it to check the deadline on what the reporter controls (when the step
 * ended, when it stopped waiting for the send, when it was done) instead of on a busy machine's wall clock; an
 * operator can set it on one runner to see where a failed step's time went. Off by default, and writing it can
 * never fail the step.
 *
 * @example
 * // OSDC_RCA_TIMINGS_FILE=/tmp/osdc-rca-timings.jsonl
 * {"pid":41,"kind":"step","deadlineMs":2000,"exitCode":3,"signal":null,"ended":1767225600000,"sendStarted":1767225600090,"sendSettled":1767225600431,"done":1767225600433}
 */
import { appendFileSync } from 'node:fs';

/**
 * Epoch milliseconds of: `ended` the hook exited and its output was passed on; `signalled` a SIGTERM/SIGINT
 * reached the reporter; `sendStarted` the failure's log was captured and encoded and the SDK loaded, so the send
 * began (absent when nothing was sent); `sendSettled` the reporter stopped waiting for the send (sent, failed or
 * out of time); `done` the outcome is about to be returned (the `exec` command exits right after).
 */
export type StepTimingMark = 'ended' | 'signalled' | 'sendStarted' | 'sendSettled' | 'done';

export type StepTimingsRecord = Partial<Record<StepTimingMark, number>>;

export interface StepTimings {
  /** Records when `name` first happened; later calls for the same mark are ignored. */
  mark(name: StepTimingMark, at?: number): void;
  /** Appends the marks with `fields` as one JSON line, if a file is set. */
  flush(fields: Readonly<Record<string, unknown>>): void;
}

export const TIMINGS_FILE_VARIABLE = 'OSDC_RCA_TIMINGS_FILE';

/** The file to write timings to, read at the edge like the rest of the configuration; `undefined`: off. */
export function readTimingsFile(env: NodeJS.ProcessEnv): string | undefined {
  return env[TIMINGS_FILE_VARIABLE]?.trim() || undefined;
}

const OFF: StepTimings = { mark: () => undefined, flush: () => undefined };

export function createStepTimings(file: string | undefined): StepTimings {
  if (!file) return OFF;
  const marks: StepTimingsRecord = {};
  return {
    mark(name, at = Date.now()) {
      marks[name] ??= at;
    },
    flush(fields) {
      try {
        appendFileSync(file, `${JSON.stringify({ pid: process.pid, ...fields, ...marks })}\n`);
      } catch {
        // A diagnostic aid: an unwritable file must not cost the step anything.
      }
    },
  };
}
