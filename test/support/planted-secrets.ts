/**
 * Test and benchmark support: random secrets of every shape the redactor knows, planted into log text the way
 * hostile formatting puts them there — plain, with terminal escape codes around and inside them, inside a line far
 * over the capture's line cap (so that the cut falls anywhere, on the secret too), and wrapped by a terminal. A seeded
 * generator makes every case reproducible. The redaction fuzz test and `npm run bench:redaction` both use it.
 */
import { Buffer } from 'node:buffer';
import { LogCapture } from '../../shared/log/capture';
import { Redactor } from '../../shared/redaction/redactor';
import { WRAP_WIDTHS } from '../../shared/redaction/wrapped-secret-ranges';

export type Random = () => number;

/** mulberry32: a small seeded generator, so that a failing case can be replayed from its seed. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE64 = `${ALNUM}+/`;
const BASE64URL = `${ALNUM}-_`;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
// Printable characters a generated password may hold (no space, quote, `;`, `,`, `&`, `)`: they end a value).
const PASSWORD = `${ALNUM}!#$%*+-./:<=>?@[]^_{|}~`;

export function pick<T>(rand: Random, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

function chars(rand: Random, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(rand() * alphabet.length)];
  return out;
}

function between(rand: Random, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1));
}

export interface PlantedSecret {
  /** How the log shows it: key word, separators and the secret. */
  readonly text: string;
  /** What must not survive, not even 8 characters of it. */
  readonly secret: string;
  /** Exact values the caller passes to the redactor (a step's secret env). */
  readonly values?: readonly string[];
}

export interface SecretShape {
  readonly kind: string;
  readonly make: (rand: Random) => PlantedSecret;
}

const plain = (text: string, secret: string): PlantedSecret => ({ text, secret });

