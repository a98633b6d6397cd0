/**
 * Known secret formats that the redactor replaces in captured log lines. Each pattern is global; when it has a named
 * group `secret`, only that group is replaced (the key word before it stays, so the reader still sees that, say, a
 * password was printed), otherwise the whole match is. Patterns are tuned against the real CI logs in
 * ../shared/data (`npm run bench:redaction`): a false positive costs a little context, a miss leaks a credential.
 */

export interface SecretPattern {
  /** Stable id, reported by the redaction benchmark. */
  readonly id: string;
  readonly pattern: RegExp;
  /** Lowercase substrings one of which every match contains: a cheap test that skips the regex on most lines. */
  readonly hints: readonly string[];
}

// Values that look like placeholders rather than secrets: variable references, masks, booleans, `<redacted>`,
// Travis's `[secure]`.
const NOT_A_VALUE = String.raw`(?!\$|%|\*|<|\[|\{\{|(?:true|false|null|none|undefined|required|optional|redacted|hidden)\b)`;

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
      String.raw`(?<pre>\b(?:proxy-)?authorization\b["']?\s*[:=]\s*["']?(?:(?:bearer|basic|token|digest|negotiate|ntlm)\s+)?)${NOT_A_VALUE}(?<secret>[^\s"',;]{6,})`,
      'gi',
    ),
  },
  {
    id: 'url-credentials',
    hints: ['://'],
    pattern: new RegExp(
      String.raw`(?<pre>\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:@/'"]{1,200}:)${NOT_A_VALUE}(?<secret>[^\s@/'"]{3,})(?=@[^\s@/'"])`,
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
      String.raw`(?<pre>\b(?![\w.-]{0,40}?public)[\w.-]{0,40}?(?:password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|client[_-]?secret|credentials?)["']?\s{0,3}[:=]\s{0,3}["']?)${NOT_A_VALUE}(?<secret>[^\s"',;&)]{6,})`,
      'gi',
    ),
  },
];
