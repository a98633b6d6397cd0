import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalIam, startLocalIam } from '../../services/local/standins/aws/iam-server';
import {
  deployedRunnerPolicies,
  QUEUE_URL,
  RESULTS_TABLE_NAME,
  roleArn,
  withGetItemCondition,
} from '../support/runner-role-policies';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** Runs the real `osdc-rca` binary with only the given environment (plus PATH), as an operator would. */
function runCli(args: string[], env: Record<string, string> = {}) {
  const started = Date.now();
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'osdc-rca.js'), ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started })),
  );
}

describe('CLI: osdc-rca doctor', () => {
  it('passes every check against the local stand-ins, one line each', async () => {
    const { code, stdout } = await runCli(['doctor', '--local']);

    expect(code).toBe(0);
    const okLines = stdout.split('\n').filter((line) => line.startsWith('ok  '));
    expect(okLines.map((line) => line.split(/\s{2,}/)[1])).toEqual([
      'credentials',
      'queue',
      'table Results',
      'table State',
      'bedrock',
      'github app',
    ]);
    expect(stdout).toContain('All 6 checks passed.');
    expect(stdout).toContain('runner role: not checked locally');
  }, 180_000);

  it('exits non-zero within 20 s naming the queue when its endpoint is dead', async () => {
    const queueUrl = 'http://127.0.0.1:9/000000000000/osdc-rca';

    const { code, stdout, stderr, ms } = await runCli(['doctor'], {
      OSDC_RCA_QUEUE_URL: queueUrl,
      AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:9',
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'y',
      AWS_REGION: 'us-east-1',
    });

    expect(code).toBe(1);
    expect(ms).toBeLessThan(20_000);
    expect(stdout).toMatch(
      new RegExp(`^FAIL\\s+queue\\s+queue ${queueUrl}: unreachable \\(ECONNREFUSED\\)$`, 'm'),
    );
    expect(stderr).toMatch(/failed checks: .*\bqueue\b/);
  }, 60_000);

  it('says so when there are no AWS credentials at all, and how to provide them', async () => {
    const { code, stdout } = await runCli(['doctor'], { AWS_REGION: 'us-east-1' });

    expect(code).toBe(1);
    expect(stdout).toMatch(/^FAIL\s+credentials\s+no AWS credentials found$/m);
    expect(stdout).toMatch(/fix: set AWS_PROFILE/);
  }, 60_000);

  it('prints the same results as JSON with --json', async () => {
    const { code, stdout } = await runCli(['doctor', '--json'], {
      OSDC_RCA_QUEUE_URL: 'http://127.0.0.1:9/000000000000/osdc-rca',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'y',
      AWS_REGION: 'us-east-1',
    });

    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { ok: boolean; failed: string[]; checks: Array<{ name: string }> };
    expect(report.ok).toBe(false);
    expect(report.failed).toContain('queue');
    expect(report.checks.map((check) => check.name)).toContain('runner role');
  }, 60_000);

  it('refuses a repository that is not owner/name as a usage error', async () => {
    const { code } = await runCli(['doctor', '--repo', 'not-a-repo']);

    expect(code).toBe(2);
  }, 60_000);
});

describe('CLI: osdc-rca doctor --runner-role-arn', () => {
  let iam: LocalIam;
  beforeAll(async () => {
    const deployed = deployedRunnerPolicies();
    iam = await startLocalIam({
      roles: {
        [roleArn('Deployed')]: deployed,
        [roleArn('NoLeadingKeys')]: withGetItemCondition(deployed, undefined),
      },
    });
  });
  afterAll(() => iam.stop());
  /** IAM through the SDK's own endpoint variable; every other service is dead, so only this line can pass. */
  const doctor = (role: string) =>
    runCli(['doctor', '--runner-role-arn', roleArn(role)], {
      OSDC_RCA_QUEUE_URL: QUEUE_URL,
      OSDC_RCA_RESULTS_TABLE: RESULTS_TABLE_NAME,
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_ENDPOINT_URL_IAM: iam.endpoint,
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'y',
      AWS_REGION: 'us-east-1',
    });

  it('fails a role whose GetItem lacks the LeadingKeys condition, printing the fix', async () => {
    const { code, stdout } = await doctor('NoLeadingKeys');

    expect(code).toBe(1);
    expect(stdout).toMatch(
      /^FAIL\s+runner role\s+arn:aws:iam::111122223333:role\/NoLeadingKeys may dynamodb:GetItem report#…, bind#…, cache#… items: /m,
    );
    expect(stdout).toMatch(/^\s+fix: add the LeadingKeys condition .*; see docs\/security\.md, attack 6$/m);
  }, 60_000);

  it('passes the role as the construct deploys it', async () => {
    const { stdout } = await doctor('Deployed');

    expect(stdout).toMatch(
      /^ok\s+runner role\s+arn:aws:iam::111122223333:role\/Deployed: sqs:SendMessage, and dynamodb:GetItem on result# keys only$/m,
    );
  }, 60_000);
});
