/**
 * The SDK clients the doctor and the canary use: few attempts and short socket timeouts, so that a dead endpoint
 * fails fast instead of retrying for minutes; against the stand-ins, their endpoints and fixed local credentials.
 */
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import type { DoctorConfig } from './doctor-config';

export interface DoctorClients {
  readonly sts: STSClient;
  readonly sqs: SQSClient;
  readonly dynamo: DynamoDBClient;
  readonly bedrock: BedrockRuntimeClient;
  readonly secretsManager: SecretsManagerClient;
  destroy(): void;
}

/** Two attempts: one retry for a blip, not the SDK's three with backoff. */
const MAX_ATTEMPTS = 2;
const CONNECTION_TIMEOUT_MS = 3000;
const REQUEST_TIMEOUT_MS = 8000;

export function createDoctorClients(config: Pick<DoctorConfig, 'region' | 'local'>): DoctorClients {
  const { local } = config;
  const base = {
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
    ...(config.region ? { region: config.region } : {}),
    ...(local ? { region: config.region ?? 'us-east-1', credentials: local.credentials } : {}),
  };
  const clients = {
    sts: new STSClient({ ...base, ...(local ? { endpoint: local.sts } : {}) }),
    sqs: new SQSClient({ ...base, ...(local ? { endpoint: local.sqs } : {}) }),
    dynamo: new DynamoDBClient({ ...base, ...(local ? { endpoint: local.dynamodb } : {}) }),
    bedrock: new BedrockRuntimeClient({
      ...base,
      // Bedrock's default handler is HTTP/2, which takes a request timeout but no connection timeout.
      requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS },
      ...(local ? { endpoint: local.bedrock } : {}),
    }),
    secretsManager: new SecretsManagerClient(base),
  };
  return {
    ...clients,
    destroy: () => {
      for (const client of Object.values(clients)) client.destroy();
    },
  };
}
