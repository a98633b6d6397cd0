/**
 * Finds where any of a set of short keywords starts in a chunk of bytes, in one SIMD pass (shared/needle-scan.wat)
 * rather than one `indexOf` sweep per keyword: the capture's hot path runs this over every byte of a step's output.
 *
 * Each scanner owns a small WebAssembly instance (its memory grows to the largest chunk seen); the chunk is copied
 * in, scanned, and the keyword starts come back in ascending order.
 */
import { Buffer } from 'node:buffer';
import { NEEDLE_SCAN_WASM_BASE64 } from './needle-scan-wasm';

const BUCKETS = 8;
const SLOTS_PER_BUCKET = 4;
const MAX_NEEDLES = BUCKETS * SLOTS_PER_BUCKET;
const MAX_NEEDLE_BYTES = 16;
const COUNTS_AT = 128;
const SLOTS_AT = 256;
const SLOT_BYTES = 32;
const OUT_AT = 4096;
/** Keyword starts reported per chunk; a chunk with more (a log of nothing but keywords) is left to `indexOf`. */
const OUT_CAPACITY = 16 * 1024;
const INPUT_AT = OUT_AT + OUT_CAPACITY * 4;
/** The scanner reads up to 17 bytes past the input and zeroes 32. */
const PADDING = 32;
const PAGE = 64 * 1024;

interface ScanExports {
  readonly memory: WebAssembly.Memory;
  scan(input: number, length: number, out: number, capacity: number): number;
}

let compiled: WebAssembly.Module | undefined;

/** Thrown for keywords the scanner cannot hold; the message names the rule broken. */
export class NeedleScannerError extends Error {
  override readonly name = 'NeedleScannerError';
}

export class NeedleScanner {
  readonly #exports: ScanExports;
  readonly #needles: readonly Buffer[];
  #bytes: Uint8Array;

  /** `needles`: 1 to 32 keywords of 3 to 16 bytes each (latin1). */
  constructor(needles: readonly string[]) {
    if (needles.length === 0 || needles.length > MAX_NEEDLES)
      throw new NeedleScannerError(
        `between 1 and ${MAX_NEEDLES} keywords are supported, got ${needles.length}`,
      );
    this.#needles = needles.map((needle) => {
      const bytes = Buffer.from(needle, 'latin1');
      if (bytes.length < 3 || bytes.length > MAX_NEEDLE_BYTES)
        throw new NeedleScannerError(
          `keyword ${JSON.stringify(needle)} must be 3 to ${MAX_NEEDLE_BYTES} bytes long`,
        );
      return bytes;
    });
    compiled ??= new WebAssembly.Module(Buffer.from(NEEDLE_SCAN_WASM_BASE64, 'base64'));
    this.#exports = new WebAssembly.Instance(compiled).exports as unknown as ScanExports;
    this.#bytes = new Uint8Array(this.#exports.memory.buffer);
    this.#writeTables();
  }

  /**
   * Offsets where a keyword starts in `chunk`, ascending; `undefined` when there are too many to report (the caller
   * then searches itself). The array is a view of the scanner's memory, valid until the next scan.
   */
  scan(chunk: Uint8Array): Int32Array | undefined {
    const needed = INPUT_AT + chunk.length + PADDING;
    if (needed > this.#bytes.length) {
      this.#exports.memory.grow(Math.ceil((needed - this.#bytes.length) / PAGE));
      this.#bytes = new Uint8Array(this.#exports.memory.buffer);
    }
    this.#bytes.set(chunk, INPUT_AT);
    const found = this.#exports.scan(INPUT_AT, chunk.length, OUT_AT, OUT_CAPACITY);
    if (found < 0) return undefined;
    return new Int32Array(this.#exports.memory.buffer, OUT_AT, found);
  }

  /**
   * Spreads the keywords over the buckets (round robin, so keywords sharing a first letter land apart and the nibble
   * tables stay selective) and writes the nibble tables and the verification slots.
   */
  #writeTables(): void {
    const memory = this.#bytes;
    const counts = new Int32Array(this.#exports.memory.buffer, COUNTS_AT, BUCKETS);
    this.#needles.forEach((needle, index) => {
      const bucket = index % BUCKETS;
      const bit = 1 << bucket;
      for (let position = 0; position < 3; position++) {
        const byte = needle[position]!;
        memory[position * 32 + (byte & 15)]! |= bit;
        memory[position * 32 + 16 + (byte >> 4)]! |= bit;
      }
      const slot = SLOTS_AT + (bucket * SLOTS_PER_BUCKET + counts[bucket]!) * SLOT_BYTES;
      memory.fill(0xff, slot, slot + needle.length);
      memory.set(needle, slot + 16);
      counts[bucket]! += 1;
    });
  }
}
