/**
 * The step's capture with its work on a worker thread. The main thread only copies output into a shared ring (about
 * as cheap as the pass-through's own copy), so a step printing hundreds of MiB/s is not slowed by scanning; the
 * worker runs the same LogCapture and hands back the same snapshot.
 *
 * Small outputs never start a thread: until `startAfterBytes` have been written the bytes just sit in the ring, and
 * a snapshot taken then is computed here from the ring. Whatever goes wrong with the worker (it cannot start, it
 * dies, it stops answering), output keeps flowing: waits for room give up after `stallMs` and the capture is then
 * marked failed, so the step gets no report but keeps its output and its timing.
 */
import { LogCapture, type LogCaptureOptions } from '../../shared/log/capture';
import type { CaptureSnapshot } from '../../shared/log/types';
import { Redactor } from '../../shared/redaction/redactor';
import { CaptureRing, Slot } from './capture-ring';
import {
  CAPTURE_WORKER_FLAG,
  CAPTURE_WORKER_ROLE,
  type CaptureWorkerData,
  type CaptureWorkerReply,
  errorText,
  ROOM,
} from './capture-worker-protocol';

export interface OffloadedCaptureOptions {
  /** A script that runs `runCaptureWorker` when started as a worker: the reporter bundle itself. */
  readonly workerScript: string;
  readonly capture?: Omit<LogCaptureOptions, 'redactor'>;
  readonly secretValues?: readonly string[];
  readonly ringBytes?: number;
  readonly startAfterBytes?: number;
  /** How long a write may wait for room, and a snapshot for its answer, before the capture is given up. */
  readonly stallMs?: number;
}

/** Thrown by `snapshot()` when the capture could not follow the step's output. */
export class OffloadedCaptureError extends Error {
  override readonly name = 'OffloadedCaptureError';
}

