/**
 * The GitHub App: its key signs a JWT GitHub accepts, it is installed on a named repository, and an installation
 * token there carries the permissions the analyzer uses (`checks: write` to post check runs, `actions: read` to
 * verify reports, `pull_requests: read`). No check run is created.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { readPrivateKey } from '../../analyzer/create-github-access';
import { describeError, errorFacts } from './describe-error';
import { type DoctorCheck, failed, notChecked, passed } from './doctor-check';
import type { GitHubAppSettings } from './doctor-config';

export interface GitHubAppCheckInput {
  readonly settings: GitHubAppSettings;
  readonly secretsManager: SecretsManagerClient;
}

/** Permissions the analyzer's requests need, and the level each needs at least. */
const NEEDED: ReadonlyArray<readonly [permission: string, level: 'read' | 'write']> = [
  ['checks', 'write'],
  ['actions', 'read'],
  ['pull_requests', 'read'],
];

export function githubAppCheck(input: GitHubAppCheckInput): DoctorCheck {
  const { settings } = input;
  return {
    name: 'github app',
    async run(signal) {
      if (!settings.appId) {
        return failed('OSDC_RCA_GITHUB_APP_ID is not set', 'set it to the App id (osdc-rca:githubAppId)');
      }
      if (!settings.repo) {
        return notChecked('not checked: name a repository the App serves with --repo owner/name');
      }
      let privateKey = settings.privateKey;
      if (!privateKey) {
        if (!settings.privateKeySecretArn) {
          return failed(
            'OSDC_RCA_GITHUB_PRIVATE_KEY_SECRET_ARN is not set',
            'set it to the App key secret ARN',
          );
        }
        try {
          privateKey = await readPrivateKey(input.secretsManager, settings.privateKeySecretArn);
        } catch (error) {
          return failed(
            `cannot read the App's private key from ${settings.privateKeySecretArn}: ${describeError(error)}`,
            'put the PEM in the secret: `aws secretsmanager put-secret-value --secret-string file://key.pem`',
          );
        }
      }
      const [owner = '', repo = ''] = settings.repo.split('/');
      const octokit = new Octokit({
        baseUrl: settings.apiUrl,
        authStrategy: createAppAuth,
        auth: { appId: settings.appId, privateKey },
        request: { signal },
        log: { debug() {}, info() {}, warn() {}, error() {} },
      });
      let installationId: number;
      try {
        installationId = (await octokit.rest.apps.getRepoInstallation({ owner, repo })).data.id;
      } catch (error) {
        const { httpStatus } = errorFacts(error);
        if (httpStatus === 404) {
          return failed(
            `App ${settings.appId} is not installed on ${settings.repo}`,
            'install the App on the repository (GitHub → the App → Install App)',
          );
        }
        if (httpStatus === 401) {
          return failed(
            `GitHub rejected the App's JWT (${describeError(error)})`,
            'check OSDC_RCA_GITHUB_APP_ID and that the secret holds a current private key of that App',
          );
        }
        return failed(
          `GitHub ${settings.apiUrl}: ${describeError(error)}`,
          'check OSDC_RCA_GITHUB_API_URL and the network',
        );
      }
      let permissions: Record<string, string | undefined>;
      try {
        const token = await octokit.rest.apps.createInstallationAccessToken({
          installation_id: installationId,
          repositories: [repo],
        });
        permissions = (token.data.permissions ?? {}) as Record<string, string | undefined>;
      } catch (error) {
        return failed(
          `no installation token for ${settings.repo}: ${describeError(error)}`,
          'check that the installation includes this repository',
        );
      }
      const missing = NEEDED.filter(([name, level]) => !grants(permissions[name], level)).map(
        ([name, level]) => `${name}:${level}`,
      );
      if (missing.length > 0) {
        return failed(
          `the App's token on ${settings.repo} lacks ${missing.join(', ')}`,
          'App settings → Permissions: Checks read & write, Actions read, Pull requests read; then accept the ' +
            'new permissions in the installation',
        );
      }
      return passed(
        `App ${settings.appId} installed on ${settings.repo} (installation ${installationId}), checks:write`,
      );
    },
  };
}

function grants(granted: string | undefined, needed: 'read' | 'write'): boolean {
  return granted === 'write' || granted === 'admin' || (needed === 'read' && granted === 'read');
}