/** Every secret shape the redactor is meant to catch. */
export const SECRET_SHAPES: readonly SecretShape[] = [
  ...['ghp', 'gho', 'ghu', 'ghs', 'ghr'].map((prefix) => ({
    kind: `github ${prefix}_`,
    make: (rand: Random) => {
      const secret = `${prefix}_${chars(rand, ALNUM, 36)}`;
      return plain(`git push https://x-access-token@github.com --token ${secret}`, secret);
    },
  })),
  {
    kind: 'github fine-grained',
    make: (rand) => {
      const secret = `github_pat_${chars(rand, ALNUM, 22)}_${chars(rand, ALNUM, 59)}`;
      return plain(`Using ${secret} for the API`, secret);
    },
  },
  {
    kind: 'aws key id',
    make: (rand) => {
      const secret = `${pick(rand, ['AKIA', 'ASIA'])}${chars(rand, BASE32, 16)}`;
      return plain(`"AccessKeyId": "${secret}",`, secret);
    },
  },
  {
    kind: 'aws secret key',
    make: (rand) => {
      const secret = chars(rand, BASE64, 40);
      return plain(`${pick(rand, ['aws_secret_access_key = ', '"SecretAccessKey": "'])}${secret}`, secret);
    },
  },
  {
    kind: 'slack token',
    make: (rand) => {
      const secret = `xox${pick(rand, ['b', 'p'])}-${chars(rand, '0123456789', 12)}-${chars(rand, ALNUM, 24)}`;
      return plain(`posting with ${secret} now`, secret);
    },
  },
  {
    kind: 'slack webhook',
    make: (rand) => {
      const secret = chars(rand, ALNUM, 24);
      return plain(
        `curl https://hooks.slack.com/services/T0${chars(rand, ALNUM, 8)}/B0${chars(rand, ALNUM, 8)}/${secret}`,
        secret,
      );
    },
  },
  {
    kind: 'npm token',
    make: (rand) => {
      const secret = `npm_${chars(rand, ALNUM, 36)}`;
      return plain(`//registry.npmjs.org/:_authToken=${secret}`, secret);
    },
  },
  {
    kind: 'pypi token',
    make: (rand) => {
      const secret = `pypi-AgE${chars(rand, BASE64URL, 80)}`;
      return plain(`twine upload -p ${secret} dist/*`, secret);
    },
  },
  {
    kind: 'hugging face token',
    make: (rand) => {
      const secret = `hf_${chars(rand, ALNUM, 34)}`;
      return plain(`huggingface-cli login --token ${secret}`, secret);
    },
  },
  {
    kind: 'jwt',
    make: (rand) => {
      const secret = `eyJ${chars(rand, BASE64URL, 30)}.eyJ${chars(rand, BASE64URL, 60)}.${chars(rand, BASE64URL, 43)}`;
      return plain(`id token: ${secret}`, secret);
    },
  },
  {
    kind: 'bearer header',
    make: (rand) => {
      const secret = chars(rand, BASE64URL, between(rand, 16, 64));
      return plain(`curl -H "Authorization: Bearer ${secret}" https://api.example.com`, secret);
    },
  },
  {
    kind: 'basic header',
    make: (rand) => {
      const secret = `${chars(rand, BASE64, 4 * between(rand, 5, 12))}==`;
      return plain(`> authorization: Basic ${secret}`, secret);
    },
  },
  {
    kind: 'url credentials',
    make: (rand) => {
      const secret = chars(rand, ALNUM, between(rand, 10, 30));
      return plain(`fatal: unable to access https://deploy:${secret}@git.example.com/repo.git/`, secret);
    },
  },
  {
    kind: 'password flag',
    make: (rand) => {
      // Starting with `*` or `%` as often as not: a value starting so was once taken for a placeholder.
      const secret = `${pick(rand, ['*', '%', '!', ''])}${chars(rand, PASSWORD, between(rand, 10, 24))}`;
      return plain(`mysql --user=root --password=${secret} -e "select 1"`, secret);
    },
  },
  {
    kind: 'token assignment',
    make: (rand) => {
      const secret = chars(rand, PASSWORD, between(rand, 12, 32));
      return plain(`registry_token: "${secret}"`, secret);
    },
  },
  {
    kind: 'secret env assignment',
    make: (rand) => {
      const secret = chars(rand, `${ALNUM}-_`, between(rand, 12, 40));
      return plain(`CLIENT_SECRET=${secret} ./deploy.sh`, secret);
    },
  },
  {
    kind: 'storage connection string',
    make: (rand) => {
      const secret = `${chars(rand, BASE64, 86)}==`;
      return plain(
        `DefaultEndpointsProtocol=https;AccountName=ci${chars(rand, 'abcdefgh', 6)};AccountKey=${secret};EndpointSuffix=core.windows.net`,
        secret,
      );
    },
  },
  {
    kind: 'vendor api key',
    make: (rand) => {
      const secret = chars(rand, ALNUM, 32);
      return plain(
        `${pick(rand, ['X_API_KEY', 'DD_APP_KEY', 'sendgridKey', 'SharedAccessKey'])}: ${secret}`,
        secret,
      );
    },
  },
  {
    kind: 'signed url sig',
    make: (rand) => {
      const secret = `${chars(rand, ALNUM, 20)}%2B${chars(rand, ALNUM, 12)}%2F${chars(rand, ALNUM, 8)}%3D`;
      return plain(
        `GET https://acct.blob.core.windows.net/c/b?sv=2022-11-02&se=2026&sig=${secret} 200`,
        secret,
      );
    },
  },
  {
    kind: 'exact env value',
    make: (rand) => {
      const secret = chars(rand, PASSWORD, between(rand, 8, 24));
      return { text: `connecting with ${secret} to db`, secret, values: [secret] };
    },
  },
];

export const PLACEMENTS = ['plain', 'ansi', 'long-line', 'wrapped'] as const;
export type Placement = (typeof PLACEMENTS)[number];

const WORDS = [
  'build',
  'step',
  'ok',
  'running',
  'tests',
  'torch',
  'linux',
  'x86_64',
  'cuda',
  '12.4',
  'done',
  '-',
  ':',
  '=',
];
const SGR = ['\u001b[0m', '\u001b[1;33m', '\u001b[32m', '\u001b[38;5;208m', '\u001b[K', '\u001b[2K'];

