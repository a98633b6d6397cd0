/**
 * Starts the protocol-level stand-ins once for the whole test run: DynamoDB Local (real engine, Java 17) and the
 * fauxqs SQS emulator. Tests read the endpoints with `inject('dynamoEndpoint')` and create their own tables or
 * queues with unique names, so test files never share state.
 */
import type { TestProject } from 'vitest/node';
import { type LocalDynamo, startLocalDynamo } from '../../services/local/standins/aws/dynamodb-local';
import { type LocalSqs, startLocalSqs } from '../../services/local/standins/aws/sqs-emulator';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    dynamoEngine: string;
    sqsEndpoint: string;
  }
}

let dynamo: LocalDynamo | undefined;
let sqs: LocalSqs | undefined;

export async function setup(project: TestProject): Promise<void> {
  [dynamo, sqs] = await Promise.all([startLocalDynamo(), startLocalSqs()]);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('dynamoEngine', dynamo.engine);
  project.provide('sqsEndpoint', sqs.endpoint);
}

export async function teardown(): Promise<void> {
  await Promise.all([dynamo?.stop(), sqs?.stop()]);
}
