/**
 * Test support: secrets as CI logs print them, one line per format, with the secret to look for. The values are
 * fake but shaped like the real thing.
 */
const ALNUM = 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v2W3x4Y5z6A7b8C9d0E1f2';
const alnum = (length: number) => ALNUM.repeat(4).slice(0, length);

export interface CorpusSecret {
  readonly kind: string;
  readonly line: string;
  readonly secret: string;
}

export const SECRET_CORPUS: readonly CorpusSecret[] = [
  ...['ghp', 'gho', 'ghs'].map((prefix) => ({
    kind: `github ${prefix}`,
    line: `git clone https://github.com/org/repo.git --config token=${prefix}_${alnum(36)}`,
    secret: `${prefix}_${alnum(36)}`,
  })),
  {
    kind: 'github fine-grained',
    line: `export GH_TOKEN=github_pat_11ABCDEFG0${alnum(12)}_${alnum(59)}`,
    secret: `github_pat_11ABCDEFG0${alnum(12)}_${alnum(59)}`,
  },
  {
    kind: 'aws key id',
    line: 'Using credentials AKIAIOSFODNN7EXAMPLE from env',
    secret: 'AKIAIOSFODNN7EXAMPLE',
  },
  {
    kind: 'aws secret',
    line: 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  },
  {
    kind: 'slack',
    line: 'posting with xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx done',
    secret: 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
  },
  { kind: 'npm', line: `//registry.npmjs.org/:_authToken=npm_${alnum(36)}`, secret: `npm_${alnum(36)}` },
  {
    kind: 'hugging face',
    line: 'huggingface-cli login --token hf_aBcDeFgHiJkLmNoPqRsTuVwXyZaBcDeFgH',
    secret: 'hf_aBcDeFgHiJkLmNoPqRsTuVwXyZaBcDeFgH',
  },
  {
    kind: 'jwt',
    line: 'id token: eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJyZXBvOm9yZy9yZXBvIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    secret:
      'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJyZXBvOm9yZy9yZXBvIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  },
  {
    kind: 'bearer',
    line: 'curl -H "Authorization: Bearer q8Zt3xLm0PvW2rYk" https://api.example.com',
    secret: 'q8Zt3xLm0PvW2rYk',
  },
  {
    kind: 'url credentials',
    line: 'fatal: unable to access https://deploy:Hunter2Secret@git.example.com/repo.git/',
    secret: 'Hunter2Secret',
  },
  {
    kind: 'password assignment',
    line: 'mysql --user=root --password=CorrectHorse9 -e "select 1"',
    secret: 'CorrectHorse9',
  },
  {
    kind: 'private key',
    line: [
      '-----BEGIN OPENSSH PRIVATE KEY-----',
      'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
      '-----END OPENSSH PRIVATE KEY-----',
    ].join('\n'),
    secret: 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
  },
];
