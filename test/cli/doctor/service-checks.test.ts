import { generateKeyPairSync } from 'node:crypto';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { IAMClient } from '@aws-sdk/client-iam';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bedrockCheck } from '../../../services/cli/doctor/check-bedrock';
import { githubAppCheck } from '../../../services/cli/doctor/check-github-app';
import { runnerRoleCheck } from '../../../services/cli/doctor/check-runner-role';
import type { GitHubAppSettings } from '../../../services/cli/doctor/doctor-config';
import { runChecks } from '../../../services/cli/doctor/run-checks';
import { LOCAL_AWS } from '../../../services/local/standins/aws/dynamodb-local';
import { bedrockReplies } from '../../../services/local/standins/bedrock/bedrock-replies';
import {
  type LocalBedrock,
  startLocalBedrock,
} from '../../../services/local/standins/bedrock/bedrock-server';
import { type LocalGitHub, startLocalGitHub } from '../../../services/local/standins/github/github-server';

const DEAD = 'http://127.0.0.1:9';
const MODEL = 'global.anthropic.claude-opus-4-6-v1';
const run = (check: Parameters<typeof runChecks>[0][number]) => runChecks([check]).then(([result]) => result);

describe('Check: bedrock', () => {
  let bedrock: LocalBedrock;
  let client: BedrockRuntimeClient;
  beforeAll(async () => {
    bedrock = await startLocalBedrock({ models: [MODEL] });
    client = new BedrockRuntimeClient({ ...LOCAL_AWS, endpoint: bedrock.endpoint, maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await bedrock.stop();
  });
  beforeEach(() => bedrock.reset());
  const check = (modelId = MODEL) => bedrockCheck({ bedrock: client, modelId, region: 'us-east-1' });

  it("sends the analyzer's real request with a tiny maxTokens and prints its cost", async () => {
    const result = await run(check());

    expect(result?.verdict).toBe('ok');
    expect(result?.detail).toMatch(
      /accepted the analysis request \(max_tokens\); \d+\+16 tokens ≈ \$0\.\d{4}$/,
    );
    const [request] = bedrock.requests();
    expect(request?.forcedTool).toBe('record_failure_analysis');
    expect(request?.body.inferenceConfig?.maxTokens).toBe(16);
  });

  it('fails an inference profile that does not resolve in the region, saying how to list the ones that do', async () => {
    const result = await run(check('us.anthropic.claude-nonexistent-v1'));

    expect(result?.verdict).toBe('fail');
    expect(result?.detail).toContain(
      'inference profile us.anthropic.claude-nonexistent-v1 does not resolve in us-east-1',
    );
    expect(result?.fix).toContain('aws bedrock list-inference-profiles --region us-east-1');
  });

  it('fails when model access is not enabled, naming every destination region for a global profile', async () => {
    bedrock.enqueue(bedrockReplies.accessDenied());

    const result = await run(check());

    expect(result?.detail).toMatch(/^model access to anthropic\.claude-opus-4-6-v1 is not enabled/);
    expect(result?.fix).toContain('in every region the global. profile routes to');
  });

  it('fails an IAM denial with the ARNs the policy must allow, the Region-less one included', async () => {
    bedrock.enqueue({
      kind: 'error',
      status: 403,
      errorType: 'AccessDeniedException',
      message:
        'User: arn:aws:sts::111122223333:assumed-role/ops/me is not authorized to perform: bedrock:InvokeModel ' +
        'on resource: arn:aws:bedrock:::foundation-model/anthropic.claude-opus-4-6-v1',
    });

    const result = await run(check());

    expect(result?.detail).toMatch(/^IAM denies bedrock:InvokeModel/);
    expect(result?.fix).toContain(`arn:aws:bedrock:us-east-1:<account>:inference-profile/${MODEL}`);
    expect(result?.fix).toContain('arn:aws:bedrock:::foundation-model/anthropic.claude-opus-4-6-v1');
  });

  it('fails a model id that is not a Bedrock id before calling anything', async () => {
    const result = await run(check('claude'));

    expect(result?.verdict).toBe('fail');
    expect(result?.detail).toContain('is not a Bedrock model id');
    expect(bedrock.requests()).toHaveLength(0);
  });

  it('fails with the network reason when Bedrock cannot be reached', async () => {
    const dead = new BedrockRuntimeClient({ ...LOCAL_AWS, endpoint: DEAD, maxAttempts: 1 });

    const result = await run(bedrockCheck({ bedrock: dead, modelId: MODEL, region: 'us-east-1' }));

    expect(result?.detail).toBe(`Converse on ${MODEL} in us-east-1: unreachable (ECONNREFUSED)`);
    dead.destroy();
  });
});

describe('Check: github app', () => {
  let github: LocalGitHub;
  const secretsManager = new SecretsManagerClient({ ...LOCAL_AWS, endpoint: DEAD, maxAttempts: 1 });
  const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs1', format: 'pem' })
    .toString();
  beforeAll(async () => {
    github = await startLocalGitHub();
    github.addRun({ repo: 'pytorch/pytorch', runId: 1, headSha: 'a'.repeat(40) });
  });
  afterAll(() => github.stop());
  const settings = (overrides: Partial<GitHubAppSettings> = {}): GitHubAppSettings => ({
    apiUrl: github.url,
    appId: '123',
    privateKeySecretArn: undefined,
    privateKey,
    repo: 'pytorch/pytorch',
    ...overrides,
  });

  it('passes an App installed on the repository whose token may write check runs', async () => {
    const result = await run(githubAppCheck({ settings: settings(), secretsManager }));

    expect(result).toMatchObject({ verdict: 'ok', detail: expect.stringContaining('checks:write') });
  });

  it('fails an App whose token lacks checks:write, saying where to grant it', async () => {
    github.addRun({
      repo: 'pytorch/readonly',
      runId: 2,
      headSha: 'b'.repeat(40),
      installationId: 7,
      installationPermissions: { checks: 'read', actions: 'read', pull_requests: 'read' },
    });

    const result = await run(
      githubAppCheck({ settings: settings({ repo: 'pytorch/readonly' }), secretsManager }),
    );

    expect(result).toMatchObject({
      verdict: 'fail',
      detail: "the App's token on pytorch/readonly lacks checks:write",
      fix: expect.stringContaining('Checks read & write'),
    });
  });

  it('fails an App that is not installed on the named repository', async () => {
    const result = await run(
      githubAppCheck({ settings: settings({ repo: 'someone/else' }), secretsManager }),
    );

    expect(result).toMatchObject({ verdict: 'fail', detail: 'App 123 is not installed on someone/else' });
  });

  it('fails when the private key cannot be read from Secrets Manager, naming the secret', async () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:OsdcRca/github-app-private-key';

    const result = await run(
      githubAppCheck({
        settings: settings({ privateKey: undefined, privateKeySecretArn: arn }),
        secretsManager,
      }),
    );

    expect(result?.detail).toBe(`cannot read the App's private key from ${arn}: unreachable (ECONNREFUSED)`);
  });

  it('fails with the network reason when GitHub cannot be reached', async () => {
    const result = await run(githubAppCheck({ settings: settings({ apiUrl: DEAD }), secretsManager }));

    expect(result?.detail).toMatch(/^GitHub http:\/\/127\.0\.0\.1:9: /);
  });

  it('says which variable to set without an App id, and does not pretend without a repository', async () => {
    const [noApp, noRepo] = await runChecks([
      githubAppCheck({ settings: settings({ appId: undefined }), secretsManager }),
      githubAppCheck({ settings: settings({ repo: undefined }), secretsManager }),
    ]);

    expect(noApp).toMatchObject({ verdict: 'fail', detail: 'OSDC_RCA_GITHUB_APP_ID is not set' });
    expect(noRepo).toMatchObject({
      verdict: 'skip',
      detail: expect.stringMatching(/^not checked: .*--repo/),
    });
  });
});

describe('Check: runner role', () => {
  const queueUrl = 'https://sqs.us-east-1.amazonaws.com/111122223333/OsdcRca-Reports';
  const deadIam = async () => new IAMClient({ ...LOCAL_AWS, endpoint: DEAD, maxAttempts: 1 });

  it('says honestly that it did not look when no role ARN is given', async () => {
    const result = await run(
      runnerRoleCheck({ iam: deadIam, roleArn: undefined, queueUrl, resultsTable: 'R' }),
    );

    expect(result).toMatchObject({ verdict: 'skip', detail: expect.stringContaining('--runner-role-arn') });
  });

  it('fails with the reason when IAM cannot simulate the role', async () => {
    const roleArn = 'arn:aws:iam::111122223333:role/OsdcRca-RunnerPods';

    const result = await run(runnerRoleCheck({ iam: deadIam, roleArn, queueUrl, resultsTable: 'R' }));

    expect(result?.detail).toBe(`IAM SimulatePrincipalPolicy on ${roleArn}: unreachable (ECONNREFUSED)`);
  });

  it('fails when the queue URL is not an SQS URL it can turn into an ARN', async () => {
    const result = await run(
      runnerRoleCheck({ iam: deadIam, roleArn: 'arn:aws:iam::1:role/r', queueUrl: DEAD, resultsTable: 'R' }),
    );

    expect(result).toMatchObject({
      verdict: 'fail',
      detail: 'cannot name the queue and table to simulate against',
    });
  });
});
