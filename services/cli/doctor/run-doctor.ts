/**
 * `osdc-rca doctor`: runs every check against the configured deployment (or the local stand-ins), prints one line
 * each and returns the names of the failed ones.
 */
import type { Writable } from 'node:stream';
import { startLocalDeployment } from '../../local/pipeline/start-local-deployment';
import { doctorChecks } from './doctor-checks';
import { createDoctorClients } from './doctor-clients';
import type { DoctorConfig } from './doctor-config';
import { formatDoctorJson, formatDoctorText } from './format-doctor-report';
import { localDoctorConfig } from './local-doctor-config';
import { runChecks } from './run-checks';

export interface RunDoctorOptions {
  readonly config: DoctorConfig;
  readonly local: boolean;
  readonly json: boolean;
  readonly out: Writable;
  readonly checkTimeoutMs?: number;
}

export async function runDoctor(options: RunDoctorOptions): Promise<{ readonly failed: string[] }> {
  const deployment = options.local ? await startLocalDeployment() : undefined;
  const config = deployment ? localDoctorConfig(options.config, deployment) : options.config;
  const clients = createDoctorClients(config);
  try {
    const results = await runChecks(doctorChecks(config, clients), options.checkTimeoutMs);
    const notes = deployment
      ? [
          `Checked the local stand-ins (DynamoDB: ${deployment.dynamo.engine}, fauxqs, local Bedrock and GitHub); ` +
            'runner role: not checked locally (no pod assumes a role there, so there is no deployed role to simulate).',
        ]
      : [];
    options.out.write(options.json ? formatDoctorJson(results, notes) : formatDoctorText(results, notes));
    return { failed: results.filter((result) => result.verdict === 'fail').map((result) => result.name) };
  } finally {
    clients.destroy();
    await deployment?.stop();
  }
}
