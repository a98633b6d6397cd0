/**
 * Known secret formats that the redactor replaces in captured log lines. Each pattern is global; when it has a named
 * group `secret`, only that group is replaced (the key word before it stays, so the reader still sees that, say, a
 * password was printed), otherwise the whole match is. Patterns are tuned against the real CI logs in
 * ../shared/data (`npm run bench:redaction`): a false positive costs a little context, a miss leaks a credential.
 */
import { isSecretKeyName, keyNameEndingAt, looksLikeSecretValue } from './secret-shape';

export interface SecretPattern {
  /** Stable id, reported by the redaction benchmark. */
  readonly id: string;
  readonly pattern: RegExp;
  /** Lowercase substrings one of which every match contains: a cheap test that skips the regex on most lines. */
  readonly hints: readonly string[];
  /**
   * A second look at a match, for what a regex says badly (the shape of a value, the whole key name): its named
   * groups, the text searched and where the match starts.
   */
  readonly accept?: (
    groups: Readonly<Record<string, string | undefined>>,
    text: string,
    index: number,
  ) => boolean;
}

// A value that is a placeholder rather than a secret, as a whole: variable references (`$X`, `${X}`, `%X%`,
// `%(x)s`), masks (`***`, `<redacted>`, Travis's `[secure]`), templates and words. Only the WHOLE value: a password
// may well start with `*` or `%` (`--password=*x9Kq…` is a secret, `--password=***` is not).
const PLACEHOLDER = String.raw`(?:\$\{[^}\s]*\}|\$\(?\w+\)?|%\w+%|%\(\w+\)s|%s|\*+|<[^>\s]*>|\[[^\]\s]*\]|\{\{[^}]*\}\}|(?:true|false|null|none|undefined|required|optional|redacted|hidden))`;
/**
 * Not a placeholder followed by one of `ends` (the characters that end the pattern's value) or the text's end. The
 * capture's `…[truncated N bytes]…` marker ends a value too: a long line's kept start may end in `password=***`.
 */
const notAValue = (ends: string) => `(?!…|${PLACEHOLDER}(?:[${ends}…]|$))`;

/** Every private key format (PEM, OpenSSH, PGP) has this in its BEGIN and END lines. */
export const PRIVATE_KEY_BEGIN = /-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/;
export const PRIVATE_KEY_END = /-----END[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/;

/** `::add-mask::VALUE`, as the Actions runner reads it (command names are case-insensitive). */
export const ADD_MASK = /::add-mask::(.*)$/i;

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  {
    id: 'github-token',
    hints: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{70,251})\b/g,
  },
  {
    id: 'aws-access-key-id',
    hints: ['akia', 'asia', 'aroa', 'aida', 'agpa', 'anpa', 'anva', 'aipa'],
    pattern: /\b(?:AKIA|ASIA|AROA|AIDA|AGPA|ANPA|ANVA|AIPA)[A-Z2-7]{16}\b/g,
  },
  {
    id: 'aws-secret-access-key',
    hints: ['secret'],
    pattern:
      /(?<pre>\b(?:aws_?)?secret_?(?:access_?)?key\b["']?\s*[:=]\s*["']?)(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
  },
  { id: 'slack-token', hints: ['xox'], pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,250}/g },
  {
    id: 'slack-webhook',
    hints: ['hooks.slack.com'],
    pattern: /\bhooks\.slack\.com\/services\/T[A-Za-z0-9]+\/B[A-Za-z0-9]+\/[A-Za-z0-9]{16,}/g,
  },
  { id: 'npm-token', hints: ['npm_'], pattern: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { id: 'pypi-token', hints: ['pypi-age'], pattern: /\bpypi-AgE[A-Za-z0-9_-]{50,}/g },
  { id: 'huggingface-token', hints: ['hf_'], pattern: /\bhf_[A-Za-z0-9]{30,}\b/g },
  { id: 'jwt', hints: ['eyj'], pattern: /\beyJ[A-Za-z0-9_-]{6,}\.eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{10,}/g },
  {
    id: 'private-key-inline',
    hints: ['private key'],
    pattern:
      /-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:(?!-----END)[\s\S])+-----END[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/g,
  },
  {
    id: 'authorization-header',
    hints: ['authorization'],
    pattern: new RegExp(
      String.raw`(?<pre>\b(?:proxy-)?authorization\b["']?\s*[:=]\s*["']?(?:(?:bearer|basic|token|digest|negotiate|ntlm)\s+)?)(?!(?:bearer|basic|token|digest|negotiate|ntlm)\s)${notAValue(String.raw`\s"',;`)}(?<secret>[^\s"',;]{6,})`,
      'gi',
    ),
  },
  {
    id: 'url-credentials',
    hints: ['://'],
    pattern: new RegExp(
      String.raw`(?<pre>\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:@/'"]{1,200}:)${notAValue(String.raw`\s@/'"`)}(?<secret>[^\s@/'"]{3,})(?=@[^\s@/'"])`,
      'gi',
    ),
  },
  {
    id: 'secret-assignment',
    hints: [
      'passw',
      'passp',
      'secret',
      'token',
      'credential',
      ...['api', 'access', 'private'].flatMap((word) => [`${word}key`, `${word}_key`, `${word}-key`]),
    ],
    pattern: new RegExp(
      String.raw`(?<pre>\b(?![\w.-]{0,40}?public)[\w.-]{0,40}?(?:password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|client[_-]?secret|credentials?)["']?\s{0,3}[:=]\s{0,3}["']?)${notAValue(String.raw`\s"',;&)`)}(?<secret>[^\s"',;&)]{6,})`,
      'gi',
    ),
  },
  {
    // Formats no pattern names, judged by key name and value shape: `AccountKey=<86 base64>==` in a `;`-separated
    // connection string, `X_API_KEY: <32 alnum>`, `sig=<url-encoded base64>`, `"sessionToken": "…"`. The regex is
    // anchored on the key's last word (fast to scan for); `accept` reads the whole key name back from there.
    id: 'keyed-secret-shape',
    hints: [
      'key',
      'pwd',
      'passw',
      'passp',
      'secret',
      'token',
      'sig',
      'auth',
      'cred',
      'cookie',
      'session',
      'sas',
      'pat',
    ],
    pattern:
      /(?<word>key|apikey|pwd|password|passwd|passphrase|secret|token|sig|signature|auth|credentials?|cookie|session|sas|pat)["']?\s{0,3}[:=]\s{0,3}["']?(?<secret>[A-Za-z0-9+/_\-.~%]{16,}={0,3})(?![\w+/\-.~%=])/gi,
    accept: ({ word, secret }, text, index) =>
      word !== undefined &&
      secret !== undefined &&
      isSecretKeyName(keyNameEndingAt(text, index, word)) &&
      looksLikeSecretValue(secret),
  },
];
