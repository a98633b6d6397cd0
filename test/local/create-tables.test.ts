import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createTables, tableNames } from '../../services/local/standins/aws/create-tables';
import { LOCAL_AWS } from '../../services/local/standins/aws/dynamodb-local';
import { RANK_INDEXES } from '../../shared/contract/tables';

describe('Function: createTables', () => {
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: inject('dynamoEndpoint') });
  afterAll(() => client.destroy());

  it('creates both tables with the rank indexes, and is idempotent', async () => {
    const names = tableNames(`t-${Date.now()}`);

    await createTables(client, names);
    await createTables(client, names);

    const state = await client.send(new DescribeTableCommand({ TableName: names.State }));
    const indexNames = state.Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort();
    expect(indexNames).toEqual(
      Object.values(RANK_INDEXES)
        .map((index) => index.indexName)
        .sort(),
    );
    const results = await client.send(new DescribeTableCommand({ TableName: names.Results }));
    expect(results.Table?.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
  });
});

describe('Stand-in: the SQS emulator', () => {
  it('round-trips a message through the real SQS client', async () => {
    const sqs = new SQSClient({ ...LOCAL_AWS, endpoint: inject('sqsEndpoint') });
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `q-${Date.now()}` }));

    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'hello' }));
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));

    expect(received.Messages?.[0]?.Body).toBe('hello');
    sqs.destroy();
  });
});
