/**
 * The capture of one step: both output streams feed one capture (bounded memory whatever the log's size) with a
 * redactor that knows the step's secret-looking env values, through pass-through taps. With a worker script (the
 * reporter bundle gives its own path) the capture runs on a worker thread once the output grows past a few hundred
 * KiB, so that a fast step's output is only copied, never scanned, on the thread that passes it on.
 *
 * The taps hand the capture whole lines only, so that stdout and stderr interleave line by line as in the job log,
 * never mid-line. And they fail open: should the capture throw, output keeps flowing untouched and the step simply
 * gets no report.
 */
import { Transform, type TransformCallback } from 'node:stream';
import type { ReportLog } from '../../shared/contract/failure-report';
import { LogCapture } from '../../shared/log/capture';
import type { CaptureSnapshot } from '../../shared/log/types';
import { Redactor } from '../../shared/redaction/redactor';
import { secretValuesFromEnv } from '../../shared/redaction/secret-values-from-env';
import { OffloadedCapture } from './offloaded-capture';
import type { ReporterConfig } from './read-reporter-config';

export interface StepCapture {
  readonly taps: { readonly stdout: Transform; readonly stderr: Transform };
  /** The redacted capture; throws if the capture broke during the step. */
  snapshot(): CaptureSnapshot;
  /** Whether stdout's last line had no newline, so that our own lines must start on a fresh one. */
  stdoutEndsMidLine(): boolean;
  encodeLog(snapshot: CaptureSnapshot): Promise<ReportLog>;
  /** Releases the capture (and its worker thread, if one was started). */
  close(): void;
}

export interface StepCaptureOptions {
  /** Script to run the capture's worker thread from (the reporter bundle); without it the capture stays inline. */
  readonly workerScript?: string;
}

/** Hands bytes to the capture; a promise means "hold further output until it settles". */
type CaptureWrite = (bytes: Buffer) => Promise<void> | undefined;

/** A partial line longer than this goes to the capture as it is (binary output may have no newline at all). */
const MAX_HELD_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

/** Thrown by `snapshot()` when the capture failed while the step ran. */
export class CaptureFailedError extends Error {
  override readonly name = 'CaptureFailedError';
}

export function createStepCapture(
  config: ReporterConfig,
  stepEnv: Readonly<Record<string, string | undefined>>,
  options: StepCaptureOptions = {},
): StepCapture {
  const sizes = { tailBytes: config.tailBytes, windowBytes: config.windowBytes };
  const secretValues = secretValuesFromEnv(stepEnv);
  const capture = options.workerScript
    ? offloaded(new OffloadedCapture({ workerScript: options.workerScript, capture: sizes, secretValues }))
    : inline(new LogCapture({ ...sizes, redactor: new Redactor({ values: secretValues }) }));
  const stdout = lineAlignedTap(capture.write);
  return {
    taps: { stdout, stderr: lineAlignedTap(capture.write) },
    stdoutEndsMidLine: () => stdout.endsMidLine,
    snapshot: capture.snapshot,
    // Loaded on a failure only (it brings zlib). The codec's default budget leaves room in the body for the
    // report's other fields.
    encodeLog: async (snapshot) =>
      (await import('../../shared/contract/report-log-codec')).encodeReportLog(snapshot),
    close: capture.close,
  };
}

interface CaptureSide {
  readonly write: CaptureWrite;
  readonly snapshot: () => CaptureSnapshot;
  readonly close: () => void;
}

function inline(capture: LogCapture): CaptureSide {
  let failure: unknown;
  return {
    write(bytes) {
      if (failure !== undefined || bytes.length === 0) return undefined;
      try {
        capture.write(bytes);
      } catch (error) {
        failure = error;
      }
      return undefined;
    },
    snapshot() {
      if (failure !== undefined)
        throw new CaptureFailedError('the capture failed during the step', { cause: failure });
      return capture.snapshot();
    },
    close: () => undefined,
  };
}

function offloaded(capture: OffloadedCapture): CaptureSide {
  return {
    write: (bytes) => capture.write(bytes),
    snapshot() {
      try {
        return capture.snapshot();
      } catch (error) {
        throw new CaptureFailedError('the capture failed during the step', { cause: error });
      }
    },
    close: () => capture.close(),
  };
}

/**
 * Passes every chunk straight on, and gives `write` the same bytes cut at line ends. Held bytes are written piece by
 * piece, never concatenated: nothing else writes to the capture in between, and a copy per chunk would double the
 * garbage of a fast stream.
 */
function lineAlignedTap(write: CaptureWrite): Transform & { readonly endsMidLine: boolean } {
  let held: Buffer[] = [];
  let heldBytes = 0;
  let endsMidLine = false;
  // Pieces go to the capture in order; only the last write's promise matters, as the capture keeps them in order.
  const writeHeld = (): Promise<void> | undefined => {
    let waiting: Promise<void> | undefined;
    for (const piece of held) waiting = write(piece) ?? waiting;
    held = [];
    heldBytes = 0;
    return waiting;
  };
  const tap = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      if (chunk.length > 0) endsMidLine = chunk[chunk.length - 1] !== NEWLINE;
      const lastNewline = chunk.lastIndexOf(NEWLINE);
      let waiting: Promise<void> | undefined;
      if (lastNewline === -1) {
        held.push(chunk);
        heldBytes += chunk.length;
        if (heldBytes > MAX_HELD_BYTES) waiting = writeHeld();
      } else {
        waiting = writeHeld();
        waiting = write(chunk.subarray(0, lastNewline + 1)) ?? waiting;
        if (lastNewline + 1 < chunk.length) {
          held.push(chunk.subarray(lastNewline + 1));
          heldBytes = chunk.length - lastNewline - 1;
        }
      }
      // The chunk goes on at once; only the next one waits while the capture catches up.
      this.push(chunk);
      if (waiting) void waiting.then(() => done());
      else done();
    },
    flush(done: TransformCallback) {
      // The stream's last line ends here even without a newline; the other stream's next line is a new one.
      let waiting: Promise<void> | undefined;
      if (heldBytes > 0) {
        waiting = writeHeld();
        waiting = write(Buffer.from('\n')) ?? waiting;
      }
      if (waiting) void waiting.then(() => done());
      else done();
    },
  });
  return Object.defineProperty(tap, 'endsMidLine', { get: () => endsMidLine }) as Transform & {
    readonly endsMidLine: boolean;
  };
}
