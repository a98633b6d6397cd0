import { createServer, type Server, type Socket } from 'node:net';
import { DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { credentialsCheck } from '../../../services/cli/doctor/check-credentials';
import { queueCheck } from '../../../services/cli/doctor/check-queue';
import { tableCheck } from '../../../services/cli/doctor/check-table';
import { runChecks } from '../../../services/cli/doctor/run-checks';
import { createTables, tableNames } from '../../../services/local/standins/aws/create-tables';
import { LOCAL_AWS } from '../../../services/local/standins/aws/dynamodb-local';
import { RESULTS_TABLE, STATE_TABLE } from '../../../shared/contract/tables';

/** Nothing listens on the discard port: connections are refused at once. */
const DEAD = 'http://127.0.0.1:9';
const fast = { ...LOCAL_AWS, maxAttempts: 1 };
const run = (check: Parameters<typeof runChecks>[0][number], timeoutMs = 10_000) =>
  runChecks([check], timeoutMs).then(([result]) => result);

describe('Check: credentials', () => {
  it('names the identity STS answers with', async () => {
    const sts = new STSClient({ ...fast, endpoint: inject('sqsEndpoint') });

    const result = await run(credentialsCheck(sts));

    expect(result).toMatchObject({ verdict: 'ok', detail: expect.stringContaining('arn:aws:iam::') });
  });

  it('fails with the network reason and a fix when STS cannot be reached', async () => {
    const sts = new STSClient({ ...fast, endpoint: DEAD });

    const result = await run(credentialsCheck(sts));

    expect(result).toMatchObject({
      verdict: 'fail',
      detail: 'STS GetCallerIdentity failed: unreachable (ECONNREFUSED)',
      fix: expect.stringContaining('AWS_REGION'),
    });
  });
});

describe('Check: queue', () => {
  const sqs = () => new SQSClient({ ...fast, endpoint: inject('sqsEndpoint') });
  const createQueue = async (name: string, attributes: Record<string, string>) =>
    (await sqs().send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl ?? '';
  const withDlq = async (name: string, visibility: number) => {
    const dlqUrl = await createQueue(`${name}-dlq`, {});
    const dlqArn = (
      await sqs().send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))
    ).Attributes?.QueueArn;
    return createQueue(name, {
      VisibilityTimeout: String(visibility),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 10 }),
    });
  };

  it('passes a queue with a dead-letter queue and 6 × the analyzer timeout of visibility', async () => {
    const queueUrl = await withDlq(`doctor-ok-${Date.now()}`, 1080);

    const result = await run(queueCheck({ sqs: sqs(), queueUrl, analyzerTimeoutSeconds: 180 }));

    expect(result?.verdict).toBe('ok');
    expect(result?.detail).toContain('visibility 1080 s ≥ 6 × 180 s');
  });

  it('fails a queue without a dead-letter queue', async () => {
    const queueUrl = await createQueue(`doctor-nodlq-${Date.now()}`, { VisibilityTimeout: '1080' });

    const result = await run(queueCheck({ sqs: sqs(), queueUrl, analyzerTimeoutSeconds: 180 }));

    expect(result).toMatchObject({ verdict: 'fail', detail: `queue ${queueUrl} has no dead-letter queue` });
  });

  it('fails a visibility timeout shorter than 6 × the analyzer timeout', async () => {
    const queueUrl = await withDlq(`doctor-short-${Date.now()}`, 30);

    const result = await run(queueCheck({ sqs: sqs(), queueUrl, analyzerTimeoutSeconds: 180 }));

    expect(result?.verdict).toBe('fail');
    expect(result?.detail).toBe(
      `queue ${queueUrl}: visibility timeout 30 s is shorter than 6 × the analyzer timeout (180 s) = 1080 s`,
    );
  });

  it('fails a queue that does not exist', async () => {
    const queueUrl = `${inject('sqsEndpoint')}/000000000000/doctor-missing-${Date.now()}`;

    const result = await run(queueCheck({ sqs: sqs(), queueUrl, analyzerTimeoutSeconds: 180 }));

    expect(result).toMatchObject({ verdict: 'fail', detail: `queue ${queueUrl} does not exist` });
  });

  it('names the queue when its endpoint is dead', async () => {
    const queueUrl = `${DEAD}/000000000000/osdc-rca`;
    const dead = new SQSClient({ ...fast, endpoint: DEAD });

    const result = await run(queueCheck({ sqs: dead, queueUrl, analyzerTimeoutSeconds: 180 }));

    expect(result).toMatchObject({
      verdict: 'fail',
      detail: `queue ${queueUrl}: unreachable (ECONNREFUSED)`,
    });
  });

  it('says which variable to set when no queue is configured', async () => {
    const result = await run(queueCheck({ sqs: sqs(), queueUrl: undefined, analyzerTimeoutSeconds: 180 }));

    expect(result).toMatchObject({ verdict: 'fail', detail: 'OSDC_RCA_QUEUE_URL is not set' });
  });

  describe('with an endpoint that accepts connections and never answers', () => {
    let server: Server;
    let endpoint: string;
    const sockets = new Set<Socket>();
    beforeAll(async () => {
      server = createServer((socket) => {
        sockets.add(socket);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('fails within the check deadline instead of hanging', async () => {
      const silent = new SQSClient({ ...fast, endpoint });
      const started = Date.now();

      const result = await run(
        queueCheck({ sqs: silent, queueUrl: `${endpoint}/000000000000/q`, analyzerTimeoutSeconds: 180 }),
        1000,
      );

      expect(result).toMatchObject({ verdict: 'fail', detail: 'no answer within 1 s' });
      expect(Date.now() - started).toBeLessThan(5000);
      silent.destroy();
    });
  });
});

describe('Check: tables', () => {
  const dynamo = () => new DynamoDBClient({ ...fast, endpoint: inject('dynamoEndpoint') });

  it('passes tables created from the shared definitions', async () => {
    const names = tableNames(`doctor-ok-${Date.now()}`);
    await createTables(dynamo(), names);

    const [results, state] = await runChecks([
      tableCheck({ dynamo: dynamo(), definition: RESULTS_TABLE, tableName: names.Results, variable: 'R' }),
      tableCheck({ dynamo: dynamo(), definition: STATE_TABLE, tableName: names.State, variable: 'S' }),
    ]);

    expect(results?.verdict).toBe('ok');
    expect(state).toMatchObject({ verdict: 'ok', detail: expect.stringContaining('keys pk+sk') });
  });

  it('fails the State check on a table that has the Results shape (no sort key, no rank indexes)', async () => {
    const names = tableNames(`doctor-shape-${Date.now()}`);
    await createTables(dynamo(), names);

    const result = await run(
      tableCheck({ dynamo: dynamo(), definition: STATE_TABLE, tableName: names.Results, variable: 'S' }),
    );

    expect(result?.verdict).toBe('fail');
    expect(result?.detail).toContain('keys are pk:S:HASH, expected pk:S:HASH,sk:S:RANGE');
    expect(result?.detail).toContain('index byRank24h is missing');
  });

  it('fails a table whose TTL is off, naming the attribute it should expire on', async () => {
    const names = tableNames(`doctor-ttl-${Date.now()}`);
    await createTables(dynamo(), names);
    await dynamo().send(
      new UpdateTimeToLiveCommand({
        TableName: names.Results,
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: false },
      }),
    );

    const result = await run(
      tableCheck({ dynamo: dynamo(), definition: RESULTS_TABLE, tableName: names.Results, variable: 'R' }),
    );

    expect(result?.verdict).toBe('fail');
    expect(result?.detail).toMatch(/TTL is DISABL\w+.*, expected ENABLED on expiresAt$/);
  });

  it('fails a table that does not exist, naming the variable', async () => {
    const result = await run(
      tableCheck({
        dynamo: dynamo(),
        definition: RESULTS_TABLE,
        tableName: 'nope',
        variable: 'OSDC_RCA_RESULTS_TABLE',
      }),
    );

    expect(result).toMatchObject({
      verdict: 'fail',
      detail: 'table nope does not exist (OSDC_RCA_RESULTS_TABLE)',
    });
  });

  it('fails with the network reason when DynamoDB cannot be reached', async () => {
    const dead = new DynamoDBClient({ ...fast, endpoint: DEAD });

    const result = await run(
      tableCheck({ dynamo: dead, definition: RESULTS_TABLE, tableName: 't', variable: 'R' }),
    );

    expect(result).toMatchObject({ verdict: 'fail', detail: 'table t: unreachable (ECONNREFUSED)' });
  });

  it('says which variable to set when no table is configured', async () => {
    const result = await run(
      tableCheck({
        dynamo: dynamo(),
        definition: STATE_TABLE,
        tableName: undefined,
        variable: 'OSDC_RCA_STATE_TABLE',
      }),
    );

    expect(result).toMatchObject({ verdict: 'fail', detail: 'OSDC_RCA_STATE_TABLE is not set' });
  });
});
