/**
 * The capture of one step: both output streams feed one `LogCapture` (bounded memory whatever the log's size) with
 * a redactor that knows the step's secret-looking env values, through pass-through taps.
 *
 * The taps hand the capture whole lines only, so that stdout and stderr interleave line by line as in the job log,
 * never mid-line. And they fail open: should the capture throw, output keeps flowing untouched and the step simply
 * gets no report.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { LogCapture } from '../../shared/capture';
import type { ReportLog } from '../../shared/failure-report';
import { Redactor } from '../../shared/redactor';
import { encodeReportLog } from '../../shared/report-log-codec';
import { secretValuesFromEnv } from '../../shared/secret-values-from-env';
import type { CaptureSnapshot } from '../../shared/types';
import type { ReporterConfig } from './read-reporter-config';

export interface StepCapture {
  readonly taps: { readonly stdout: Transform; readonly stderr: Transform };
  /** The redacted capture; throws if the capture broke during the step. */
  snapshot(): CaptureSnapshot;
  /** Whether stdout's last line had no newline, so that our own lines must start on a fresh one. */
  stdoutEndsMidLine(): boolean;
  encodeLog(snapshot: CaptureSnapshot): ReportLog;
}

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
): StepCapture {
  const capture = new LogCapture({
    tailBytes: config.tailBytes,
    windowBytes: config.windowBytes,
    redactor: new Redactor({ values: secretValuesFromEnv(stepEnv) }),
  });
  let failure: unknown;
  const write = (bytes: Buffer) => {
    if (failure !== undefined || bytes.length === 0) return;
    try {
      capture.write(bytes);
    } catch (error) {
      failure = error;
    }
  };
  const stdout = lineAlignedTap(write);
  return {
    taps: { stdout, stderr: lineAlignedTap(write) },
    stdoutEndsMidLine: () => stdout.endsMidLine,
    snapshot() {
      if (failure !== undefined)
        throw new CaptureFailedError('the capture failed during the step', { cause: failure });
      return capture.snapshot();
    },
    // The codec's default budget leaves room in the body for the report's other fields.
    encodeLog: (snapshot) => encodeReportLog(snapshot),
  };
}

/**
 * Passes every chunk straight on, and gives `write` the same bytes cut at line ends. Held bytes are written piece by
 * piece, never concatenated: nothing else writes to the capture in between, and a copy per chunk would double the
 * garbage of a fast stream.
 */
function lineAlignedTap(write: (bytes: Buffer) => void): Transform & { readonly endsMidLine: boolean } {
  let held: Buffer[] = [];
  let heldBytes = 0;
  let endsMidLine = false;
  const writeHeld = () => {
    for (const piece of held) write(piece);
    held = [];
    heldBytes = 0;
  };
  const tap = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      if (chunk.length > 0) endsMidLine = chunk[chunk.length - 1] !== NEWLINE;
      const lastNewline = chunk.lastIndexOf(NEWLINE);
      if (lastNewline === -1) {
        held.push(chunk);
        heldBytes += chunk.length;
        if (heldBytes > MAX_HELD_BYTES) writeHeld();
      } else {
        writeHeld();
        write(chunk.subarray(0, lastNewline + 1));
        if (lastNewline + 1 < chunk.length) {
          held.push(chunk.subarray(lastNewline + 1));
          heldBytes = chunk.length - lastNewline - 1;
        }
      }
      done(null, chunk);
    },
    flush(done: TransformCallback) {
      // The stream's last line ends here even without a newline; the other stream's next line is a new one.
      if (heldBytes > 0) {
        writeHeld();
        write(Buffer.from('\n'));
      }
      done();
    },
  });
  return Object.defineProperty(tap, 'endsMidLine', { get: () => endsMidLine }) as Transform & {
    readonly endsMidLine: boolean;
  };
}
