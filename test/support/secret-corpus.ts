/**
 * Test support: secrets as CI logs print them, one realistic line per format, with the secret to look for. The values
 * are fake but shaped like the real thing. Shared by the redaction tests and the reporter's end-to-end secrets test.
 */
const ALNUM = 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v2W3x4Y5z6A7b8C9d0E1f2';
export const alnum = (length: number) => ALNUM.repeat(4).slice(0, length);

export interface CorpusSecret {
  readonly kind: string;
  readonly line: string;
  readonly secret: string;
}

/** Every token format the redactor knows, one line each. */
export const SECRET_FORMATS: readonly CorpusSecret[] = [
  ...['ghp', 'gho', 'ghu', 'ghs', 'ghr'].map((prefix) => ({
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
  { kind: 'aws session id', line: '"AccessKeyId": "ASIAY34FZKBOKMUTVV7A",', secret: 'ASIAY34FZKBOKMUTVV7A' },
  {
    kind: 'aws secret',
    line: 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  },
  {
    kind: 'aws secret json',
    line: '{"SecretAccessKey": "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY", "Expiration": "2026-07-30"}',
    secret: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
  },
  {
    kind: 'slack',
    line: 'posting with xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx done',
    secret: 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
  },
  { kind: 'npm', line: `//registry.npmjs.org/:_authToken=npm_${alnum(36)}`, secret: `npm_${alnum(36)}` },
  {
    kind: 'pypi',
    line: `twine upload -p pypi-AgEIcHlwaS5vcmcCJDUxZjM3YzQ5LTk4ZTQtNDc0OS1hNjI3LTQ1ZGI0ZTNmMDZlOQ${alnum(20)} dist/*`,
    secret: `pypi-AgEIcHlwaS5vcmcCJDUxZjM3YzQ5LTk4ZTQtNDc0OS1hNjI3LTQ1ZGI0ZTNmMDZlOQ${alnum(20)}`,
  },
  {
    kind: 'hugging face',
    line: `huggingface-cli login --token hf_${'aBcDeFgHiJkLmNoPqRsTuVwXyZaBcDeFgH'}`,
    secret: 'hf_aBcDeFgHiJkLmNoPqRsTuVwXyZaBcDeFgH',
  },
  {
    kind: 'jwt',
    line: 'id token: eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJyZXBvOm9yZy9yZXBvIiwiYXVkIjoic3RzIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    secret:
      'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJyZXBvOm9yZy9yZXBvIiwiYXVkIjoic3RzIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  },
  {
    kind: 'bearer',
    line: 'curl -H "Authorization: Bearer q8Zt3xLm0PvW2rYk" https://api.example.com',
    secret: 'q8Zt3xLm0PvW2rYk',
  },
  {
    kind: 'basic',
    line: '> authorization: Basic dXNlcjpodW50ZXIyaHVudGVyMg==',
    secret: 'dXNlcjpodW50ZXIyaHVudGVyMg==',
  },
  { kind: 'token header', line: 'Authorization: token 0a1b2c3d4e5f60718293', secret: '0a1b2c3d4e5f60718293' },
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
  { kind: 'token assignment', line: 'registry_token: "tok_live_5u9Qe2Ww"', secret: 'tok_live_5u9Qe2Ww' },
  { kind: 'secret assignment', line: 'CLIENT_SECRET=Zx9-Pq7-Lm5-Kj3 ./deploy.sh', secret: 'Zx9-Pq7-Lm5-Kj3' },
];

/** A value that only the caller knows is secret (a step's env value): redacted only when passed in. */
export const EXACT_VALUE_SECRET: CorpusSecret = {
  kind: 'exact env value',
  line: 'connecting with s3kr1t-from-env!! to db',
  secret: 's3kr1t-from-env!!',
};

export const PRIVATE_KEY = [
  '-----BEGIN OPENSSH PRIVATE KEY-----',
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
  'QyNTUxOQAAACDcYt4mhe3bQw1tK8GGq2ZNr0kR8Tf3vB3T0GyQOdGBaAAAAJhqXh0Iu7xA',
  '-----END OPENSSH PRIVATE KEY-----',
];