/** Ordinary log words, `length` characters or a little more. */
export function filler(rand: Random, length: number): string {
  const words: string[] = [];
  let size = 0;
  while (size < length) {
    const word = pick(rand, WORDS);
    words.push(word);
    size += word.length + 1;
  }
  return words.join(' ');
}

/** Escape codes a terminal shows as nothing: colours, line erases, an OSC 8 hyperlink's start or end. */
export function invisibleCode(rand: Random): string {
  return rand() < 0.8
    ? pick(rand, SGR)
    : pick(rand, ['\u001b]8;;https://ci.example/x\u001b\\', '\u001b]8;;\u0007']);
}

/** Puts invisible codes at random places of `text` (inside the secret too: a terminal shows it whole). */
export function sprinkleCodes(rand: Random, text: string, count: number): string {
  // Places in the text as given, so that no code lands inside another.
  const places = Array.from({ length: count }, () => Math.floor(rand() * (text.length + 1))).sort(
    (a, b) => b - a,
  );
  let out = text;
  for (const at of places) out = `${out.slice(0, at)}${invisibleCode(rand)}${out.slice(at)}`;
  return out;
}

export interface PlantedLog {
  /** The log text, lines ending in `\n`. */
  readonly log: string;
  readonly secret: string;
  readonly values: readonly string[];
}

/**
 * A small log with one secret planted the given way. `lineCap` is the capture's line cap, so that a long line is
 * longer than it, with the secret at a random place (before, across or after either cut).
 */
export function plantSecret(
  shape: SecretShape,
  placement: Placement,
  rand: Random,
  lineCap = 8192,
): PlantedLog {
  const planted = shape.make(rand);
  const before = filler(rand, between(rand, 0, 60));
  const after = filler(rand, between(rand, 0, 60));
  let lines: string[];
  if (placement === 'plain') {
    lines = [`${before} ${planted.text} ${after}`];
  } else if (placement === 'ansi') {
    const code = invisibleCode(rand);
    lines = [
      `${sprinkleCodes(rand, before, 2)} ${code}${sprinkleCodes(rand, planted.text, 2)}${invisibleCode(rand)} ${after}`,
    ];
  } else if (placement === 'long-line') {
    // Anywhere in a line up to five times the cap: across the head's cut, in the dropped middle, across the end's.
    const total = between(rand, lineCap + 1, lineCap * 5);
    const at = between(rand, 0, total);
    lines = [`${filler(rand, at)} ${planted.text} ${filler(rand, total - at)}`];
  } else {
    const width = pick(rand, [...WRAP_WIDTHS]);
    const line = `${before} ${planted.text} ${after}`;
    lines = [];
    for (let at = 0; at < line.length; at += width) lines.push(line.slice(at, at + width));
    lines = lines.map((row) => (rand() < 0.5 ? sprinkleCodes(rand, row, 1) : row));
  }
  const log = [filler(rand, 30), ...lines, filler(rand, 30)].map((line) => `${line}\n`).join('');
  return { log, secret: planted.secret, values: planted.values ?? [] };
}

/** The 8-character pieces of `secret` that are still in `text`. */
export function leakedPieces(text: string, secret: string, size = 8): string[] {
  const leaked: string[] = [];
  for (let at = 0; at + size <= secret.length; at++) {
    const piece = secret.slice(at, at + size);
    if (text.includes(piece)) leaked.push(piece);
  }
  return leaked;
}

/**
 * What the real capture path keeps of `log`: a LogCapture with a Redactor (given the step's secret `values`), fed in
 * chunks of `chunkSize(i)` bytes, then one snapshot; windows and tail joined.
 */
export function keptByCapture(
  log: string,
  values: readonly string[],
  chunkSize: (index: number) => number,
): { readonly kept: string; readonly redactions: number } {
  const capture = new LogCapture({ redactor: new Redactor({ values }) });
  const bytes = Buffer.from(log);
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = Math.max(1, chunkSize(i));
    capture.write(bytes.subarray(at, at + size));
    at += size;
  }
  capture.end();
  const snapshot = capture.snapshot();
  const kept = [...snapshot.windows.flatMap((window) => window.lines), ...snapshot.tail.lines].join('\n');
  return { kept, redactions: snapshot.redactions };
}
