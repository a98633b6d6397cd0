/**
 * Judging a `key=value` pair by what it looks like, for the formats no pattern names (a cloud storage `AccountKey`,
 * a vendor's API key, a `sig=` in a signed URL): the key must name a secret, and the value must look generated —
 * long, drawn from a token alphabet (base64, base64url, hex, alphanumeric) and random-looking (Shannon entropy).
 * Both tests are needed: `key: test_conv2d_padding_same_cpu` names a key but is words, and a commit SHA is random
 * but sits after `sha=`, `commit` or `HEAD is now at`, never after a secret's name.
 */

// The last word of a key name that makes it a secret's name (`AccountKey`, `SharedAccessKey`, `api-key`, `sig`).
const SECRET_WORDS = new Set([
  'key',
  'apikey',
  'pwd',
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'sig',
  'signature',
  'auth',
  'credential',
  'credentials',
  'cookie',
  'session',
  'sas',
  'pat',
]);

// Any of these words in the key says it names something public or a digest: `public_key`, `cache-key`, `sort_key`,
// `primaryKey`, `ssh_key_fingerprint` (the last word is not a secret word anyway), `hash_key`.
const PUBLIC_WORDS = new Set([
  'public',
  'pub',
  'cache',
  'sort',
  'partition',
  'primary',
  'foreign',
  'hash',
  'sha',
  'digest',
  'checksum',
  'lookup',
  'dedup',
  'idempotency',
  'signing',
  'gpg',
  'test',
]);

/** Minimum length of a value judged by its shape alone: shorter random strings are test ids and short hashes. */
export const MIN_SHAPED_SECRET_LENGTH = 16;

/** Key names are words joined by `_`, `-` or `.`, or camelCase; longer ones are not names a person wrote. */
const MAX_KEY_CHARS = 48;

/**
 * The whole key name whose last word `word` starts at `index` of `text`: the name characters before it, and it.
 *
 * @example
 * keyNameEndingAt('x;AccountKey=…', 9, 'Key') // 'AccountKey'
 */
export function keyNameEndingAt(text: string, index: number, word: string): string {
  let start = index;
  while (start > 0 && index - start < MAX_KEY_CHARS && /[\w.-]/.test(text[start - 1]!)) start -= 1;
  return text.slice(start, index + word.length);
}

/**
 * True when a key's name says it holds a secret.
 *
 * @example
 * isSecretKeyName('AccountKey') // true
 * isSecretKeyName('cache-key')  // false
 */
export function isSecretKeyName(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const last = words.at(-1);
  if (last === undefined || !SECRET_WORDS.has(last)) return false;
  return !words.some((word) => PUBLIC_WORDS.has(word));
}

/**
 * True when a value looks generated rather than written: at least 16 characters of a token alphabet, random-looking,
 * and not a hex digest (hex is what hashes and commit SHAs look like; hex secrets are caught by key words that only
 * secrets use, such as `password` or `token`).
 *
 * @example
 * looksLikeSecretValue('Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq') // true
 * looksLikeSecretValue('linux-pip-3.11-requirements') // false
 */
export function looksLikeSecretValue(raw: string): boolean {
  const value = raw.replace(/=+$/, '');
  if (value.length < MIN_SHAPED_SECRET_LENGTH) return false;
  if (!/^[A-Za-z0-9+/_\-.~%]+$/.test(value)) return false;
  if (/^[0-9a-fA-F]+$/.test(value)) return false;
  // A name with a digest in it (`go-mod-9a47…`, a cache key): a long hex run, the rest lowercase words.
  if (/[0-9a-f]{16,}/.test(value) && /^[a-z0-9._\-/]+$/.test(value.replace(/[0-9a-f]{16,}/g, '')))
    return false;
  // Words joined by separators (`setup-python-Linux-x64`, `torch.nn.functional`): names, versions, paths.
  if ((value.match(/[-._/]/g)?.length ?? 0) * 8 > value.length) return false;
  const letters = /[A-Za-z]/.test(value);
  const digits = /[0-9]/.test(value);
  const mixedCase = /[a-z]/.test(value) && /[A-Z]/.test(value);
  if (!letters || !(digits || mixedCase)) return false;
  return entropyBitsPerChar(value) >= 3.5;
}

/** Shannon entropy of the characters of `text`, in bits per character. */
export function entropyBitsPerChar(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
