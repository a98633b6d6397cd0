/**
 * Line-wise streaming redaction of a step's output. Runner output reaches the wrapper before GitHub masks secrets, so
 * everything the capture keeps passes through here before it leaves the pod: known token formats, `key=value` pairs
 * whose key names a secret and whose value looks generated, exact values the caller supplies (the step's
 * secret-looking env), values announced in-stream with `::add-mask::`, and the body of private key blocks. Every
 * secret becomes `***`; `count` says how many were replaced.
 *
 * Redaction works on the text a reader sees: terminal escape sequences (colours, OSC titles and hyperlinks) are
 * removed first — a colour code glued to a token would otherwise hide it from the patterns — and the lines that come
 * out carry none. A secret a terminal wrapped over two lines is found by joining the lines (see `redactLines`).
 */
import { stripAnsi } from '../text/normalize';
import {
  ADD_MASK,
  PRIVATE_KEY_BEGIN,
  PRIVATE_KEY_END,
  SECRET_PATTERNS,
  type SecretPattern,
} from './secret-patterns';
import { mergeRanges, type SecretRange, secretRanges } from './secret-ranges';
import { wrappedSecretRanges } from './wrapped-secret-ranges';

export type { SecretRange } from './secret-ranges';

export const REDACTED = '***';

/** Shorter values are ignored: masking every `abc` or `1234` would wreck the log and hide nothing of value. */
export const MIN_SECRET_LENGTH = 6;

export interface RedactorOptions {
  /** Exact secret values to replace wherever they appear (values shorter than 6 characters are ignored). */
  readonly values?: readonly string[];
  /** Defaults to SECRET_PATTERNS; the benchmark passes its own list to count hits per pattern. */
  readonly patterns?: readonly SecretPattern[];
}

export class Redactor {
  #count = 0;
  #inPrivateKey = false;
  readonly #masks = new Set<string>();
  #maskPattern: RegExp | undefined;
  readonly #patterns: readonly SecretPattern[];
  /** Any hint of any pattern: most lines have none and skip the patterns altogether. */
  readonly #anyHint: RegExp;
  /** Replacements per pattern id (`exact-value`, `add-mask` and `private-key` for the non-pattern kinds). */
  readonly hits = new Map<string, number>();

  constructor(options: RedactorOptions = {}) {
    // `d`: the redactor needs where the `secret` group is, not only what it is.
    this.#patterns = (options.patterns ?? SECRET_PATTERNS).map((pattern) => ({
      ...pattern,
      pattern: new RegExp(pattern.pattern.source, `${pattern.pattern.flags.replace('d', '')}d`),
    }));
    const hints = this.#patterns.flatMap((pattern) => pattern.hints);
    this.#anyHint = hints.length > 0 ? new RegExp(hints.map(escapeRegExp).join('|')) : /$^/;
    for (const value of options.values ?? []) this.addMask(value);
  }

  /** Number of secrets replaced so far. */
  get count(): number {
    return this.#count;
  }

  /** True between a `-----BEGIN … PRIVATE KEY-----` line and its END line. */
  get inPrivateKey(): boolean {
    return this.#inPrivateKey;
  }

  /** Adds an exact value to mask from now on. Returns false when it is too short to mask safely. */
  addMask(value: string): boolean {
    const trimmed = value.trim();
    if (trimmed.length < MIN_SECRET_LENGTH || this.#masks.has(trimmed)) return false;
    this.#masks.add(trimmed);
    this.#maskPattern = undefined;
    return true;
  }

  /**
   * Updates the stream state from a line without redacting it: learns `::add-mask::` values and enters or leaves
   * private key blocks. The capture calls this for lines it does not keep, so that later lines are still redacted.
   */
  observeLine(line: string): void {
    const visible = stripAnsi(line);
    const mask = ADD_MASK.exec(visible);
    if (mask) this.addMask(mask[1] ?? '');
    if (this.#inPrivateKey) {
      if (PRIVATE_KEY_END.test(visible)) this.#inPrivateKey = false;
    } else if (PRIVATE_KEY_BEGIN.test(visible) && !PRIVATE_KEY_END.test(visible)) {
      this.#inPrivateKey = true;
    }
  }

  /**
   * Redacts one line (without its terminator) and advances the stream state. Lines must be fed in log order. The
   * result is the line's visible text: escape sequences are gone.
   *
   * @example
   * const redactor = new Redactor({ values: [process.env.HF_TOKEN ?? ''] });
   * redactor.redactLine('Authorization: Bearer abcdef123456'); // 'Authorization: Bearer ***'
   */
  redactLine(line: string): string {
    return this.#redactVisible(stripAnsi(line), []);
  }

  /**
   * Redacts many lines in order, starting inside a private key block when `inPrivateKey` is set. Unlike `redactLine`
   * it sees the next line too, so a secret a terminal wrapped over consecutive lines is redacted on both.
   */
  redactLines(lines: readonly string[], options: { readonly inPrivateKey?: boolean } = {}): string[] {
    const saved = this.#inPrivateKey;
    this.#inPrivateKey = options.inPrivateKey ?? this.#inPrivateKey;
    const visible = lines.map(stripAnsi);
    const wrapped = wrappedSecretRanges(visible, (text) => this.findSecrets(text));
    const out = visible.map((line, index) => this.#redactVisible(line, wrapped.get(index) ?? []));
    this.#inPrivateKey = saved;
    return out;
  }

  /**
   * Where the secrets in `text` (visible text, no escape sequences) are, sorted and not overlapping. Pure: no count,
   * no stream state. For callers that must know where secrets are before they cut text (long lines, wrapped lines).
   */
  findSecrets(text: string): SecretRange[] {
    if (text.length < MIN_SECRET_LENGTH) return [];
    return secretRanges(text, {
      patterns: this.#patterns,
      anyHint: this.#anyHint,
      masks: this.#masksRegExp(),
    });
  }

  /** Replaces the given ranges of `text` by `***`, counting each one. */
  applyRanges(text: string, ranges: readonly SecretRange[]): string {
    if (ranges.length === 0) return text;
    let out = '';
    let at = 0;
    for (const range of ranges) {
      if (range.start < at) continue;
      out += text.slice(at, range.start) + this.#record(range.id);
      at = range.end;
    }
    return out + text.slice(at);
  }

  #redactVisible(line: string, extra: readonly SecretRange[]): string {
    if (this.#inPrivateKey) {
      if (PRIVATE_KEY_END.test(line)) {
        this.#inPrivateKey = false;
        return line;
      }
      this.#record('private-key');
      return REDACTED;
    }
    const mask = ADD_MASK.exec(line);
    if (mask) {
      this.addMask(mask[1] ?? '');
      this.#record('add-mask');
      return `${line.slice(0, mask.index)}::add-mask::${REDACTED}`;
    }
    if (PRIVATE_KEY_BEGIN.test(line) && !PRIVATE_KEY_END.test(line)) this.#inPrivateKey = true;
    const found = this.findSecrets(line);
    return this.applyRanges(line, extra.length === 0 ? found : mergeRanges([...found, ...extra]));
  }

  #masksRegExp(): RegExp | undefined {
    if (this.#masks.size === 0) return undefined;
    if (!this.#maskPattern) {
      // Longest first, so a value that contains another is replaced whole.
      const values = [...this.#masks].sort((a, b) => b.length - a.length).map(escapeRegExp);
      this.#maskPattern = new RegExp(values.join('|'), 'g');
    }
    return this.#maskPattern;
  }

  #record(id: string): string {
    this.#count += 1;
    this.hits.set(id, (this.hits.get(id) ?? 0) + 1);
    return REDACTED;
  }
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
