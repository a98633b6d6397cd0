/**
 * A line over the capture's line cap, kept as its start and its end around a `…[truncated N bytes]…` marker — and
 * redacted BEFORE it is cut: the whole line streams through a StreamingLineRedactor, so a secret that straddles a
 * cut is masked whole instead of leaving its prefix on one side and its remainder on the other. Memory stays bounded
 * by the kept bytes plus the redactor's overlap, whatever the line's length.
 */
import { Buffer } from 'node:buffer';
import type { Redactor } from '../redaction/redactor';
import { StreamingLineRedactor } from '../redaction/streaming-line-redactor';
import { charBoundary } from './capture-region';

export interface LongLineOptions {
  /** Bytes of the line's redacted start to keep. */
  readonly headBytes: number;
  /** Bytes of the line's redacted end to keep. */
  readonly endBytes: number;
}

export class LongLine {
  readonly #decoder = new TextDecoder('utf-8');
  readonly #redactor: Redactor;
  readonly #streaming: StreamingLineRedactor;
  readonly #headBytes: number;
  readonly #endBytes: number;
  #head = '';
  #headUsed = 0;
  #headFull = false;
  /** The last emitted characters after the head (at least `endBytes` bytes' worth once there are that many). */
  #end = '';
  #emittedBytes = 0;
  #redactions = 0;

  constructor(redactor: Redactor, options: LongLineOptions) {
    this.#redactor = redactor;
    this.#streaming = new StreamingLineRedactor(redactor);
    this.#headBytes = options.headBytes;
    this.#endBytes = options.endBytes;
  }

  /** Secrets masked in this line so far (the shared redactor counts them too, before any snapshot is taken). */
  get redactions(): number {
    return this.#redactions;
  }

  /** Feeds the next raw bytes of the line (no newline). The bytes are decoded at once, never kept as views. */
  write(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.#counted(() => this.#take(this.#streaming.push(this.#decoder.decode(bytes, { stream: true }))));
  }

  /** The line has ended: its kept form, redacted, as UTF-8. */
  finish(): Uint8Array {
    this.#counted(() => {
      this.#take(this.#streaming.push(this.#decoder.decode()));
      this.#take(this.#streaming.finish());
    });
    return this.#render(this.#end, 0);
  }

  /** The kept form if the line ended now (for a snapshot taken mid-line); consumes and counts nothing. */
  preview(): Uint8Array {
    const rest = this.#streaming.peek();
    return this.#render(this.#end + rest, Buffer.byteLength(rest));
  }

  #counted(action: () => void): void {
    const before = this.#redactor.count;
    action();
    this.#redactions += this.#redactor.count - before;
  }

  #take(text: string): void {
    if (text.length === 0) return;
    this.#emittedBytes += Buffer.byteLength(text);
    let rest = text;
    if (!this.#headFull) {
      const bytes = Buffer.from(text);
      const room = this.#headBytes - this.#headUsed;
      if (bytes.length <= room) {
        this.#head += text;
        this.#headUsed += bytes.length;
        return;
      }
      const cut = charBoundary(bytes, room, 0);
      this.#head += bytes.subarray(0, cut).toString('utf8');
      this.#headUsed += cut;
      this.#headFull = true;
      rest = bytes.subarray(cut).toString('utf8');
    }
    // Characters, not bytes: at least `endBytes` bytes' worth; trimmed to bytes when rendered.
    this.#end = (this.#end + rest).slice(-this.#endBytes);
  }

  #render(endText: string, extraBytes: number): Uint8Array {
    let end = Buffer.from(endText);
    if (end.length > this.#endBytes)
      end = end.subarray(charBoundary(end, end.length - this.#endBytes, 0, true));
    const skipped = this.#emittedBytes + extraBytes - this.#headUsed - end.length;
    const marker = skipped > 0 ? `…[truncated ${skipped} bytes]…` : '';
    return Buffer.concat([Buffer.from(this.#head), Buffer.from(marker), end]);
  }
}
