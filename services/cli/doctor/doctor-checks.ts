/** The doctor's checks, in the order they are printed, built from the configuration and the clients. */
import { RESULTS_TABLE, STATE_TABLE } from '../../../shared/contract/tables';
import { bedrockCheck } from './check-bedrock';
import { credentialsCheck } from './check-credentials';
import { githubAppCheck } from './check-github-app';
import { queueCheck } from './check-queue';
import { runnerRoleCheck } from './check-runner-role';
import { tableCheck } from './check-table';
import type { DoctorCheck } from './doctor-check';
import type { DoctorClients } from './doctor-clients';
import type { DoctorConfig } from './doctor-config';

export function doctorChecks(config: DoctorConfig, clients: DoctorClients): DoctorCheck[] {
  const checks = [
    credentialsCheck(clients.sts),
    queueCheck({
      sqs: clients.sqs,
      queueUrl: config.queueUrl,
      analyzerTimeoutSeconds: config.analyzerTimeoutSeconds,
    }),
    tableCheck({
      dynamo: clients.dynamo,
      definition: RESULTS_TABLE,
      tableName: config.resultsTable,
      variable: 'OSDC_RCA_RESULTS_TABLE',
    }),
    tableCheck({
      dynamo: clients.dynamo,
      definition: STATE_TABLE,
      tableName: config.stateTable,
      variable: 'OSDC_RCA_STATE_TABLE',
    }),
    bedrockCheck({ bedrock: clients.bedrock, modelId: config.modelId, region: config.region }),
    githubAppCheck({ settings: config.github, secretsManager: clients.secretsManager }),
  ];
  // Locally no pod assumes a role: there is no deployed role to simulate, so the check is left out, not faked.
  if (config.local) return checks;
  return [
    ...checks,
    runnerRoleCheck({
      iam: async () => {
        const { IAMClient } = await import('@aws-sdk/client-iam');
        return new IAMClient({
          maxAttempts: 2,
          requestHandler: { connectionTimeout: 3000, requestTimeout: 8000 },
        });
      },
      roleArn: config.runnerRoleArn,
      queueUrl: config.queueUrl,
      resultsTable: config.resultsTable,
    }),
  ];
}
