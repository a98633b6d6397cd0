/**
 * A line over the capture's line cap, kept as its start and its end around a `…[truncated N bytes]…` marker — and
 * redacted BEFORE it is cut. Only the kept parts can leak, so only they are redacted, each with an overlap: the
 * start is redacted over `headBytes` + 4 KiB of the line, the end over the last `endBytes` + 4 KiB, and only then
 * cut to size. A secret (with its key word) up to 4 KiB long that straddles either cut is therefore seen whole and
 * masked whole, instead of leaving its prefix on one side and its remainder on the other. The dropped middle costs
 * no decoding and no matching; memory stays at the two windows, whatever the line's length.
 */
import { Buffer } from 'node:buffer';
import type { Redactor } from '../redaction/redactor';
import { PRIVATE_KEY_BEGIN, PRIVATE_KEY_END } from '../redaction/secret-patterns';
import { mergeRanges, type SecretRange } from '../redaction/secret-ranges';
import { stripAnsi } from '../text/normalize';
import { charBoundary } from './capture-region';

/** Bytes redacted beyond each kept part: longer than any secret with its key word. */
export const LONG_LINE_OVERLAP_BYTES = 4096;

export interface LongLineOptions {
  /** Bytes of the line's redacted start to keep. */
  readonly headBytes: number;
  /** Bytes of the line's redacted end to keep. */
  readonly endBytes: number;
}

type Mask = (text: string, ranges: readonly SecretRange[]) => string;

export class LongLine {
  readonly #redactor: Redactor;
  readonly #headBytes: number;
  readonly #endBytes: number;
  readonly #startWindow: number;
  readonly #endWindow: number;
  /** The line's first raw bytes, up to the start window (`#startUsed` of them so far). */
  readonly #start: Uint8Array;
  #startUsed = 0;
  /** The line's last raw bytes, a ring of the end window's size: a write allocates nothing. */
  readonly #ring: Uint8Array;
  #total = 0;
  #redactions = 0;

  constructor(redactor: Redactor, options: LongLineOptions) {
    this.#redactor = redactor;
    this.#headBytes = options.headBytes;
    this.#endBytes = options.endBytes;
    this.#startWindow = options.headBytes + LONG_LINE_OVERLAP_BYTES;
    this.#endWindow = options.endBytes + LONG_LINE_OVERLAP_BYTES;
    this.#start = new Uint8Array(this.#startWindow);
    this.#ring = new Uint8Array(this.#endWindow);
  }

  /** Bytes of its buffers: two fixed windows, whatever the line's length. */
  get heldBytes(): number {
    return this.#start.byteLength + this.#ring.byteLength;
  }

  /** Secrets masked when the line was finished. */
  get redactions(): number {
    return this.#redactions;
  }

  /** Feeds the next raw bytes of the line (no newline); copies what it keeps into fixed buffers. */
  write(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.#startUsed < this.#startWindow) {
      const head = bytes.subarray(0, this.#startWindow - this.#startUsed);
      this.#start.set(head, this.#startUsed);
      this.#startUsed += head.length;
    }
    // Only the last `endWindow` bytes of this write can matter; they go in at the ring's position, wrapping once.
    const tail = bytes.subarray(Math.max(0, bytes.length - this.#endWindow));
    const at = (this.#total + bytes.length - tail.length) % this.#endWindow;
    const first = Math.min(tail.length, this.#endWindow - at);
    this.#ring.set(tail.subarray(0, first), at);
    this.#ring.set(tail.subarray(first), 0);
    this.#total += bytes.length;
  }

  /** The last bytes of the line, in order (at most the end window). */
  #endBytesInOrder(): Uint8Array {
    const length = Math.min(this.#total, this.#endWindow);
    const from = (this.#total - length) % this.#endWindow;
    const out = new Uint8Array(length);
    const first = Math.min(length, this.#endWindow - from);
    out.set(this.#ring.subarray(from, from + first), 0);
    out.set(this.#ring.subarray(0, length - first), first);
    return out;
  }

  /** The line has ended: its kept form, redacted, as UTF-8; the masked secrets are counted. */
  finish(): Uint8Array {
    const before = this.#redactor.count;
    const kept = this.#render((text, ranges) => this.#redactor.applyRanges(text, ranges));
    this.#redactions += this.#redactor.count - before;
    return kept;
  }

  /** The kept form if the line ended now (for a snapshot taken mid-line); counts nothing. */
  preview(): Uint8Array {
    return this.#render(maskUncounted);
  }

  #render(mask: Mask): Uint8Array {
    const whole = this.#whole();
    if (whole) {
      const text = Buffer.from(this.#redact(whole, mask, 'whole'));
      if (text.length <= this.#headBytes + this.#endBytes) return text;
      return this.#join(text, text, this.#total);
    }
    const head = Buffer.from(this.#redact(this.#start.subarray(0, this.#startUsed), mask, 'start'));
    const last = this.#endBytesInOrder();
    const end = Buffer.from(this.#redact(last.subarray(charBoundary(last, 0, 0, true)), mask, 'end'));
    return this.#join(head, end, this.#total);
  }

  /** The whole line, when the two windows hold all of it. */
  #whole(): Uint8Array | undefined {
    const last = this.#endBytesInOrder();
    const endFrom = this.#total - last.length;
    if (endFrom > this.#startUsed) return undefined;
    return Buffer.concat([
      this.#start.subarray(0, this.#startUsed),
      last.subarray(this.#startUsed - endFrom),
    ]);
  }

  #redact(bytes: Uint8Array, mask: Mask, part: 'whole' | 'start' | 'end'): string {
    const text = stripAnsi(Buffer.from(bytes).toString('utf8'));
    const ranges = this.#redactor.findSecrets(text);
    // A private key is many lines in a file but one line once escaped (`"-----BEGIN…\n…"`), and can be longer than
    // the overlap: what of it falls in a kept part is masked from its BEGIN, or up to its END.
    if (part !== 'end') {
      const begin = lastOpenKey(text);
      if (begin !== undefined) ranges.push({ start: begin, end: text.length, id: 'private-key' });
    }
    if (part === 'end') {
      const end = PRIVATE_KEY_END.exec(text);
      if (end && !PRIVATE_KEY_BEGIN.test(text.slice(0, end.index))) {
        ranges.push({ start: 0, end: end.index, id: 'private-key' });
      }
    }
    return mask(text, mergeRanges(ranges));
  }

  #join(headText: Buffer, endText: Buffer, total: number): Uint8Array {
    const head = headText.subarray(0, charBoundary(headText, this.#headBytes, 0));
    const end = endText.subarray(
      charBoundary(endText, Math.max(0, endText.length - this.#endBytes), 0, true),
    );
    const skipped = Math.max(0, total - head.length - end.length);
    return Buffer.concat([head, Buffer.from(`…[truncated ${skipped} bytes]…`), end]);
  }
}

/** Where the last private key BEGIN without an END after it starts, if any. */
function lastOpenKey(text: string): number | undefined {
  const begins = [...text.matchAll(new RegExp(PRIVATE_KEY_BEGIN.source, 'g'))];
  const last = begins.at(-1);
  if (last === undefined || PRIVATE_KEY_END.test(text.slice(last.index))) return undefined;
  return last.index;
}

function maskUncounted(text: string, ranges: readonly SecretRange[]): string {
  let out = '';
  let at = 0;
  for (const range of ranges) {
    out += `${text.slice(at, range.start)}***`;
    at = range.end;
  }
  return out + text.slice(at);
}