const DEFAULT_RING_BYTES = 2 * 1024 * 1024;
const DEFAULT_START_AFTER_BYTES = 256 * 1024;
const DEFAULT_STALL_MS = 2000;
/** The worker's heaps: the capture holds well under a MiB, so small limits keep the pod's memory in check. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 2 };

export class OffloadedCapture {
  readonly #options: OffloadedCaptureOptions;
  readonly #ring: CaptureRing;
  readonly #startAfterBytes: number;
  readonly #stallMs: number;
  #worker: import('node:worker_threads').Worker | undefined;
  #port: import('node:worker_threads').MessagePort | undefined;
  #receive: typeof import('node:worker_threads').receiveMessageOnPort | undefined;
  /** The worker is being started (`node:worker_threads` loads on first use, off the passing steps' path). */
  #starting = false;
  #failure: unknown;
  #written = 0;
  /** Writes waiting for room, in order: a later write never overtakes an earlier one. */
  #queue: Promise<void> | undefined;
  #requests = 0;
  #closed = false;
  /** Resolves the write waiting for room, if one is. */
  #wake: (() => void) | undefined;

  constructor(options: OffloadedCaptureOptions) {
    this.#options = options;
    this.#ring = new CaptureRing(options.ringBytes ?? DEFAULT_RING_BYTES);
    this.#startAfterBytes = Math.min(
      options.startAfterBytes ?? DEFAULT_START_AFTER_BYTES,
      this.#ring.capacity,
    );
    this.#stallMs = options.stallMs ?? DEFAULT_STALL_MS;
  }

  /** Why the capture stopped, if it did. */
  get failure(): unknown {
    return this.#failure;
  }

  /** Whether a worker thread was started. */
  get offloaded(): boolean {
    return this.#worker !== undefined;
  }

  /**
   * Hands the next bytes to the capture. Returns nothing when they went straight in, or a promise that settles
   * (never rejects) once they are in or the capture has been given up; the caller holds further output until then.
   */
  write(bytes: Uint8Array): Promise<void> | undefined {
    if (this.#failure !== undefined || this.#closed || bytes.length === 0) return undefined;
    this.#written += bytes.length;
    if (this.#written > this.#startAfterBytes) this.#start();
    if (this.#queue === undefined) {
      const copied = this.#ring.write(bytes);
      if (copied === bytes.length) return undefined;
      return this.#enqueue(bytes, copied);
    }
    return this.#enqueue(bytes, 0);
  }

  /** The capture's bounded, redacted view of everything written so far. Blocks until the worker has caught up. */
  snapshot(): CaptureSnapshot {
    if (this.#failure !== undefined)
      throw new OffloadedCaptureError(`the capture failed during the step: ${errorText(this.#failure)}`, {
        cause: this.#failure,
      });
    // Not started, or still starting: nothing has left the ring yet.
    if (this.#worker === undefined || this.#port === undefined || this.#receive === undefined)
      return this.#localSnapshot();
    const control = this.#ring.control;
    this.#requests = (this.#requests + 1) | 0;
    Atomics.store(control, Slot.REQUESTED, this.#requests);
    this.#ring.ring();
    const deadline = Date.now() + this.#stallMs;
    while (Atomics.load(control, Slot.SERVED) !== this.#requests) {
      const left = deadline - Date.now();
      if (left <= 0) {
        this.#giveUp(new OffloadedCaptureError('the capture worker did not answer in time'));
        throw new OffloadedCaptureError('the capture worker did not answer in time');
      }
      Atomics.wait(control, Slot.SERVED, Atomics.load(control, Slot.SERVED), left);
    }
    const received = this.#receive(this.#port)?.message as CaptureWorkerReply | undefined;
    if (!received) throw new OffloadedCaptureError('the capture worker answered without a snapshot');
    if (!received.ok) throw new OffloadedCaptureError(`the capture failed in its worker: ${received.error}`);
    return received.snapshot;
  }

  /** Stops the worker; the capture takes no more bytes. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    Atomics.store(this.#ring.control, Slot.CLOSED, 1);
    this.#ring.ring();
    this.#port?.close();
    void this.#worker?.terminate().catch(() => undefined);
  }

  #start(): void {
    if (this.#starting) return;
    this.#starting = true;
    import('node:worker_threads').then(
      (threads) => this.#spawn(threads),
      (error: unknown) => this.#giveUp(error),
    );
  }

  #spawn(threads: typeof import('node:worker_threads')): void {
    if (this.#closed || this.#failure !== undefined) return;
    const channel = new threads.MessageChannel();
    const data: CaptureWorkerData = {
      role: CAPTURE_WORKER_ROLE,
      ring: this.#ring.buffer,
      port: channel.port2,
      capture: this.#options.capture ?? {},
      secretValues: this.#options.secretValues ?? [],
    };
    try {
      const worker = new threads.Worker(this.#options.workerScript, {
        workerData: data,
        transferList: [channel.port2],
        argv: [CAPTURE_WORKER_FLAG],
        resourceLimits: WORKER_LIMITS,
        // The worker script is the plain bundle: no loader flags of ours (a TS loader under tests) to start with it.
        execArgv: [],
      });
      // Never keep the job's process alive. (It prints nothing: its errors arrive here as events.)
      worker.unref();
      worker.on('message', (message) => {
        if (message === ROOM) this.#wake?.();
      });
      worker.once('error', (error) => this.#giveUp(error));
      worker.once('exit', (code) => {
        if (!this.#closed)
          this.#giveUp(new OffloadedCaptureError(`the capture worker exited with code ${code}`));
      });
      this.#worker = worker;
      this.#port = channel.port1;
      this.#receive = threads.receiveMessageOnPort;
    } catch (error) {
      channel.port1.close();
      this.#giveUp(error);
    }
  }

  #enqueue(bytes: Uint8Array, from: number): Promise<void> {
    const previous = this.#queue ?? Promise.resolve();
    const next = previous.then(() => this.#copyRest(bytes, from));
    this.#queue = next;
    void next.then(() => {
      if (this.#queue === next) this.#queue = undefined;
    });
    return next;
  }

  async #copyRest(bytes: Uint8Array, from: number): Promise<void> {
    let at = from;
    this.#start();
    while (at < bytes.length && this.#failure === undefined && !this.#closed) {
      at += this.#ring.write(bytes, at);
      if (at < bytes.length) await this.#room();
    }
  }

  /**
   * Settles once the worker has emptied half the ring, or gives the capture up when it made no progress within
   * `stallMs`. The timer also keeps the event loop alive meanwhile: the worker is unref'd, its messages are not.
   */
  #room(): Promise<void> {
    if (!this.#ring.waitForRoom()) return Promise.resolve();
    const readBefore = Atomics.load(this.#ring.control, Slot.READ);
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        if (Atomics.load(this.#ring.control, Slot.READ) === readBefore)
          this.#giveUp(
            new OffloadedCaptureError(`the capture worker made no progress for ${this.#stallMs} ms`),
          );
        this.#wake?.();
      }, this.#stallMs);
      this.#wake = () => {
        this.#wake = undefined;
        clearTimeout(timer);
        resolve();
      };
    });
  }

  #giveUp(error: unknown): void {
    this.#failure ??= error ?? new OffloadedCaptureError('the capture failed');
    // Wake a write waiting for room, so that output flows on at once.
    this.#wake?.();
    this.close();
  }

  /** The snapshot of a step whose output never needed the worker: everything is still in the ring. */
  #localSnapshot(): CaptureSnapshot {
    const capture = new LogCapture({
      ...this.#options.capture,
      redactor: new Redactor({ values: [...(this.#options.secretValues ?? [])] }),
    });
    const bytes = this.#ringContents();
    if (bytes.length > 0) capture.write(bytes);
    return capture.snapshot();
  }

  #ringContents(): Uint8Array {
    // Read without consuming: later writes and snapshots still see these bytes.
    const read = Atomics.load(this.#ring.control, Slot.READ);
    const bytes = this.#ring.drain();
    Atomics.store(this.#ring.control, Slot.READ, read);
    return bytes;
  }
}
