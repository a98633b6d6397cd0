/**
 * Runner output reaches the reporter before GitHub masks anything, so nothing secret may leave the pod: every secret
 * of the corpus, every secret-looking value of the step's env and every `::add-mask::` value is checked against
 * the whole SQS body and its decoded log, with the secrets both in early error windows and in the tail.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PRIVATE_KEY, SECRET_FORMATS } from '../support/secret-corpus';
import { baseEnv, GITHUB_ENV, installBundle, runExec } from './support/reporter-bundle';

const SECRET_CORPUS = [
  ...SECRET_FORMATS,
  { kind: 'private key', line: PRIVATE_KEY.join('\n'), secret: PRIVATE_KEY[1]! },
];

import { createTestQueue, decodeReport, LOCAL_CREDENTIALS } from './support/stand-ins';

const STEP_SECRETS = {
  HF_TOKEN: 'hf-custom-value-not-in-any-format-1',
  DB_PASSWORD: 'pa55-w0rd-from-env',
  MY_SERVICE_API_KEY: 'k3y.with/odd+chars=',
  // The step's AWS secret is also what signs the report's own request to the emulator.
  AWS_SECRET_ACCESS_KEY: 'step-aws-secret-0123456789abcdefghijklmn',
};
const MASKED_AT_RUN_TIME = 'generated-at-run-time-7f3a9c';

/** A step that prints every secret in an early error window and again at the end of its output. */
function leakyScript(): string {
  const lines = [
    ...SECRET_CORPUS.map((entry) => entry.line),
    ...Object.values(STEP_SECRETS).map((value) => `connecting with ${value} to the database`),
    `{"password_from_json": "${STEP_SECRETS.DB_PASSWORD}"}`,
    `::add-mask::${MASKED_AT_RUN_TIME}`,
    `token in output: ${MASKED_AT_RUN_TIME}`,
  ];
  return `
    const secrets = ${JSON.stringify(lines)};
    console.log('ERROR: first failure, with secrets around it');
    for (const line of secrets) console.log(line);
    for (let i = 0; i < 20000; i++) console.log('filler line ' + i + ' ' + 'x'.repeat(40));
    console.error('ERROR: second failure');
    for (const line of secrets) console.error(line);
    END();
    process.exit(1);`;
}

describe('Function: runCli (exec), redaction', () => {
  const sqsEndpoint = inject('sqsEndpoint');
  let bundle: ReturnType<typeof installBundle>;
  let stateDir: string;

  beforeAll(() => {
    bundle = installBundle();
    stateDir = mkdtempSync(join(tmpdir(), 'osdc-rca-state-'));
  });

  afterAll(() => {
    bundle.remove();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('sends no secret of the corpus, of the step env or of ::add-mask:: in the SQS body', async () => {
    // Prepare
    const queue = await createTestQueue(sqsEndpoint, 'secrets');
    const env = baseEnv({
      ...GITHUB_ENV,
      ...LOCAL_CREDENTIALS,
      ...STEP_SECRETS,
      AWS_ENDPOINT_URL_SQS: sqsEndpoint,
      OSDC_RCA_QUEUE_URL: queue.queueUrl,
      OSDC_RCA_STATE_DIR: stateDir,
      OSDC_RCA_TAIL_BYTES: String(16 * 1024),
    });

    // Act
    const result = await runExec({ bundle: bundle.path, env, script: leakyScript() });

    // Assess
    expect(result.exitCode).toBe(1);
    const bodies = await queue.receiveBodies(1);
    expect(bodies).toHaveLength(1);
    const { report, tail, windows } = decodeReport(bodies[0]!);
    const text = [...windows.flat(), ...tail].join('\n');
    expect(windows.flat()).toContain('ERROR: first failure, with secrets around it');
    expect(tail).toContain('ERROR: second failure');
    const secrets = [
      ...SECRET_CORPUS.map((entry) => entry.secret),
      ...Object.values(STEP_SECRETS),
      MASKED_AT_RUN_TIME,
    ];
    const leaked = secrets.filter((secret) => text.includes(secret) || bodies[0]!.includes(secret));
    expect(leaked).toEqual([]);
    expect(report.log.redactions).toBeGreaterThanOrEqual(2 * secrets.length);
    expect(text).toContain('connecting with *** to the database');
    queue.destroy();
  });
});
