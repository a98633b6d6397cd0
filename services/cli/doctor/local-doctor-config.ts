/** The doctor's configuration for the local stand-ins: their endpoints, names and the local GitHub App. */

import {
  LOCAL_CANARY_RUN,
  LOCAL_GITHUB_APP_ID,
  type LocalDeployment,
} from '../../local/pipeline/start-local-deployment';
import { LOCAL_AWS } from '../../local/standins/aws/dynamodb-local';
import type { DoctorConfig } from './doctor-config';

export function localDoctorConfig(base: DoctorConfig, deployment: LocalDeployment): DoctorConfig {
  return {
    ...base,
    region: LOCAL_AWS.region,
    queueUrl: deployment.queueUrl,
    resultsTable: deployment.tables.Results,
    stateTable: deployment.tables.State,
    github: {
      apiUrl: deployment.github.url,
      appId: LOCAL_GITHUB_APP_ID,
      privateKeySecretArn: undefined,
      privateKey: deployment.githubPrivateKey,
      repo: base.github.repo ?? LOCAL_CANARY_RUN.repo,
    },
    runnerRoleArn: undefined,
    local: {
      // fauxqs answers STS GetCallerIdentity as well as SQS.
      sts: deployment.sqsServer.endpoint,
      sqs: deployment.sqsServer.endpoint,
      dynamodb: deployment.dynamo.endpoint,
      bedrock: deployment.bedrock.endpoint,
      credentials: LOCAL_AWS.credentials,
    },
  };
}
