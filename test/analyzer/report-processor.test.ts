import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalGitHub, startLocalGitHub } from '../../services/local/standins/github/github-server';
import { CHECK_RUN_NAME } from '../../shared/contract/constants';
import { cacheKey, reportKey } from '../../shared/contract/keys';
import { secretDigest } from '../../shared/contract/result-key';
import { type AnalyzerHarness, createAnalyzerHarness } from './support/analyzer-harness';
import { buildReport, pytestFailureLog, seedFor, uniqueRunId } from './support/report-factory';

describe('Function: createReportProcessor (rules analyst)', () => {
  let github: LocalGitHub;
  let harness: AnalyzerHarness;

  beforeAll(async () => {
    github = await startLocalGitHub();
    harness = await createAnalyzerHarness({
      dynamoEndpoint: inject('dynamoEndpoint'),
      sqsEndpoint: inject('sqsEndpoint'),
      github,
    });
  });
  afterEach(() => {
    expect(github.schemaViolations()).toEqual([]);
    github.reset();
    harness.takeMetrics();
  });
  afterAll(async () => {
    harness.destroy();
    await github.stop();
  });

  /** Tests share the cache, so each one fails its own pytest test (a distinct signature) unless it says otherwise. */
  let failures = 0;
  function seededReport(overrides: Parameters<typeof buildReport>[0] = {}) {
    failures += 1;
    const report = buildReport({
      runId: uniqueRunId(),
      lines: pytestFailureLog(`test_case_${failures}`),
      ...overrides,
    });
    github.addRun(seedFor(report));
    return report;
  }

  it('posts one check run per report and stores the result item for the reporter', async () => {
    // Prepare
    const report = seededReport();

    // Act
    const sentAt = Date.now();
    await harness.send(report);
    await harness.drain();

    // Assess
    const [checkRun, ...others] = github.checkRuns({ headSha: report.sha });
    expect(others).toEqual([]);
    expect(checkRun).toMatchObject({
      name: CHECK_RUN_NAME,
      status: 'completed',
      conclusion: 'neutral',
      // The job and step the report is bound to; GitHub lists no failing step here, so the wrapper's count.
      external_id: `${report.runId * 10}/wrapper-4`,
      details_url: `https://github.com/pytorch/pytorch/actions/runs/${report.runId}/job/${report.runId * 10}`,
    });
    expect(checkRun?.output.title).toMatch(/^Test failure: /);
    expect(checkRun?.output.summary).toContain('no model was used');
    expect(checkRun?.output.summary).toContain(`/job/${report.runId * 10}#step:4:`);
    expect(checkRun?.output.summary).toContain(
      '**Seen** once in 7 days; on main: no; on PRs by 0 other authors.',
    );
    // The rules analyst names only files its key lines give with a line number; pytest's summary line has none.
    expect(checkRun?.output.annotations).toEqual([]);
    const item = await harness.readReportItem(report.id);
    expect(item).toMatchObject({ status: 'done', stage: 'published', checkRunId: checkRun?.id });
    // Each stage's time, in order, and the result item written before the slower check run.
    const times = ['sentAt', 'startedAt', 'verifiedAt', 'analysedAt', 'publishedAt'].map(
      (name) => item?.[name],
    );
    expect(times.every((time) => typeof time === 'number' && time >= sentAt - 1000)).toBe(true);
    expect([...(times as number[])].sort((a, b) => a - b)).toEqual(times);
    expect(item?.expectedBy).toBeGreaterThan(Number(item?.startedAt));
    expect(JSON.parse(String(item?.record))).toMatchObject({
      analyst: { kind: 'rules' },
      strength: 'strong',
    });
    const metrics = harness.takeMetrics();
    expect(metrics).toMatchObject({ Reports: 1, CacheMisses: 1 });
    expect(metrics.QueueDelay).toBeGreaterThanOrEqual(0);
    expect(metrics.TimeToAnalysis).toBeGreaterThanOrEqual(metrics.QueueDelay!);
  });

  it("links evidence to GitHub's number of the failing step when the job lists its steps", async () => {
    // Prepare: the wrapper counted 4 script steps, but GitHub numbers action steps too.
    const report = buildReport({ runId: uniqueRunId(), lines: pytestFailureLog('test_step_number') });
    const seed = seedFor(report);
    const steps = [
      { name: 'Set up job', number: 1, status: 'completed' as const, conclusion: 'success' },
      { name: 'Checkout', number: 2, status: 'completed' as const, conclusion: 'success' },
      { name: 'Test', number: 7, status: 'in_progress' as const, conclusion: null },
    ];
    github.addRun({ ...seed, jobs: seed.jobs.map((job) => ({ ...job, steps })) });

    // Act
    await harness.send(report);
    await harness.drain();

    // Assess
    const [checkRun] = github.checkRuns({ headSha: report.sha });
    expect(checkRun?.output.summary).toContain(`/job/${report.runId * 10}#step:7:10)`);
  });

  it('handles three deliveries of one report with one analysis and one check run', async () => {
    // Prepare
    const report = seededReport();

    // Act
    for (let delivery = 0; delivery < 3; delivery += 1) await harness.send(report);
    await harness.drain();

    // Assess
    const checkRuns = github.checkRuns({ headSha: report.sha });
    expect(checkRuns).toHaveLength(1);
    expect(checkRuns[0]?.updates).toBe(0);
    const metrics = harness.takeMetrics();
    expect(metrics.Reports).toBeGreaterThanOrEqual(3);
    expect(metrics.CacheMisses).toBe(1);
    expect(await harness.readReportItem(report.id)).toMatchObject({ stage: 'published' });
  });

  it('analyses a burst of one failure across jobs once and reuses it from the cache', async () => {
    // Prepare
    const lines = pytestFailureLog('test_burst');
    const reports = Array.from({ length: 6 }, () => seededReport({ sha: 'b'.repeat(40), lines }));

    // Act
    for (const report of reports) await harness.send(report);
    await harness.drain();

    // Assess
    const checkRuns = github.checkRuns({ headSha: 'b'.repeat(40) });
    expect(checkRuns.map((checkRun) => checkRun.external_id).sort()).toEqual(
      reports.map((report) => `${report.runId * 10}/wrapper-4`).sort(),
    );
    const metrics = harness.takeMetrics();
    expect(metrics.CacheMisses).toBe(1);
    expect(metrics.CacheHits).toBe(5);
    const reused = checkRuns.filter((checkRun) =>
      checkRun.output.summary?.includes('Reused from an earlier failure'),
    );
    expect(reused).toHaveLength(5);
    expect(checkRuns.at(-1)?.output.summary).toMatch(/\*\*Seen\*\* \d+ times in 7 days/);
  });

  it('never shares the analysis of a weak signature between jobs', async () => {
    // Prepare
    const lines = ['Building…', '##[error]Something went wrong in a way no rule knows'];
    const reports = [seededReport({ lines }), seededReport({ lines })];

    // Act
    for (const report of reports) await harness.send(report);
    await harness.drain();

    // Assess
    const metrics = harness.takeMetrics();
    expect(metrics.CacheMisses).toBe(2);
    expect(metrics.CacheHits).toBeUndefined();
    const record = JSON.parse(String((await harness.readReportItem(reports[0]!.id))?.record));
    expect(record.strength).toBe('weak');
    for (const scope of ['repo', 'pr:77'] as const) {
      const { Item } = await harness.dynamo.send(
        new GetItemCommand({
          TableName: harness.tables.Results,
          Key: { pk: { S: cacheKey('pytorch/pytorch', record.signature, scope) } },
        }),
      );
      expect(Item).toBeUndefined();
    }
  });

  it('retries a GitHub 502 and posts once', async () => {
    // Prepare
    const report = seededReport();
    github.failNext({ method: 'POST', pathPattern: '/repos/*/*/check-runs', status: 502, times: 1 });

    // Act
    await harness.send(report);
    await harness.drain();

    // Assess
    expect(github.checkRuns({ headSha: report.sha })).toHaveLength(1);
    expect(github.requests().filter((request) => request.injected)).toHaveLength(1);
    expect(await harness.readReportItem(report.id)).toMatchObject({ stage: 'published' });
  });

  it('keeps the analysis and does not retry when GitHub answers 422', async () => {
    // Prepare
    const report = seededReport();
    github.failNext({ method: 'POST', pathPattern: '/repos/*/*/check-runs', status: 422, times: 5 });

    // Act
    await harness.send(report);
    await harness.drain();

    // Assess
    expect(github.checkRuns({ headSha: report.sha })).toEqual([]);
    expect(github.requests().filter((request) => request.injected)).toHaveLength(1);
    const item = await harness.readReportItem(report.id);
    expect(item).toMatchObject({ status: 'done', stage: 'published' });
    expect(String(item?.publishError)).toContain('422');
    expect(harness.takeMetrics()).toMatchObject({ PublishFailures: 1 });
  });

  it.each([
    ['a wrong SHA', { sha: 'c'.repeat(40) }, 'wrong-sha'],
    ['an unknown run', { runId: 999_999 }, 'unknown-run'],
    ['another repository', { repo: 'evil/fork' }, 'unknown-run'],
    ['a wrong attempt', { runAttempt: 2 }, 'wrong-attempt'],
    ['a runner that ran no job of the run', { runnerName: 'arc-runner-elsewhere' }, 'no-job-for-runner'],
  ] as const)('rejects a report with %s and posts nothing', async (_case, forged, reason) => {
    // Prepare
    const genuine = seededReport({ prNumber: undefined, ref: 'refs/heads/feature', event: 'push' });
    const report = { ...genuine, ...forged };

    // Act
    await harness.send(report);
    await harness.drain();

    // Assess
    expect(github.checkRuns()).toEqual([]);
    expect(github.requests().some((request) => request.method !== 'GET')).toBe(false);
    const item = await harness.readReportItem(report.id);
    expect(item).toMatchObject({ status: 'rejected' });
    expect(String(item?.rejectReason)).toMatch(new RegExp(`^${reason}: `));
    expect(harness.takeMetrics()).toMatchObject({ ReportsRejected: 1 });
  });

  it('accepts a pull_request report whose SHA is the merge commit, posting on the head SHA', async () => {
    // Prepare
    const headSha = 'd'.repeat(40);
    const mergeSha = 'e'.repeat(40);
    const report = buildReport({ runId: uniqueRunId(), sha: mergeSha });
    github.addRun({ ...seedFor(report), headSha, mergeCommitSha: mergeSha });

    // Act
    await harness.send(report);
    await harness.drain();

    // Assess
    expect(github.checkRuns({ headSha })).toHaveLength(1);
  });

  it('sets an invalid body aside in the dead-letter queue with its reason and acknowledges it', async () => {
    // Prepare
    const body = JSON.stringify({ ...buildReport(), runId: 'not a number' });

    // Act
    await harness.send(body);
    const { response } = await harness.deliverBatch(1);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const { Messages = [] } = await harness.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: harness.dlqUrl,
        MessageAttributeNames: ['All'],
        WaitTimeSeconds: 1,
      }),
    );
    expect(Messages).toHaveLength(1);
    expect(Messages[0]?.Body).toBe(body);
    expect(Messages[0]?.MessageAttributes?.reason?.StringValue).toContain('runId');
    expect(await harness.deliverBatch(0)).toMatchObject({ delivered: 0 });
    expect(harness.takeMetrics()).toMatchObject({ ReportsInvalid: 1 });
  });

  it('updates the check run that a crashed delivery created instead of posting a second one', async () => {
    // Prepare: a delivery posted the check run and died before storing its id.
    const report = seededReport();
    await harness.send(report);
    await harness.drain();
    const [posted] = github.checkRuns({ headSha: report.sha });
    await harness.dynamo.send(
      new UpdateItemCommand({
        TableName: harness.tables.Results,
        Key: { pk: { S: reportKey(secretDigest(report.resultSecret)) } },
        UpdateExpression: 'SET stage = :analysed REMOVE checkRunId',
        ExpressionAttributeValues: { ':analysed': { S: 'analysed' } },
      }),
    );

    // Act
    await harness.send(report);
    await harness.drain();

    // Assess
    const checkRuns = github.checkRuns({ headSha: report.sha });
    expect(checkRuns).toHaveLength(1);
    expect(checkRuns[0]?.id).toBe(posted?.id);
    expect(checkRuns[0]?.updates).toBe(1);
  });
});
