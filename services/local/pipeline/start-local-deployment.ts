/**
 * The stand-ins of `npm start` (startStandIns) provisioned the way `cdk deploy` provisions AWS — the tables from
 * shared/contract/tables.ts, the reports queue with its dead-letter queue and visibility from
 * shared/contract/queue.ts — plus a local Bedrock, and the local GitHub API seeded with one run and a GitHub App
 * key. `osdc-rca doctor --local` checks it and `osdc-rca canary --local` sends through it, with the same code paths
 * as against the real services.
 */
import { generateKeyPairSync } from 'node:crypto';
import { DEFAULT_ANALYZER_TIMEOUT_SECONDS } from '../../../shared/contract/queue';
import { type LocalBedrock, startLocalBedrock } from '../standins/bedrock/bedrock-server';
import { type StandIns, startStandIns } from './start-stand-ins';

/** The run the local GitHub knows: a canary names it, as an operator names a real run in production. */
export const LOCAL_CANARY_RUN = {
  repo: 'osdc-rca/canary',
  runId: 4242,
  runAttempt: 1,
  headSha: 'c0ffee0000000000000000000000000000000001',
  jobId: 424201,
  jobName: 'canary',
  runnerName: 'osdc-rca-canary-runner',
} as const;

export const LOCAL_GITHUB_APP_ID = '4242';

export interface LocalDeployment extends StandIns {
  readonly bedrock: LocalBedrock;
  /** PEM key of the local GitHub App (the stand-in checks the JWT's shape, not its signature). */
  readonly githubPrivateKey: string;
}

export async function startLocalDeployment(
  options: { readonly analyzerTimeoutSeconds?: number } = {},
): Promise<LocalDeployment> {
  const [standIns, bedrock] = await Promise.all([
    startStandIns({
      deployedQueue: {
        analyzerTimeoutSeconds: options.analyzerTimeoutSeconds ?? DEFAULT_ANALYZER_TIMEOUT_SECONDS,
      },
    }),
    startLocalBedrock(),
  ]);
  standIns.github.addRun({
    repo: LOCAL_CANARY_RUN.repo,
    runId: LOCAL_CANARY_RUN.runId,
    runAttempt: LOCAL_CANARY_RUN.runAttempt,
    headSha: LOCAL_CANARY_RUN.headSha,
    workflowName: 'osdc-rca canary',
    jobs: [
      { id: LOCAL_CANARY_RUN.jobId, name: LOCAL_CANARY_RUN.jobName, runnerName: LOCAL_CANARY_RUN.runnerName },
    ],
  });
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    ...standIns,
    bedrock,
    githubPrivateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    stop: async () => {
      await bedrock.stop();
      await standIns.stop();
    },
  };
}
