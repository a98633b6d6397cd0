/**
 * Starts the protocol-level stand-ins that the one-machine pipeline (and anything else that wants the same world:
 * the CLI's local checks, a try-out of the reporter) talks to through the real SDK clients: DynamoDB Local (or
 * dynalite) with the osdc-rca tables, the fauxqs SQS emulator with the reports queue and its DLQ, and the local
 * GitHub API. Also the environment a reporter needs to send to them.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { MAX_RECEIVE_COUNT, visibilityTimeoutFor } from '../../../shared/contract/queue';
import { createTables, type TableNames, tableNames } from '../standins/aws/create-tables';
import { LOCAL_AWS, type LocalDynamo, startLocalDynamo } from '../standins/aws/dynamodb-local';
import { type LocalSqs, startLocalSqs } from '../standins/aws/sqs-emulator';
import { type LocalGitHub, startLocalGitHub } from '../standins/github/github-server';

export const LOCAL_QUEUE_NAME = 'osdc-rca-reports';

export interface StandInsOptions {
  /** Where DynamoDB Local keeps its data; in memory when absent. */
  readonly dataDir?: string;
  /**
   * The reports queue as `cdk deploy` makes it (visibility 6 × this analyzer timeout, the DLQ attached by a redrive
   * policy, shared/contract/queue.ts); by default a 2 s visibility, so a report waiting on another's analysis
   * (single flight) comes back quickly, and no redrive, so those waits never move a report to the DLQ.
   */
  readonly deployedQueue?: { readonly analyzerTimeoutSeconds: number };
  /** Progress lines, one per stand-in. */
  readonly say?: (line: string) => void;
}

export interface StandIns {
  readonly dynamo: LocalDynamo;
  readonly dynamoClient: DynamoDBClient;
  readonly tables: TableNames;
  readonly sqsServer: LocalSqs;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly dlqUrl: string;
  readonly queueArn: string;
  readonly github: LocalGitHub;
  /** The reporter's environment for sending to these stand-ins (fake credentials, local endpoints). */
  readonly reporterEnv: Readonly<Record<string, string>>;
  /** Stops everything started, best effort. */
  stop(): Promise<void>;
}

export async function startStandIns(options: StandInsOptions = {}): Promise<StandIns> {
  const say = options.say ?? (() => {});
  const stops: Array<() => Promise<unknown> | unknown> = [];
  const stop = async () => {
    for (const step of stops.reverse()) {
      try {
        await step();
      } catch {
        // Stopping is best effort: the process is about to end.
      }
    }
  };
  try {
    const dynamo = await startLocalDynamo(options.dataDir ? { dataDir: options.dataDir } : {});
    stops.push(() => dynamo.stop());
    say(
      dynamo.engine === 'dynamodb-local'
        ? `  DynamoDB   DynamoDB Local (real engine) at ${dynamo.endpoint}`
        : `  DynamoDB   Java not found, so dynalite (a DynamoDB stand-in) at ${dynamo.endpoint}`,
    );
    const dynamoClient = new DynamoDBClient({ ...LOCAL_AWS, endpoint: dynamo.endpoint });
    stops.push(() => dynamoClient.destroy());
    const tables = tableNames('osdc-rca');
    await createTables(dynamoClient, tables);

    const sqsServer = await startLocalSqs();
    stops.push(() => sqsServer.stop());
    const sqs = new SQSClient({ ...LOCAL_AWS, endpoint: sqsServer.endpoint });
    stops.push(() => sqs.destroy());
    const dlqUrl =
      (await sqs.send(new CreateQueueCommand({ QueueName: `${LOCAL_QUEUE_NAME}-dlq` }))).QueueUrl ?? '';
    const arnOf = async (url: string) =>
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] })))
        .Attributes?.QueueArn ?? '';
    const deployed = options.deployedQueue;
    const attributes = deployed
      ? {
          VisibilityTimeout: String(visibilityTimeoutFor(deployed.analyzerTimeoutSeconds)),
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: await arnOf(dlqUrl),
            maxReceiveCount: MAX_RECEIVE_COUNT,
          }),
        }
      : { VisibilityTimeout: '2' };
    const queueUrl =
      (await sqs.send(new CreateQueueCommand({ QueueName: LOCAL_QUEUE_NAME, Attributes: attributes })))
        .QueueUrl ?? '';
    const queueArn = await arnOf(queueUrl);
    say(`  SQS        fauxqs emulator at ${sqsServer.endpoint}`);

    const github = await startLocalGitHub();
    stops.push(() => github.stop());
    say(`  GitHub     local API (records check runs) at ${github.url}`);

    const reporterEnv = {
      OSDC_RCA_QUEUE_URL: queueUrl,
      OSDC_RCA_RESULTS_TABLE: tables.Results,
      AWS_REGION: LOCAL_AWS.region,
      AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
      AWS_ENDPOINT_URL_SQS: sqsServer.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    };
    return {
      dynamo,
      dynamoClient,
      tables,
      sqsServer,
      sqs,
      queueUrl,
      dlqUrl,
      queueArn,
      github,
      reporterEnv,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
