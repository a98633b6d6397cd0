/**
 * GitHub access per repository. In production the GitHub App authenticates as its installation on the report's
 * repository (found with `GET /repos/{owner}/{repo}/installation`; auth-app caches the installation tokens); locally
 * a token stands in. The App's private key is read from Secrets Manager on first use, not at cold start, so a
 * Secrets Manager hiccup fails a record (retried) instead of the whole function.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createAppAuth } from '@octokit/auth-app';
import { type AnalyzerOctokit, createOctokit, httpStatusOf } from './analyzer-octokit';
import { ReportVerificationError } from './errors';
import type { GitHubAuthConfig } from './read-analyzer-config';

export interface GitHubAccess {
  /** An Octokit allowed to read runs and write check runs in `owner/repo`. */
  forRepository(owner: string, repo: string): Promise<AnalyzerOctokit>;
}

export interface GitHubAccessOptions {
  readonly auth: GitHubAuthConfig;
  readonly baseUrl: string;
  readonly secretsManager: SecretsManagerClient | undefined;
  readonly retryBaseMs?: number;
  readonly paceWrites?: boolean;
  readonly pacingGroup?: string;
}

export class GitHubAccessError extends Error {
  override readonly name = 'GitHubAccessError';
}

export function createGitHubAccess(options: GitHubAccessOptions): GitHubAccess {
  const { auth } = options;
  if (auth.kind === 'token') {
    const octokit = createOctokit({
      baseUrl: options.baseUrl,
      auth: auth.token,
      retryBaseMs: options.retryBaseMs,
      paceWrites: options.paceWrites,
      pacingGroup: options.pacingGroup,
    });
    return { forRepository: async () => octokit };
  }

  let privateKey: Promise<string> | undefined;
  let appOctokit: AnalyzerOctokit | undefined;
  const installations = new Map<number, AnalyzerOctokit>();
  const loadPrivateKey = () => {
    privateKey ??= readPrivateKey(options.secretsManager, auth.privateKeySecretArn).catch(
      (error: unknown) => {
        privateKey = undefined;
        throw error;
      },
    );
    return privateKey;
  };

  return {
    async forRepository(owner, repo) {
      const key = await loadPrivateKey();
      appOctokit ??= createOctokit({
        baseUrl: options.baseUrl,
        authStrategy: createAppAuth,
        auth: { appId: auth.appId, privateKey: key },
        retryBaseMs: options.retryBaseMs,
        paceWrites: options.paceWrites,
        pacingGroup: options.pacingGroup,
      });
      let installationId: number;
      try {
        const { data } = await appOctokit.rest.apps.getRepoInstallation({ owner, repo });
        installationId = data.id;
      } catch (error) {
        if (httpStatusOf(error) === 404) {
          throw new ReportVerificationError(
            `the GitHub App is not installed on ${owner}/${repo}`,
            'app-not-installed',
            { cause: error },
          );
        }
        throw error;
      }
      let installation = installations.get(installationId);
      if (!installation) {
        installation = createOctokit({
          baseUrl: options.baseUrl,
          authStrategy: createAppAuth,
          auth: { appId: auth.appId, privateKey: key, installationId },
          retryBaseMs: options.retryBaseMs,
          paceWrites: options.paceWrites,
          pacingGroup: options.pacingGroup,
        });
        installations.set(installationId, installation);
      }
      return installation;
    },
  };
}

/** The App's PEM key from Secrets Manager; a secret that holds anything else is an operator error. */
export async function readPrivateKey(
  client: SecretsManagerClient | undefined,
  secretArn: string,
): Promise<string> {
  if (!client) throw new GitHubAccessError('GitHub App auth needs a Secrets Manager client');
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
  if (!SecretString?.includes('PRIVATE KEY')) {
    throw new GitHubAccessError(
      `secret ${secretArn} does not hold a PEM private key; store the GitHub App's private key as the secret string`,
    );
  }
  return SecretString;
}
