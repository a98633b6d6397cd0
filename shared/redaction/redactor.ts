/**
 * Line-wise streaming redaction of a step's output. Runner output reaches the wrapper before GitHub masks secrets, so
 * everything the capture keeps passes through here before it leaves the pod: known token formats, exact values the
 * caller supplies (the step's secret-looking env), values announced in-stream with `::add-mask::`, and the body of
 * private key blocks. Every secret becomes `***`; `count` says how many were replaced.
 */
import {
  ADD_MASK,
  PRIVATE_KEY_BEGIN,
  PRIVATE_KEY_END,
  SECRET_PATTERNS,
  type SecretPattern,
} from './secret-patterns';

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
    this.#patterns = options.patterns ?? SECRET_PATTERNS;
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
    const mask = ADD_MASK.exec(line);
    if (mask) this.addMask(mask[1] ?? '');
    if (this.#inPrivateKey) {
      if (PRIVATE_KEY_END.test(line)) this.#inPrivateKey = false;
    } else if (PRIVATE_KEY_BEGIN.test(line) && !PRIVATE_KEY_END.test(line)) {
      this.#inPrivateKey = true;
    }
  }

  /**
   * Redacts one line (without its terminator) and advances the stream state. Lines must be fed in log order.
   *
   * @example
   * const redactor = new Redactor({ values: [process.env.HF_TOKEN ?? ''] });
   * redactor.redactLine('Authorization: Bearer abcdef123456'); // 'Authorization: Bearer ***'
   */
  redactLine(line: string): string {
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
    return this.#redactText(line);
  }

  /** Redacts many lines in order, starting inside a private key block when `inPrivateKey` is set. */
  redactLines(lines: readonly string[], options: { readonly inPrivateKey?: boolean } = {}): string[] {
    const saved = this.#inPrivateKey;
    this.#inPrivateKey = options.inPrivateKey ?? this.#inPrivateKey;
    const out = lines.map((line) => this.redactLine(line));
    this.#inPrivateKey = saved;
    return out;
  }

  #redactText(line: string): string {
    if (line.length < MIN_SECRET_LENGTH) return line;
    let text = line;
    const masks = this.#masksRegExp();
    if (masks) text = text.replace(masks, () => this.#record('exact-value'));
    const lower = text.toLowerCase();
    if (!this.#anyHint.test(lower)) return text;
    for (const { id, pattern, hints } of this.#patterns) {
      if (!hints.some((hint) => lower.includes(hint))) continue;
      pattern.lastIndex = 0;
      if (!pattern.test(text)) continue;
      pattern.lastIndex = 0;
      text = text.replace(pattern, (...args: unknown[]) => {
        const groups = args.at(-1) as Record<string, string | undefined> | undefined;
        const secret = typeof groups === 'object' ? groups?.secret : undefined;
        // A value already masked by an earlier rule is not counted twice.
        if (secret === REDACTED || args[0] === REDACTED) return args[0] as string;
        this.#record(id);
        return secret === undefined ? REDACTED : `${groups?.pre ?? ''}${REDACTED}`;
      });
    }
    return text;
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
