/**
 * The capture's worker thread: takes the step's output out of the shared ring and runs the LogCapture on it, so that
 * scanning and scoring never slow the pass-through on the main thread. It answers snapshot requests on its port and
 * stops when the ring is closed. A capture error does not stop it: it keeps emptying the ring (the step's output
 * must never wait on a broken capture) and answers requests with the error.
 */
import { Buffer } from 'node:buffer';
import { parentPort } from 'node:worker_threads';
import { LogCapture } from '../../shared/log/capture';
import { Redactor } from '../../shared/redaction/redactor';
import { CaptureRing, Slot } from './capture-ring';
import { type CaptureWorkerData, type CaptureWorkerReply, errorText, ROOM } from './capture-worker-protocol';

/** How much is handed to the capture at once: the size of a pipe read, so room frees up as it goes. */
const PIECE_BYTES = 64 * 1024;
const IDLE_WAIT_MS = 50;

export function runCaptureWorker(data: CaptureWorkerData): void {
  const ring = new CaptureRing(data.ring);
  const { control } = ring;
  const capture = new LogCapture({
    ...data.capture,
    redactor: new Redactor({ values: [...data.secretValues] }),
    // It is fed one scratch buffer, overwritten for every piece.
    copyInput: true,
  });
  const scratch = Buffer.allocUnsafe(PIECE_BYTES);
  let failure: unknown;
  let served = Atomics.load(control, Slot.SERVED);
  for (;;) {
    const bell = Atomics.load(control, Slot.DOORBELL);
    const piece = ring.peek(PIECE_BYTES);
    if (piece.length > 0) {
      if (failure === undefined) {
        try {
          // Out of shared memory first: decoding and searching views of a SharedArrayBuffer is markedly slower.
          Buffer.from(piece.buffer, piece.byteOffset, piece.length).copy(scratch);
          capture.write(scratch.subarray(0, piece.length));
        } catch (error) {
          failure = error;
        }
      }
      // The main thread sleeps on its event loop, not on the ring: a message wakes it.
      if (ring.release(piece.length)) parentPort?.postMessage(ROOM);
      continue;
    }
    const requested = Atomics.load(control, Slot.REQUESTED);
    if (requested !== served) {
      data.port.postMessage(reply(capture, failure));
      served = requested;
      Atomics.store(control, Slot.SERVED, served);
      Atomics.notify(control, Slot.SERVED);
      continue;
    }
    if (Atomics.load(control, Slot.CLOSED) === 1) break;
    // A bounded sleep: a process that exits without closing the capture terminates this thread, which takes effect
    // only once it is back in JavaScript.
    ring.sleep(bell, IDLE_WAIT_MS);
  }
  data.port.close();
}

function reply(capture: LogCapture, failure: unknown): CaptureWorkerReply {
  if (failure !== undefined) return { ok: false, error: errorText(failure) };
  try {
    return { ok: true, snapshot: capture.snapshot() };
  } catch (error) {
    return { ok: false, error: errorText(error) };
  }
}
