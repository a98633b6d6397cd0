/**
 * The most recent bytes of the capture's (line-capped) stream, addressed by absolute offset. Large chunks are kept by
 * reference, which costs nothing on the hot path; small ones are copied into shared blocks so that a writer sending
 * one byte at a time cannot make us hold a million tiny buffers. Memory stays near the retained size.
 *
 * With `copyAll` (for a writer that reuses its buffer, such as the capture worker reading a shared ring) every byte
 * is copied, into blocks that are recycled once dropped: a fast stream then makes no garbage at all.
 */

const BLOCK_BYTES = 64 * 1024;
/** Chunks at least this large are kept by reference rather than copied. */
const BY_REFERENCE_BYTES = 16 * 1024;

/** Dropped blocks kept for reuse in `copyAll` mode. */
const SPARE_BLOCKS = 4;

export class CaptureRegion {
  /** Absolute offset of the first retained byte. */
  start = 0;
  /** Absolute offset just after the last byte. */
  end = 0;
  readonly #segments: Uint8Array[] = [];
  readonly #copyAll: boolean;
  readonly #spare: Uint8Array[] = [];
  #block: Uint8Array | undefined;
  #blockUsed = 0;

  constructor(options: { readonly copyAll?: boolean } = {}) {
    this.#copyAll = options.copyAll ?? false;
  }

