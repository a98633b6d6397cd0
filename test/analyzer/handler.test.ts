import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { handler } from '../../services/analyzer/handler';
import { startLocalSqsConsumer } from '../../services/local/pipeline/local-sqs-consumer';
import { createTables, tableNames } from '../../services/local/standins/aws/create-tables';
import { LOCAL_AWS } from '../../services/local/standins/aws/dynamodb-local';
import { bedrockReplies } from '../../services/local/standins/bedrock/bedrock-replies';
import { type LocalBedrock, startLocalBedrock } from '../../services/local/standins/bedrock/bedrock-server';
import { type LocalGitHub, startLocalGitHub } from '../../services/local/standins/github/github-server';
import { readAnalysisResult } from '../../services/reporter/read-analysis-result';
import { CHECK_RUN_NAME, DEFAULT_MODEL_ID } from '../../shared/contract/constants';
import { resultKey } from '../../shared/contract/result-key';
import { buildReport, seedFor, uniqueRunId } from './support/report-factory';

const CONTEXT = {
  functionName: 'osdc-rca-analyzer',
  awsRequestId: 'local',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

describe('Function: handler', () => {
  const prefix = `h-${randomUUID().slice(0, 8)}`;
  const tables = tableNames(prefix);
  const dynamo = new DynamoDBClient({ ...LOCAL_AWS, endpoint: inject('dynamoEndpoint') });
  const sqs = new SQSClient({ ...LOCAL_AWS, endpoint: inject('sqsEndpoint') });
  let github: LocalGitHub;
  let bedrock: LocalBedrock;
  let queueUrl: string;
  let queueArn: string;

  beforeAll(async () => {
    [github, bedrock] = await Promise.all([startLocalGitHub(), startLocalBedrock()]);
    await createTables(dynamo, tables);
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-dlq` }));
    const queue = await sqs.send(
      new CreateQueueCommand({ QueueName: `${prefix}-reports`, Attributes: { VisibilityTimeout: '1' } }),
    );
    queueUrl = queue.QueueUrl!;
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
    );
    queueArn = Attributes!.QueueArn!;
    // The Lambda's environment: the handler reads it once, on its first invocation.
    Object.assign(process.env, {
      OSDC_RCA_RESULTS_TABLE: tables.Results,
      OSDC_RCA_STATE_TABLE: tables.State,
      OSDC_RCA_DLQ_URL: dlq.QueueUrl,
      OSDC_RCA_GITHUB_TOKEN: 'ghs_test',
      OSDC_RCA_GITHUB_API_URL: github.url,
      AWS_REGION: LOCAL_AWS.region,
      AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
      AWS_ENDPOINT_URL_SQS: inject('sqsEndpoint'),
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock.endpoint,
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
  });
  afterAll(async () => {
    dynamo.destroy();
    sqs.destroy();
    await Promise.all([github.stop(), bedrock.stop()]);
  });

  it('turns a report sent to SQS into a check run and a result item the reporter can read', async () => {
    // Prepare
    const report = buildReport({ runId: uniqueRunId() });
    github.addRun(seedFor(report));
    bedrock.enqueue(
      bedrockReplies.toolUse({
        summary: 'test_conv2d fails: output not close to the reference',
        rootCause: 'The conv2d output differs from the reference implementation.',
        category: 'test',
        isInfra: false,
        confidence: 'high',
        evidence: [{ text: 'AssertionError: Tensor-likes are not close!' }],
        suggestedFix: 'Fix the conv2d change or update the reference.',
        files: [{ path: 'test/test_nn.py', line: 120 }],
      }),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(report) }));

    // Act
    const consumer = startLocalSqsConsumer({
      client: sqs,
      queueUrl,
      queueArn,
      region: LOCAL_AWS.region,
      handler: (event) => handler(event, CONTEXT),
    });
    const started = Date.now();
    while (github.checkRuns().length === 0 && Date.now() - started < 15_000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await consumer.stop();

    // Assess
    expect(bedrock.callCounts()).toEqual({ [DEFAULT_MODEL_ID]: 1 });
    const [checkRun, ...others] = github.checkRuns();
    expect(others).toEqual([]);
    expect(checkRun).toMatchObject({
      name: CHECK_RUN_NAME,
      head_sha: report.sha,
      conclusion: 'neutral',
      external_id: `${report.runId * 10}/wrapper-4`,
    });
    expect(checkRun?.output.title).toBe('test_conv2d fails: output not close to the reference');
    expect(checkRun?.output.summary).toContain(
      `([line 9](https://github.com/pytorch/pytorch/actions/runs/${report.runId}/job/${report.runId * 10}#step:4:9))`,
    );
    expect(checkRun?.output.summary).toContain(
      '**Suggested fix:** Fix the conv2d change or update the reference.',
    );
    expect(checkRun?.output.annotations).toEqual([
      expect.objectContaining({ path: 'test/test_nn.py', start_line: 120, end_line: 120 }),
    ]);
    expect(github.schemaViolations()).toEqual([]);
    const result = await readAnalysisResult(
      dynamo,
      tables.Results,
      resultKey(report.resultSecret),
      AbortSignal.timeout(5000),
    );
    expect(result.state).toBe('done');
    expect(result.state === 'done' && result.record.analysis.summary).toBe(
      'test_conv2d fails: output not close to the reference',
    );
  });
});
