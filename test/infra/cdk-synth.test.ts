/**
 * Runs the real `cdk synth` the way an operator does on a fresh clone: the CLI, cdk.json, tsx, both Lambdas bundled
 * by the local esbuild. Where user namespaces are allowed it runs in a network namespace of its own (no network at
 * all); elsewhere proxies point at a closed port. No AWS credentials are visible either.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './build-test-app';

const run = promisify(execFile);
const CLOSED = 'http://127.0.0.1:9';
const cdk = path.join(repoRoot, 'node_modules', '.bin', 'cdk');
const offline = spawnSync('unshare', ['-rn', 'true']).status === 0;

/** A fresh clone's shell has no AWS credentials; neither does this synth. */
function withoutAwsCredentials(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(
      ([name]) =>
        !/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE|ROLE_ARN|WEB_IDENTITY_TOKEN_FILE)$/.test(
          name,
        ),
    ),
  );
}

interface SynthResult {
  readonly stderr: string;
  readonly template: {
    Resources: Record<string, { Type: string; Metadata?: Record<string, unknown> }>;
    Outputs: Record<string, unknown>;
  };
  readonly report: {
    pluginReports: {
      pluginName: string;
      conclusion: string;
      violations: unknown[];
      suppressedViolations: { reason: string }[];
    }[];
  };
}

describe('Command: cdk synth', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'osdc-rca-synth-'));
  let result: SynthResult;

  beforeAll(async () => {
    const args = ['synth', '--quiet', '--no-notices', '--no-version-reporting', '--output', outdir];
    if (!offline)
      console.info('cdk synth test: no user namespaces here, so the network is only blocked by proxies');
    const { stderr } = await run(offline ? 'unshare' : cdk, offline ? ['-rn', cdk, ...args] : args, {
      cwd: repoRoot,
      timeout: 120_000,
      env: {
        ...withoutAwsCredentials(process.env),
        HTTP_PROXY: CLOSED,
        HTTPS_PROXY: CLOSED,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });
    result = {
      stderr,
      template: JSON.parse(readFileSync(path.join(outdir, 'OsdcRca.template.json'), 'utf8')),
      report: JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')),
    };
  }, 150_000);

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('bundles both Lambda functions with the local esbuild into loadable ESM handlers', async () => {
    // Prepare
    const functions = Object.values(result.template.Resources).filter(
      (r) => r.Type === 'AWS::Lambda::Function',
    );

    // Act
    const bundles = functions.map((fn) =>
      path.join(outdir, String(fn.Metadata?.['aws:asset:path']), 'index.mjs'),
    );

    // Assess
    expect(bundles).toHaveLength(2);
    expect(result.stderr).not.toMatch(/docker/i);
    for (const bundle of bundles) {
      expect(existsSync(bundle)).toBe(true);
      // A child process: the dashboard reads its env when loaded, and the bundles must load on plain Node.
      const { stdout } = await run(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(bundle)}); console.log(typeof m.handler);`,
        ],
        {
          env: {
            ...process.env,
            AWS_REGION: 'us-east-1',
            OSDC_RCA_STATE_TABLE: 'osdc-rca-State',
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          },
        },
      );
      expect(stdout.trim()).toBe('function');
    }
  });

  it('passes cdk-nag AwsSolutions with every suppressed finding explained', () => {
    // Act
    const nag = result.report.pluginReports.find((report) => report.pluginName === 'AwsSolutions');

    // Assess
    expect(nag?.conclusion).toBe('success');
    expect(nag?.violations).toEqual([]);
    for (const suppressed of nag?.suppressedViolations ?? [])
      expect(suppressed.reason.length).toBeGreaterThan(60);
  });

  it('writes the stack with the outputs the runner pods and osdc-rca doctor need', () => {
    // Assess
    expect(Object.keys(result.template.Outputs).sort()).toEqual([
      'QueueUrl',
      'ResultsTable',
      'RunnerPodRoleArn',
      'StateTable',
    ]);
  });
});
