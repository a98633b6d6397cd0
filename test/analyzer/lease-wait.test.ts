import { PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalGitHub, startLocalGitHub } from '../../services/local/standins/github/github-server';
import type { FailureReport } from '../../shared/contract/failure-report';
import { cacheKey } from '../../shared/contract/keys';
import { decodeReportLog } from '../../shared/contract/report-log-codec';
import { REPOSITORY_SCOPE } from '../../shared/contract/trust-scope';
import { computeSignature } from '../../shared/signature/compute-signature';
import { type AnalyzerHarness, createAnalyzerHarness } from './support/analyzer-harness';
import { buildReport, pytestFailureLog, seedFor, uniqueRunId } from './support/report-factory';

describe('Function: createReportProcessor (lease waits)', () => {
  let github: LocalGitHub;
  let harness: AnalyzerHarness;
  let unconfigured: AnalyzerHarness;

  beforeAll(async () => {
    github = await startLocalGitHub();
    const stands = { dynamoEndpoint: inject('dynamoEndpoint'), sqsEndpoint: inject('sqsEndpoint'), github };
    [harness, unconfigured] = await Promise.all([
      // As in production, the queue's visibility timeout is far longer than a lease wait should be.
      createAnalyzerHarness({ ...stands, visibilityTimeoutSeconds: 60 }),
      // No OSDC_RCA_QUEUE_URL: the URL derived from fauxqs's ARN names no queue fauxqs knows.
      createAnalyzerHarness({ ...stands, env: { OSDC_RCA_QUEUE_URL: '' } }),
    ]);
  });
  afterEach(() => {
    expect(github.schemaViolations()).toEqual([]);
    github.reset();
  });
  afterAll(async () => {
    harness.destroy();
    unconfigured.destroy();
    await github.stop();
  });

  /**
   * Another report holds the repository scope's single-flight lease of this report's signature for `seconds` more:
   * every job waits for it, trusted or not, since the answer on its way serves them all.
   */
  async function holdLease(target: AnalyzerHarness, report: FailureReport, seconds: number) {
    const { signature } = computeSignature(decodeReportLog(report.log));
    await target.dynamo.send(
      new PutItemCommand({
        TableName: target.tables.Results,
        Item: {
          pk: { S: cacheKey(report.repo, signature, REPOSITORY_SCOPE) },
          status: { S: 'leased' },
          leaseOwner: { S: 'other-report' },
          leaseExpiresAt: { N: String(Date.now() + seconds * 1000) },
          expiresAt: { N: String(Math.floor(Date.now() / 1000) + 600) },
        },
      }),
    );
    return signature;
  }

  it('brings a waiting report back after the short retry delay, doubling it per receive, not after the visibility timeout', async () => {
    // Prepare
    const report = buildReport({ runId: uniqueRunId(), lines: pytestFailureLog('test_lease_wait') });
    github.addRun(seedFor(report));
    const signature = await holdLease(harness, report, 30);
    await harness.send(report);

    // Act
    const first = await harness.deliverBatch(1);
    const waitStarted = Date.now();
    const waiting = await harness.readReportItem(report.id);
    const second = await harness.deliverBatch(5);
    const firstWaitMs = Date.now() - waitStarted;
    await harness.dynamo.send(
      new UpdateItemCommand({
        TableName: harness.tables.Results,
        Key: { pk: { S: cacheKey(report.repo, signature, REPOSITORY_SCOPE) } },
        UpdateExpression: 'SET leaseExpiresAt = :past',
        ExpressionAttributeValues: { ':past': { N: String(Date.now() - 1000) } },
      }),
    );
    const early = await harness.deliverBatch(0);
    const third = await harness.deliverBatch(5);

    // Assess
    expect(first.response.batchItemFailures).toHaveLength(1);
    expect(second.records.map((record) => record.attributes.ApproximateReceiveCount)).toEqual(['2']);
    expect(second.response.batchItemFailures).toHaveLength(1);
    // Retried after the short delay, not at the 30 s lease's end (with room for a busy machine's DynamoDB Local).
    expect(firstWaitMs).toBeLessThan(15_000);
    // The waiting job learns when to expect the answer: after the retry delay, not at the lease's end.
    expect(Number(waiting?.expectedBy)).toBeGreaterThan(waitStarted);
    expect(Number(waiting?.expectedBy)).toBeLessThan(waitStarted + 10_000);
    // The second wait is twice the first (1 s → 2 s).
    expect(early.delivered).toBe(0);
    expect(third.records.map((record) => record.attributes.ApproximateReceiveCount)).toEqual(['3']);
    expect(third.response.batchItemFailures).toEqual([]);
    expect(github.checkRuns({ headSha: report.sha })).toHaveLength(1);
    expect(harness.takeMetrics()).toMatchObject({ LeaseWaits: 2, CacheMisses: 1 });
  });

  it('still fails the waiting record when the visibility cannot be changed, leaving it to the queue', async () => {
    // Prepare
    const report = buildReport({ runId: uniqueRunId(), lines: pytestFailureLog('test_lease_no_url') });
    github.addRun(seedFor(report));
    await holdLease(unconfigured, report, 30);
    await unconfigured.send(report);

    // Act
    const { response, records } = await unconfigured.deliverBatch(1);
    const again = await unconfigured.deliverBatch(3);

    // Assess
    expect(response.batchItemFailures).toEqual(
      records.map((record) => ({ itemIdentifier: record.messageId })),
    );
    expect(again.records.map((record) => record.attributes.ApproximateReceiveCount)).toEqual(['2']);
    expect(github.checkRuns()).toEqual([]);
    expect(unconfigured.takeMetrics()).toMatchObject({ LeaseWaits: 2 });
  });
});
