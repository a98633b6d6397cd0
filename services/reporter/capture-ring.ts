/**
 * A single-producer, single-consumer byte ring in a SharedArrayBuffer: the step's output goes in on the main thread
 * (one copy, no message per chunk) and the capture worker takes it out. Positions are running byte counts kept in
 * Int32 slots and wrap around 2^32 together, so `written - read` stays right as long as the ring is under 1 GiB.
 *
 * The control slots double as futex words: the worker sleeps on `DOORBELL` (rung by every write, snapshot request and
 * close), the main thread waits on `READ` for room and on `SERVED` for a snapshot.
 */

// Slots by who writes them, one 64-byte cache line each group: the two threads touch them all the time, and slots
// that share a line with the other thread's stores turn every access into a cross-core miss.
export const Slot = {
  // Written by the producer (the main thread).
  WRITTEN: 0,
  DOORBELL: 1,
  REQUESTED: 2,
  CLOSED: 3,
  // Written by the consumer (the worker).
  READ: 16,
  SERVED: 17,
  /** Set by the consumer while it sleeps on `DOORBELL`, so that producers wake it only then (a notify is not free). */
  SLEEPING: 18,
  /** Set by a producer waiting for room; the consumer clears it and sends a wake-up once half the ring is free. */
  WAITING: 32,
} as const;

const HEADER_BYTES = 3 * 64;
/** Int32 slots in the header. */
export const CONTROL_SLOTS = HEADER_BYTES / 4;

export class CaptureRing {
  readonly buffer: SharedArrayBuffer;
  readonly control: Int32Array;
  readonly capacity: number;
  readonly #data: Uint8Array;
  readonly #mask: number;

  /** A new ring of `capacity` bytes (a power of two), or a view of one made elsewhere. */
  constructor(capacityOrBuffer: number | SharedArrayBuffer) {
    this.buffer =
      typeof capacityOrBuffer === 'number'
        ? new SharedArrayBuffer(HEADER_BYTES + checkCapacity(capacityOrBuffer))
        : capacityOrBuffer;
    this.capacity = checkCapacity(this.buffer.byteLength - HEADER_BYTES);
    this.#mask = this.capacity - 1;
    this.control = new Int32Array(this.buffer, 0, CONTROL_SLOTS);
    this.#data = new Uint8Array(this.buffer, HEADER_BYTES, this.capacity);
  }

  /** Bytes written and not yet taken out. */
  get used(): number {
    return (Atomics.load(this.control, Slot.WRITTEN) - Atomics.load(this.control, Slot.READ)) >>> 0;
  }

  /** Producer: copies as much of `bytes[from..]` as fits; returns how many bytes went in. */
  write(bytes: Uint8Array, from = 0): number {
    const written = Atomics.load(this.control, Slot.WRITTEN);
    const free = this.capacity - ((written - Atomics.load(this.control, Slot.READ)) >>> 0);
    const count = Math.min(free, bytes.length - from);
    if (count <= 0) return 0;
    const at = written & this.#mask;
    const first = Math.min(count, this.capacity - at);
    this.#data.set(bytes.subarray(from, from + first), at);
    if (count > first) this.#data.set(bytes.subarray(from + first, from + count), 0);
    Atomics.store(this.control, Slot.WRITTEN, (written + count) | 0);
    this.ring();
    return count;
  }

  /** Wakes the consumer, if it sleeps. */
  ring(): void {
    Atomics.add(this.control, Slot.DOORBELL, 1);
    if (Atomics.load(this.control, Slot.SLEEPING) === 1) Atomics.notify(this.control, Slot.DOORBELL);
  }

  /**
   * Consumer: sleeps until the doorbell has rung since `bell` was read, or `timeoutMs` passed. `SLEEPING` is set
   * before the doorbell is compared, so a producer either sees it and notifies, or rang before and the wait returns
   * at once.
   */
  sleep(bell: number, timeoutMs: number): void {
    Atomics.store(this.control, Slot.SLEEPING, 1);
    Atomics.wait(this.control, Slot.DOORBELL, bell, timeoutMs);
    Atomics.store(this.control, Slot.SLEEPING, 0);
  }

  /**
   * Consumer: the next contiguous run of unread bytes (at most `max`), as a view into the ring that is only valid
   * until `release` is called; empty when there is nothing to read.
   */
  peek(max: number): Uint8Array {
    const read = Atomics.load(this.control, Slot.READ);
    const available = (Atomics.load(this.control, Slot.WRITTEN) - read) >>> 0;
    const at = read & this.#mask;
    return this.#data.subarray(at, at + Math.min(available, max, this.capacity - at));
  }

  /** Consumer: frees `count` bytes; true when a producer waits for room and should be woken now. */
  release(count: number): boolean {
    Atomics.add(this.control, Slot.READ, count);
    if (Atomics.load(this.control, Slot.WAITING) === 0 || this.used > this.capacity >> 1) return false;
    return Atomics.compareExchange(this.control, Slot.WAITING, 1, 0) === 1;
  }

  /** Producer: announces that it waits for room; false when there is room already (nothing to wait for). */
  waitForRoom(): boolean {
    Atomics.store(this.control, Slot.WAITING, 1);
    // Checked after announcing, so a release in between is never missed.
    if (this.used <= this.capacity >> 1) {
      Atomics.store(this.control, Slot.WAITING, 0);
      return false;
    }
    return true;
  }

  /** Every unread byte, in order, copied out (for a capture done without the worker). */
  drain(): Uint8Array {
    const parts: Uint8Array[] = [];
    for (let part = this.peek(this.capacity); part.length > 0; part = this.peek(this.capacity)) {
      parts.push(part.slice());
      this.release(part.length);
    }
    const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
}

function checkCapacity(capacity: number): number {
  if (
    !Number.isInteger(capacity) ||
    capacity < 1024 ||
    capacity > 2 ** 30 ||
    (capacity & (capacity - 1)) !== 0
  )
    throw new RangeError(`a capture ring holds a power of two between 1 KiB and 1 GiB, got ${capacity}`);
  return capacity;
}
