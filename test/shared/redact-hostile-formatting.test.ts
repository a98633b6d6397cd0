import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { LogCapture } from '../../shared/log/capture';
import { Redactor } from '../../shared/redaction/redactor';
import { isSecretKeyName, looksLikeSecretValue } from '../../shared/redaction/secret-shape';
import { alnum } from '../support/secret-corpus';

const GHP = `ghp_${alnum(36)}`;
const ACCOUNT_KEY = `${'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw'}==`;

function capture(text: string, options: { maxLineBytes?: number; chunk?: number } = {}) {
  const log = new LogCapture({ maxLineBytes: options.maxLineBytes });
  const bytes = Buffer.from(text);
  const chunk = options.chunk ?? bytes.length;
  for (let at = 0; at < bytes.length; at += chunk) log.write(bytes.subarray(at, at + chunk));
  log.end();
  return log.snapshot();
}

describe('Class: Redactor, against hostile formatting', () => {
  it('redacts a token right after a colour code and returns the text without escape codes', () => {
    // Act
    const line = new Redactor().redactLine(`\u001b[1;33m${GHP}\u001b[0m and \u001b[32mAKIAIOSFODNN7EXAMPLE`);

    // Assess
    expect(line).toBe('*** and ***');
  });

  it('redacts a token split by an escape code, as a terminal shows it whole', () => {
    expect(new Redactor().redactLine(`token ${GHP.slice(0, 10)}\u001b[0m${GHP.slice(10)}`)).toBe('token ***');
  });

  it('redacts a password that starts with * or %, and keeps placeholders', () => {
    // Prepare
    const redactor = new Redactor();

    // Act
    const lines = [
      '--password=*x9Kq2mPz7',
      '--password=%Tr0ub4dor&3',
      '--password=***',
      '--password=%DB_PASSWORD%',
      '--password=$DB_PASSWORD',
      'password: <redacted>',
    ].map((line) => redactor.redactLine(line));

    // Assess
    expect(lines).toEqual([
      '--password=***',
      '--password=***&3',
      '--password=***',
      '--password=%DB_PASSWORD%',
      '--password=$DB_PASSWORD',
      'password: <redacted>',
    ]);
  });

  it('redacts the key of a storage connection string and keeps the account name', () => {
    // Act
    const line = new Redactor().redactLine(
      `DefaultEndpointsProtocol=https;AccountName=ciartifacts;AccountKey=${ACCOUNT_KEY};EndpointSuffix=core.windows.net`,
    );

    // Assess
    expect(line).toBe(
      'DefaultEndpointsProtocol=https;AccountName=ciartifacts;AccountKey=***;EndpointSuffix=core.windows.net',
    );
  });

  it('redacts a token a terminal wrapped at 80 columns, on both lines', () => {
    // Prepare
    const line = `${'x'.repeat(60)} --token ${GHP} done`;
    const rows = [line.slice(0, 80), line.slice(80)];

    // Act
    const redacted = new Redactor().redactLines(rows);

    // Assess
    expect(redacted).toEqual([`${'x'.repeat(60)} --token ***`, '*** done']);
  });

  it('redacts a bearer token whose key word ends the wrapped row', () => {
    // Prepare
    const row = `${'curl -s '.padEnd(80 - ' -H "Authorization: Bearer '.length, '-')} -H "Authorization: Bearer `;
    expect(row).toHaveLength(80);

    // Act
    const redacted = new Redactor().redactLines([row, 'q8Zt3xLm0PvW2rYkQ9" https://api.example.com']);

    // Assess
    expect(redacted[1]).toBe('***" https://api.example.com');
  });

  it('does not join lines that do not end at a wrap width', () => {
    expect(new Redactor().redactLines(['export MY_TOKEN=', 'abcdefghijklmnop'])).toEqual([
      'export MY_TOKEN=',
      'abcdefghijklmnop',
    ]);
  });
});

describe('Class: LogCapture, long lines', () => {
  it('redacts a secret that straddles the cut of the kept start, before cutting', () => {
    // Prepare: the head keeps 6,144 bytes of an 8 KiB cap; the secret starts 10 bytes before that cut.
    const line = `${'a '.repeat(3064)}q DEPLOY_SECRET=${alnum(30)} ${'b '.repeat(8000)}`;

    // Act
    const snapshot = capture(`${line}\n`, { chunk: 1000 });

    // Assess
    const kept = snapshot.tail.lines.join('\n');
    expect(kept).not.toContain(alnum(30).slice(0, 8));
    expect(kept).not.toContain(alnum(30).slice(-8));
    expect(kept).toMatch(/…\[truncated \d+ bytes\]…/);
    expect(snapshot.redactions).toBe(1);
  });

  it('redacts the unfinished long line a snapshot sees mid-stream', () => {
    // Prepare
    const log = new LogCapture();
    log.write(Buffer.from(`${'c'.repeat(9000)} Authorization: Bearer ${alnum(40)} ${'d'.repeat(100)}`));

    // Act
    const kept = log.snapshot().tail.lines.join('\n');

    // Assess
    expect(kept).toContain('Authorization: Bearer ***');
    expect(kept).not.toContain(alnum(40).slice(0, 8));
  });

  it('masks the part of an escaped private key that falls in a kept part', () => {
    // Prepare: a key printed as one JSON string, longer than the overlap, starting inside the kept start.
    const line = `${'g '.repeat(3000)}"key": "-----BEGIN RSA PRIVATE KEY-----\\n${'K'.repeat(20_000)}\\n-----END RSA PRIVATE KEY-----\\n" done`;

    // Act
    const kept = capture(`${line}\n`, { chunk: 4096 }).tail.lines.join('\n');

    // Assess
    expect(kept).not.toContain('KKKKKKKK');
    expect(kept).toContain('-----END RSA PRIVATE KEY-----');
  });

  it('keeps the stored log free of escape codes', () => {
    // Act
    const snapshot = capture(
      '\u001b[31merror\u001b[0m: \u001b]8;;https://x.example\u001b\\link\u001b]8;;\u001b\\\n',
    );

    // Assess
    expect(snapshot.tail.lines).toEqual(['error: link']);
  });
});

describe('Function: isSecretKeyName', () => {
  it.each([
    ['AccountKey', true],
    ['SharedAccessKey', true],
    ['x-api-key', true],
    ['sig', true],
    ['DB_PWD', true],
    ['cache-key', false],
    ['public_key', false],
    ['primaryKey', false],
    ['monkey', false],
    ['key_id', false],
  ])('says %s → %s', (key, expected) => {
    expect(isSecretKeyName(key)).toBe(expected);
  });
});

describe('Function: looksLikeSecretValue', () => {
  it.each([
    [ACCOUNT_KEY, true],
    ['sk9Xw2LqPzR7mV4tB1nY6cJ8', true],
    ['3e4d067a5b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e', false],
    ['linux-jammy-py3.10-gcc11-build', false],
    ['go-mod-9a473cd8a5d217975d111fc1f81d69aaa65f7d90a3e103020d1af75baa7b5478', false],
    ['test_conv2d_padding_same_cpu', false],
    ['aaaaaaaaaaaaaaaaaaaaaaaa', false],
    ['short1A', false],
  ])('says %s → %s', (value, expected) => {
    expect(looksLikeSecretValue(value)).toBe(expected);
  });
});
