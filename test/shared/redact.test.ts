import { describe, expect, it } from 'vitest';
import { CaptureStream } from '../../shared/log/capture-stream';
import { Redactor } from '../../shared/redaction/redactor';
import { secretValuesFromEnv } from '../../shared/redaction/secret-values-from-env';

import { alnum, EXACT_VALUE_SECRET, PRIVATE_KEY, SECRET_FORMATS } from '../support/secret-corpus';

const SECRETS = [...SECRET_FORMATS, EXACT_VALUE_SECRET];

async function captureSplit(input: Buffer, at: number, values: readonly string[]) {
  const stream = new CaptureStream({ redactor: new Redactor({ values }) });
  const out: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => out.push(chunk));
  const finished = new Promise((resolve) => stream.on('end', resolve));
  stream.write(input.subarray(0, at));
  stream.write(input.subarray(at));
  stream.end();
  await finished;
  return { output: Buffer.concat(out), snapshot: stream.snapshot() };
}

describe('Class: Redactor', () => {
  it('redacts every secret format wherever the stream is split', async () => {
    // Prepare
    const values = ['s3kr1t-from-env!!'];
    const cases = [
      ...SECRETS.map(({ line, secret }) => ({ text: `build step\n${line}\nnext line\n`, secrets: [secret] })),
      { text: `key follows\n${PRIVATE_KEY.join('\n')}\nafter\n`, secrets: PRIVATE_KEY.slice(1, 3) },
      {
        text: '::add-mask::Announced-Value-31\necho Announced-Value-31 done\n',
        secrets: ['Announced-Value-31'],
      },
    ];
    const leaks: string[] = [];

    // Act
    for (const { text, secrets } of cases) {
      const input = Buffer.from(text);
      for (let at = 0; at <= input.length; at++) {
        const { output, snapshot } = await captureSplit(input, at, values);
        if (!output.equals(input)) leaks.push(`output changed at ${at}: ${text}`);
        const kept = snapshot.tail.lines.join('\n');
        for (const secret of secrets) if (kept.includes(secret)) leaks.push(`split at ${at}: ${kept}`);
      }
    }

    // Assess
    expect(leaks).toEqual([]);
  });

  it('keeps the key word and replaces only the value', () => {
    // Prepare
    const redactor = new Redactor();

    // Act
    const lines = SECRETS.slice(0, 23).map(({ line }) => redactor.redactLine(line));

    // Assess
    expect(lines).toContain('curl -H "Authorization: Bearer ***" https://api.example.com');
    expect(lines).toContain('mysql --user=root --password=*** -e "select 1"');
    expect(lines).toContain('fatal: unable to access https://deploy:***@git.example.com/repo.git/');
    expect(lines).toContain('Using credentials *** from env');
  });

  it('counts each replacement once', () => {
    // Prepare
    const redactor = new Redactor({ values: [`ghp_${alnum(36)}`] });

    // Act
    const line = redactor.redactLine(`token=ghp_${alnum(36)} and AKIAIOSFODNN7EXAMPLE`);

    // Assess
    expect(line).toBe('token=*** and ***');
    expect(redactor.count).toBe(2);
  });

  it('leaves ordinary log text alone', () => {
    // Prepare
    const ordinary = [
      'HEAD is now at 3e4d067a5b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e Shared line scorer',
      'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      '  --hash=sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'request id 123e4567-e89b-12d3-a456-426614174000 completed',
      'assert decode("SGVsbG8gV29ybGQhIFRoaXMgaXMgYmFzZTY0IHRlc3QgZGF0YQ==") == b"Hello World!"',
      'Authentication timestamp timeout: 15.0 minutes',
      'max_tokens=4096 temperature=0.2',
      'Using cache key: linux-jammy-py3.10-gcc11-build-0b3c9e1d',
      'Authorization: ***',
      'password: ********',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an Actions expression, as a log shows it
      'token: ${{ secrets.GITHUB_TOKEN }}',
      'git config --global credential.helper store',
      '2026-07-30T10:39:20.7140484Z ##[group]Run actions/checkout@v4',
      'Downloading https://files.pythonhosted.org/packages/ab/cd/torch-2.4.0-cp310-linux_x86_64.whl',
      'test_tokenizer.py::test_special_tokens PASSED',
      'hf_hub_download(repo_id="gpt2", filename="config.json")',
      'AKIA is the prefix of long-term AWS access keys',
      'secret_scanning: enabled',
    ];
    const redactor = new Redactor();

    // Act
    const redacted = ordinary.map((line) => redactor.redactLine(line));

    // Assess
    expect(redacted).toEqual(ordinary);
    expect(redactor.count).toBe(0);
  });

  it('redacts an announced mask, the announcing line and later lines', () => {
    // Prepare
    const redactor = new Redactor();

    // Act
    const lines = ['::add-mask::p4ssw0rd-xyz', 'echo p4ssw0rd-xyz', '::add-mask::abc'].map((line) =>
      redactor.redactLine(line),
    );

    // Assess
    expect(lines).toEqual(['::add-mask::***', 'echo ***', '::add-mask::***']);
  });

  it('ignores exact values too short to mask safely', () => {
    // Prepare
    const redactor = new Redactor({ values: ['abc', '12345', ''] });

    // Act
    const line = redactor.redactLine('abc 12345 abcdef');

    // Assess
    expect(line).toBe('abc 12345 abcdef');
  });

  it('redacts every line of a private key block until its END line', () => {
    // Prepare
    const redactor = new Redactor();

    // Act
    const lines = [...PRIVATE_KEY, 'after'].map((line) => redactor.redactLine(line));

    // Assess
    expect(lines).toEqual([PRIVATE_KEY[0], '***', '***', PRIVATE_KEY[3], 'after']);
    expect(redactor.inPrivateKey).toBe(false);
  });
});

describe('Function: secretValuesFromEnv', () => {
  it('picks secret-looking values and skips run metadata, paths and short values', () => {
    // Prepare
    const env = {
      GITHUB_TOKEN: 'ghs_abcdefghijklmnopqrstuvwxyz0123456789',
      HF_TOKEN: 'hf_abcdefghijklmnopqrstuvwxyz01234567',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      TWINE_PASSWORD: 'pypi-secret-value',
      SSH_KEY: 'ssh-ed25519-material',
      GITHUB_SHA: '3e4d067a5b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e',
      GITHUB_WORKSPACE: '/home/runner/work/repo/repo',
      SSH_AUTH_SOCK: '/tmp/ssh-agent.sock',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.actions.githubusercontent.com/abc',
      SHORT_TOKEN: 'abc',
      USE_AUTH: 'true',
      MONKEY: 'banana-banana',
      CACHE_KEY_PREFIX_ENABLED: '1',
    };

    // Act
    const values = secretValuesFromEnv(env);

    // Assess
    expect(values.sort()).toEqual(
      [env.GITHUB_TOKEN, env.HF_TOKEN, env.AWS_SECRET_ACCESS_KEY, env.TWINE_PASSWORD, env.SSH_KEY].sort(),
    );
  });
});
