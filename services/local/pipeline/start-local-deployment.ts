/**
 * The stand-ins provisioned the way `cdk deploy` provisions AWS: the two tables from shared/contract/tables.ts, the
 * reports queue with its dead-letter queue and visibility from shared/contract/queue.ts, a local Bedrock, and the
 * local GitHub API seeded with one repository, a run and a GitHub App key. `osdc-rca doctor --local` checks it and
 * `osdc-rca canary --local` sends through it, with the same code paths as against the real services.
 */
import { generateKeyPairSync } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  DEFAULT_ANALYZER_TIMEOUT_SECONDS,
  MAX_RECEIVE_COUNT,
  visibilityTimeoutFor,
} from '../../../shared/contract/queue';
import { createTables, type TableNames, tableNames } from '../standins/aws/create-tables';
import { LOCAL_AWS, type LocalDynamo, startLocalDynamo } from '../standins/aws/dynamodb-local';
import { startLocalSqs } from '../standins/aws/sqs-emulator';
import { type LocalBedrock, startLocalBedrock } from '../standins/bedrock/bedrock-server';
import { type LocalGitHub, startLocalGitHub } from '../standins/github/github-server';

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

export interface LocalDeployment {
  readonly dynamo: LocalDynamo;
  readonly sqsEndpoint: string;
  readonly bedrock: LocalBedrock;
  readonly github: LocalGitHub;
  readonly tables: TableNames;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly dlqUrl: string;
  /** PEM key of the local GitHub App (the stand-in checks the JWT's shape, not its signature). */
  readonly githubPrivateKey: string;
  stop(): Promise<void>;
}

export interface StartLocalDeploymentOptions {
  /** `dynalite` starts in milliseconds; DynamoDB Local (the default when Java runs) is the real engine. */
  readonly dynamoEngine?: 'dynamodb-local' | 'dynalite';
  readonly analyzerTimeoutSeconds?: number;
}

export async function startLocalDeployment(
  options: StartLocalDeploymentOptions = {},
): Promise<LocalDeployment> {
  const stops: Array<() => Promise<unknown> | unknown> = [];
  const stop = async () => {
    for (const each of stops.reverse()) await Promise.resolve(each()).catch(() => {});
  };
  try {
    const [dynamo, sqsServer, bedrock, github] = await Promise.all([
      startLocalDynamo(options.dynamoEngine ? { engine: options.dynamoEngine } : {}),
      startLocalSqs(),
      startLocalBedrock(),
      startLocalGitHub(),
    ]);
    stops.push(
      () => dynamo.stop(),
      () => sqsServer.stop(),
      () => bedrock.stop(),
      () => github.stop(),
    );
    const tables = tableNames('osdc-rca');
    const dynamoClient = new DynamoDBClient({ ...LOCAL_AWS, endpoint: dynamo.endpoint });
    const sqs = new SQSClient({ ...LOCAL_AWS, endpoint: sqsServer.endpoint });
    try {
      await createTables(dynamoClient, tables);
      const queues = await createReportQueues(
        sqs,
        options.analyzerTimeoutSeconds ?? DEFAULT_ANALYZER_TIMEOUT_SECONDS,
      );
      github.addRun({
        repo: LOCAL_CANARY_RUN.repo,
        runId: LOCAL_CANARY_RUN.runId,
        runAttempt: LOCAL_CANARY_RUN.runAttempt,
        headSha: LOCAL_CANARY_RUN.headSha,
        workflowName: 'osdc-rca canary',
        jobs: [
          {
            id: LOCAL_CANARY_RUN.jobId,
            name: LOCAL_CANARY_RUN.jobName,
            runnerName: LOCAL_CANARY_RUN.runnerName,
          },
        ],
      });
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      return {
        dynamo,
        sqsEndpoint: sqsServer.endpoint,
        bedrock,
        github,
        tables,
        ...queues,
        githubPrivateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
        stop,
      };
    } finally {
      dynamoClient.destroy();
      sqs.destroy();
    }
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The queue and its DLQ as infra/constructs/report-queue.ts makes them. */
async function createReportQueues(
  sqs: SQSClient,
  analyzerTimeoutSeconds: number,
): Promise<{ queueUrl: string; queueArn: string; dlqUrl: string }> {
  const dlqUrl =
    (await sqs.send(new CreateQueueCommand({ QueueName: 'osdc-rca-reports-dlq' }))).QueueUrl ?? '';
  const arnOf = async (url: string) =>
    (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] })))
      .Attributes?.QueueArn ?? '';
  const queueUrl =
    (
      await sqs.send(
        new CreateQueueCommand({
          QueueName: 'osdc-rca-reports',
          Attributes: {
            VisibilityTimeout: String(visibilityTimeoutFor(analyzerTimeoutSeconds)),
            RedrivePolicy: JSON.stringify({
              deadLetterTargetArn: await arnOf(dlqUrl),
              maxReceiveCount: MAX_RECEIVE_COUNT,
            }),
          },
        }),
      )
    ).QueueUrl ?? '';
  return { queueUrl, queueArn: await arnOf(queueUrl), dlqUrl };
}