  /** Bytes of memory the region keeps alive: each buffer its segments view, counted whole, and its spare blocks. */
  get heldBytes(): number {
    const buffers = new Set<ArrayBufferLike>();
    for (const segment of [...this.#segments, ...this.#spare]) buffers.add(segment.buffer);
    if (this.#block) buffers.add(this.#block.buffer);
    let bytes = 0;
    for (const buffer of buffers) bytes += buffer.byteLength;
    return bytes;
  }

  /** Appends `src[from, to)`. */
  append(src: Uint8Array, from: number, to: number): void {
    const length = to - from;
    if (length <= 0) return;
    this.end += length;
    if (length >= BY_REFERENCE_BYTES && !this.#copyAll) {
      this.#block = undefined;
      this.#segments.push(src.subarray(from, to));
      return;
    }
    let at = from;
    while (at < to) {
      if (!this.#block || this.#blockUsed === this.#block.length) {
        this.#block = this.#newBlock(this.#copyAll ? BLOCK_BYTES : Math.max(BLOCK_BYTES, length));
        this.#blockUsed = 0;
        this.#segments.push(this.#block.subarray(0, 0));
      }
      const take = this.#copyAll
        ? Math.min(to - at, this.#block.length - this.#blockUsed)
        : this.#blockUsed + length > this.#block.length
          ? 0
          : length;
      if (take === 0) {
        this.#block = undefined;
        continue;
      }
      this.#block.set(src.subarray(at, at + take), this.#blockUsed);
      this.#blockUsed += take;
      at += take;
      this.#segments[this.#segments.length - 1] = this.#block.subarray(0, this.#blockUsed);
    }
  }

  #newBlock(size: number): Uint8Array {
    return (size === BLOCK_BYTES ? this.#spare.pop() : undefined) ?? new Uint8Array(size);
  }

  /** Keeps a dropped block for reuse: only in `copyAll` mode, where every segment is a whole block of ours. */
  #recycle(segment: Uint8Array): void {
    if (!this.#copyAll || this.#spare.length >= SPARE_BLOCKS || segment.buffer === this.#block?.buffer)
      return;
    if (segment.byteOffset === 0 && segment.buffer.byteLength === BLOCK_BYTES)
      this.#spare.push(new Uint8Array(segment.buffer, 0, BLOCK_BYTES));
  }

  /**
   * Drops bytes from the end so that `end` becomes `newEnd` (used when a line turns out to be too long). The current
   * block stays current, its cut-off bytes free for the next appends. (Abandoning it, as every long line once did,
   * filled the region with mostly empty 64 KiB blocks, 3 MiB of them on a log of many long lines, dropped later as
   * garbage that only a full collection frees: the capture worker's peak RSS rose by ~35 MiB on bench:capture.)
   */
  truncateEnd(newEnd: number): void {
    let excess = this.end - Math.max(newEnd, this.start);
    while (excess > 0) {
      const last = this.#segments.pop();
      if (!last) break;
      const cut = Math.min(excess, last.length);
      excess -= cut;
      this.end -= cut;
      const isBlock = last.buffer === this.#block?.buffer;
      if (cut < last.length) {
        // A block's segment is always its first `blockUsed` bytes.
        this.#segments.push(last.subarray(0, last.length - cut));
        if (isBlock) this.#blockUsed = last.length - cut;
        return;
      }
      if (isBlock) this.#block = undefined;
      this.#recycle(last);
    }
  }

  /**
   * Forgets bytes before `keepFrom` (whole segments), and copies the kept part of an oversized first segment so that
   * a single huge chunk is not held alive by a small view of it.
   */
  dropBefore(keepFrom: number): void {
    while (this.#segments.length > 1) {
      const first = this.#segments[0]!;
      if (this.start + first.length > keepFrom) break;
      this.#segments.shift();
      this.start += first.length;
      this.#recycle(first);
    }
    const first = this.#segments[0];
    if (first && keepFrom > this.start && first.buffer.byteLength > 4 * BLOCK_BYTES) {
      const kept = copyBytes(first.subarray(keepFrom - this.start));
      if (this.#block && first.buffer === this.#block.buffer) this.#block = undefined;
      this.#segments[0] = kept;
      this.start = keepFrom;
    }
  }

  /** A copy (or view) of the bytes in `[from, to)`, clamped to what is retained. */
  read(from: number, to: number): Uint8Array {
    const lo = Math.max(from, this.start);
    const hi = Math.min(to, this.end);
    if (hi <= lo) return new Uint8Array(0);
    const parts: Uint8Array[] = [];
    let offset = this.start;
    for (const segment of this.#segments) {
      const segmentEnd = offset + segment.length;
      if (segmentEnd > lo && offset < hi) {
        parts.push(segment.subarray(Math.max(lo - offset, 0), Math.min(hi, segmentEnd) - offset));
      }
      if (segmentEnd >= hi) break;
      offset = segmentEnd;
    }
    if (parts.length === 1) return parts[0]!;
    const out = new Uint8Array(hi - lo);
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  /** Absolute offset of the last `byte` before `before`, or -1. */
  lastIndexOf(byte: number, before: number): number {
    let segmentEnd = this.end;
    for (let i = this.#segments.length - 1; i >= 0; i--) {
      const segment = this.#segments[i]!;
      const offset = segmentEnd - segment.length;
      if (offset < before) {
        const found = segment.lastIndexOf(byte, Math.min(before, segmentEnd) - offset - 1);
        if (found >= 0) return offset + found;
      }
      segmentEnd = offset;
    }
    return -1;
  }

  /** Absolute offset of the first `byte` at or after `from`, or -1. */
  indexOf(byte: number, from: number): number {
    let offset = this.start;
    for (const segment of this.#segments) {
      const segmentEnd = offset + segment.length;
      if (segmentEnd > from) {
        const found = segment.indexOf(byte, Math.max(from - offset, 0));
        if (found >= 0) return offset + found;
      }
      offset = segmentEnd;
    }
    return -1;
  }
}

/** A copy that owns its memory (`Buffer#slice` would return a view that keeps the whole chunk alive). */
export function copyBytes(view: Uint8Array): Uint8Array {
  const copy = new Uint8Array(view.length);
  copy.set(view);
  return copy;
}

/**
 * Moves a cut so it does not split a UTF-8 sequence: backwards to the start of the character at `at` (never before
 * `floor`), or, with `forward`, past continuation bytes.
 */
export function charBoundary(bytes: Uint8Array, at: number, floor: number, forward = false): number {
  let cut = Math.min(at, bytes.length);
  if (forward) {
    while (cut < bytes.length && (bytes[cut]! & 0xc0) === 0x80) cut += 1;
    return cut;
  }
  while (cut > floor && cut < bytes.length && (bytes[cut]! & 0xc0) === 0x80) cut -= 1;
  return cut;
}
