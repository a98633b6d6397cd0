/**
 * Redaction of one line too long to hold whole (a minified bundle, a progress bar without newlines): the line is fed
 * in pieces and comes out redacted in pieces, in memory bounded by `overlap` plus one piece. Text is emitted only up
 * to `overlap` characters before the end of what has arrived, and never from inside a secret: a secret that might
 * still continue waits for the next piece. A secret is missed only if it is longer than `overlap`; private key
 * blocks, which can be longer, are held back whole (up to `maxHold`) and masked whole beyond that.
 */
import { stripAnsi } from '../log/normalize';
import type { Redactor } from './redactor';
import { PRIVATE_KEY_BEGIN, PRIVATE_KEY_END } from './secret-patterns';
import type { SecretRange } from './secret-ranges';

export interface StreamingLineRedactorOptions {
  /** Characters kept back after each piece; must exceed the longest secret (default 4 KiB). */
  readonly overlap?: number;
  /** Most characters held back waiting for a private key's END (default 64 KiB). */
  readonly maxHold?: number;
}

/** An escape sequence can end a piece unfinished; this much is held back to complete it with the next piece. */
const MAX_ESCAPE_CHARS = 512;
/** Escape sequences that are complete: CSI, OSC (ended by BEL or ST) and two-character escapes. */
const COMPLETE_ESCAPE =
  /^(?:\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_])/;

export class StreamingLineRedactor {
  readonly #redactor: Redactor;
  readonly #overlap: number;
  readonly #maxHold: number;
  /** Visible text not yet emitted. */
  #pending = '';
  /** An unfinished escape sequence at the end of the last piece. */
  #escape = '';
  /** Inside a private key too long to hold: everything up to its END is masked. */
  #inKey = false;
  /** The pattern id of a secret cut at the hold limit, whose rest starts the pending text. */
  #continuing: string | undefined;

  constructor(redactor: Redactor, options: StreamingLineRedactorOptions = {}) {
    this.#redactor = redactor;
    this.#overlap = options.overlap ?? 4096;
    this.#maxHold = Math.max(options.maxHold ?? 65_536, this.#overlap * 4);
  }

  /** Feeds the next piece of the line; returns the redacted text that is now final (often empty). */
  push(piece: string): string {
    let text = this.#escape + piece;
    this.#escape = '';
    const lastEscape = text.lastIndexOf('\u001b');
    if (
      lastEscape >= 0 &&
      text.length - lastEscape < MAX_ESCAPE_CHARS &&
      !COMPLETE_ESCAPE.test(text.slice(lastEscape))
    ) {
      this.#escape = text.slice(lastEscape);
      text = text.slice(0, lastEscape);
    }
    this.#pending += stripAnsi(text);
    return this.#pending.length > this.#overlap * 2 ? this.#emit(false) : '';
  }

  /** The line has ended: returns the rest, redacted. */
  finish(): string {
    this.#pending += stripAnsi(this.#escape);
    this.#escape = '';
    return this.#emit(true);
  }

  /** What the rest would look like if the line ended now, without counting or consuming anything. */
  peek(): string {
    const text = this.#pending;
    if (this.#inKey) return text.length > 0 ? '***' : '';
    let out = '';
    let at = 0;
    for (const range of this.#redactor.findSecrets(text)) {
      out += `${text.slice(at, range.start)}***`;
      at = range.end;
    }
    return out + text.slice(at);
  }

  #emit(final: boolean): string {
    if (this.#inKey && !this.#skipKey(final)) return '';
    const text = this.#pending;
    const ranges = this.#redactor.findSecrets(text);
    if (this.#continuing !== undefined) {
      // The rest of a secret cut at the hold limit: its first characters carry no key word any more.
      const rest = /^[^\s"',;&)]+/.exec(text)?.[0].length ?? 0;
      if (rest > 0) ranges.unshift({ start: 0, end: rest, id: this.#continuing });
      this.#continuing = undefined;
    }
    let cut = final ? text.length : text.length - this.#overlap;
    let split: SecretRange | undefined;
    // Never cut inside a secret or between it and its key word. Last range first: moving the cut back may put it
    // inside an earlier range.
    for (const range of [...ranges].reverse()) {
      const from = range.keyStart ?? range.start;
      if (from < cut && range.end > cut) {
        split = range;
        cut = from;
      }
    }
    const begin = final ? null : openPrivateKey(text);
    if (begin !== null && begin < cut) {
      if (text.length <= this.#maxHold) return this.#take(text, ranges, begin);
      // A key longer than anything real, or one with no END: masked from its BEGIN to its END, unseen.
      const head = this.#take(text, ranges, begin);
      const key = this.#pending;
      this.#pending = '';
      this.#inKey = true;
      return head + this.#redactor.applyRanges(key, [{ start: 0, end: key.length, id: 'private-key' }]);
    }
    if (split && cut === 0 && text.length > this.#maxHold) {
      // One "secret" as long as the hold (a `password=` followed by megabytes without a space): mask up to the
      // usual cut and mask the rest of it when it comes.
      cut = text.length - this.#overlap;
      this.#continuing = split.id;
      return this.#take(text, [{ ...split, end: cut }], cut);
    }
    return this.#take(text, ranges, cut);
  }

  /** Emits `text[0, cut)` with its secrets masked; keeps the rest pending. */
  #take(text: string, ranges: readonly SecretRange[], cut: number): string {
    this.#pending = text.slice(cut);
    return this.#redactor.applyRanges(
      text.slice(0, cut),
      ranges.filter((range) => range.end <= cut),
    );
  }

  /** Drops a too-long key's text up to its END; returns whether the key has ended. */
  #skipKey(final: boolean): boolean {
    const end = PRIVATE_KEY_END.exec(this.#pending);
    if (!end && !final) {
      // Keep only enough to find an END marker cut by the piece boundary.
      this.#pending = this.#pending.slice(-this.#overlap);
      return false;
    }
    this.#inKey = false;
    this.#pending = end ? this.#pending.slice(end.index) : '';
    return true;
  }
}

/** Where the last private key BEGIN marker without an END after it starts in `text`, or null. */
function openPrivateKey(text: string): number | null {
  const begins = [...text.matchAll(new RegExp(PRIVATE_KEY_BEGIN.source, 'g'))];
  const last = begins.at(-1);
  if (last === undefined) return null;
  return PRIVATE_KEY_END.test(text.slice(last.index)) ? null : last.index;
}
