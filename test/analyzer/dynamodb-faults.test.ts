import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalGitHub, startLocalGitHub } from '../../services/local/standins/github/github-server';
import { type AnalyzerHarness, createAnalyzerHarness } from './support/analyzer-harness';
import { dynamoInternalError, type FaultyProxy, startFaultyProxy } from './support/faulty-proxy';
import { buildReport, pytestFailureLog, seedFor, uniqueRunId } from './support/report-factory';

describe('Function: createReportProcessor (DynamoDB errors)', () => {
  let github: LocalGitHub;
  let proxy: FaultyProxy;
  let harness: AnalyzerHarness;

  beforeAll(async () => {
    [github, proxy] = await Promise.all([startLocalGitHub(), startFaultyProxy(inject('dynamoEndpoint'))]);
    harness = await createAnalyzerHarness({
      dynamoEndpoint: inject('dynamoEndpoint'),
      sqsEndpoint: inject('sqsEndpoint'),
      github,
      analyzerDynamoEndpoint: proxy.endpoint,
    });
  });
  afterEach(() => {
    github.reset();
    harness.takeMetrics();
  });
  afterAll(async () => {
    harness.destroy();
    await Promise.all([github.stop(), proxy.stop()]);
  });

  it.each([
    ['claiming the report', 'UpdateItem', 1],
    ['reading or leasing the cache', 'PutItem', 1],
    ['several writes in a row', 'UpdateItem', 4],
    ['reading the signature summary', 'GetItem', 2],
  ])('loses and duplicates nothing when DynamoDB fails while %s', async (_case, operation, times) => {
    // Prepare
    const report = buildReport({
      runId: uniqueRunId(),
      lines: pytestFailureLog(`test_dynamo_${operation}_${times}`),
    });
    github.addRun(seedFor(report));
    proxy.inject(dynamoInternalError(operation, times));
    const injectedBefore = proxy.injected();

    // Act
    await harness.send(report);
    await harness.drain();

    // Assess
    expect(proxy.injected() - injectedBefore).toBe(times);
    const checkRuns = github.checkRuns({ headSha: report.sha });
    expect(checkRuns).toHaveLength(1);
    expect(checkRuns[0]?.external_id).toBe(`${report.runId * 10}/wrapper-4`);
    const item = await harness.readReportItem(report.id);
    expect(item).toMatchObject({ status: 'done', stage: 'published' });
    expect(await harness.signatureTotal(String(item?.signature))).toBe(1);
  });
});
