import { generateKeyPairSync } from 'node:crypto';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubAccess, GitHubAccessError } from '../../services/analyzer/create-github-access';
import { ReportVerificationError } from '../../services/analyzer/errors';
import { LOCAL_AWS } from '../../services/local/standins/aws/dynamodb-local';
import { type LocalGitHub, startLocalGitHub } from '../../services/local/standins/github/github-server';
import { type LocalSecretsManager, startLocalSecretsManager } from './support/local-secrets-manager';

const KEY_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:github-app-key';
const NOT_A_KEY_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:not-a-key';

describe('Function: createGitHubAccess (GitHub App)', () => {
  let github: LocalGitHub;
  let secrets: LocalSecretsManager;
  let secretsClient: SecretsManagerClient;

  beforeAll(async () => {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    [github, secrets] = await Promise.all([
      startLocalGitHub({ installationId: 42 }),
      startLocalSecretsManager({ [KEY_ARN]: privateKey, [NOT_A_KEY_ARN]: 'hunter2' }),
    ]);
    secretsClient = new SecretsManagerClient({ ...LOCAL_AWS, endpoint: secrets.endpoint });
    github.addRun({ repo: 'pytorch/pytorch', runId: 7, headSha: 'a'.repeat(40) });
  });
  afterAll(async () => {
    secretsClient.destroy();
    await Promise.all([github.stop(), secrets.stop()]);
  });

  it('authenticates as the installation on the repository with the key from Secrets Manager', async () => {
    // Prepare
    const access = createGitHubAccess({
      auth: { kind: 'app', appId: 12345, privateKeySecretArn: KEY_ARN },
      baseUrl: github.url,
      secretsManager: secretsClient,
      paceWrites: false,
    });

    // Act
    const octokit = await access.forRepository('pytorch', 'pytorch');
    const { data } = await octokit.rest.actions.getWorkflowRun({
      owner: 'pytorch',
      repo: 'pytorch',
      run_id: 7,
    });

    // Assess
    expect(data.id).toBe(7);
    expect(github.requests().map((request) => [request.operationId, request.auth])).toEqual([
      ['apps/get-repo-installation', 'jwt'],
      ['apps/create-installation-access-token', 'jwt'],
      ['actions/get-workflow-run', 'token'],
    ]);
    expect(github.requests()[1]?.path).toBe('/app/installations/42/access_tokens');
  });

  it('rejects a repository the App is not installed on', async () => {
    // Prepare
    const access = createGitHubAccess({
      auth: { kind: 'app', appId: 12345, privateKeySecretArn: KEY_ARN },
      baseUrl: github.url,
      secretsManager: secretsClient,
    });

    // Act
    const attempt = access.forRepository('evil', 'fork');

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ReportVerificationError);
    await expect(attempt).rejects.toMatchObject({ reason: 'app-not-installed' });
  });

  it('tells the operator when the secret holds no private key', async () => {
    // Prepare
    const access = createGitHubAccess({
      auth: { kind: 'app', appId: 12345, privateKeySecretArn: NOT_A_KEY_ARN },
      baseUrl: github.url,
      secretsManager: secretsClient,
    });

    // Act
    const attempt = access.forRepository('pytorch', 'pytorch');

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(GitHubAccessError);
    await expect(attempt).rejects.toThrow(/does not hold a PEM private key/);
  });
});
