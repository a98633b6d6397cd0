/**
 * bench:inline — does a failed job's own log show its analysis? Replays PyTorch-shaped jobs (bench/inline/
 * plan-inline-jobs.ts), concurrently and in real time, through the real reporter bundle (its wrapper API), the
 * fauxqs queue, the analyzer's report processor fed like Lambda (bench/inline/start-inline-analyzer.ts), DynamoDB
 * Local and the local Bedrock playing Opus 4.6's latency (services/local/standins/bedrock/realistic-latency.ts).
 * Prints progress, the latency of each part, and last one line of figures. `npm run bench:inline -- --help`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type ReportItem, ReportStore, type ReportTimes } from '../services/analyzer/report-store';
import { startLocalDeployment } from '../services/local/pipeline/start-local-deployment';
import { LOCAL_AWS } from '../services/local/standins/aws/dynamodb-local';
import { realisticLatencyReply, seededRandom } from '../services/local/standins/bedrock/realistic-latency';
import { DEFAULT_INLINE_WAIT_MS, MAX_INLINE_WAIT_MS } from '../shared/contract/constants';
import { type InlineJob, loadLogPool, planInlineJobs } from './inline/plan-inline-jobs';
import { type InlineJobResult, runInlineJob } from './inline/run-inline-job';
import { startInlineAnalyzer } from './inline/start-inline-analyzer';
import { repoRoot, requireSharedData } from './shared-data';

const USAGE = `Usage: npm run bench:inline -- [--failing N] [--spread-s S] [--wait-ms MS] [--window-ms MS] [--instances N] [--seed N]
  --failing    failing jobs (default 200; 30 % more jobs pass)          --spread-s  seconds over which jobs start (150)
  --wait-ms    OSDC_RCA_INLINE_WAIT_MS (default ${DEFAULT_INLINE_WAIT_MS})             --window-ms the queue's batching window (2000)
  --instances  analyzer concurrency (the event source's maximum, 5)    --seed      random seed (12)
  --send-deadline-ms  OSDC_RCA_DEADLINE_MS (2000); raise it only on a machine too loaded to start a process in time`;

function readOptions() {
  try {
    const { values } = parseArgs({
      options: {
        failing: { type: 'string', default: '200' },
        'spread-s': { type: 'string', default: '150' },
        'wait-ms': { type: 'string', default: String(DEFAULT_INLINE_WAIT_MS) },
        'window-ms': { type: 'string', default: '2000' },
        instances: { type: 'string', default: '5' },
        seed: { type: 'string', default: '12' },
        'send-deadline-ms': { type: 'string', default: '2000' },
        help: { type: 'boolean', default: false },
      },
    });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    const whole = (name: keyof typeof values, min: number, max: number) => {
      const value = Number(values[name]);
      if (!Number.isInteger(value) || value < min || value > max)
        throw new RangeError(`--${name} must be a whole number from ${min} to ${max}`);
      return value;
    };
    return {
      failing: whole('failing', 1, 2000),
      spreadMs: whole('spread-s', 1, 3600) * 1000,
      waitMs: whole('wait-ms', 0, MAX_INLINE_WAIT_MS),
      windowMs: whole('window-ms', 0, 300_000),
      instances: whole('instances', 1, 100),
      seed: whole('seed', 0, 2 ** 31),
      sendDeadlineMs: whole('send-deadline-ms', 50, 30_000),
    };
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exit(2);
  }
}

/** Forwards to DynamoDB and counts: passing jobs read through it, and must not read at all. */
async function startCountingProxy(target: string): Promise<{ url: string; count(): number; close(): void }> {
  let requests = 0;
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    requests += 1;
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, count: () => requests, close: () => server.close() };
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function describeSpan(name: string, values: readonly number[]): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return `  ${name.padEnd(34)} p50 ${s(percentile(values, 50)).padStart(7)}  p90 ${s(percentile(values, 90)).padStart(7)}  p99 ${s(percentile(values, 99)).padStart(7)}  (n=${values.length})`;
}

/** Why a sent report's analysis was not printed: what its item says, in seconds after it was sent. */
function describeMiss(result: InlineJobResult, item: ReportItem | undefined): string {
  const job = `${result.job.kind} job ${result.job.index}`;
  if (!item) return `${job}: no report item (never picked up)`;
  const { sentAt } = item.times;
  const at = (ms: number | undefined) =>
    ms === undefined || sentAt === undefined ? '-' : `${((ms - sentAt) / 1000).toFixed(1)} s`;
  return (
    `${job}: ${item.status}${item.rejectReason ? ` (${item.rejectReason})` : ''}${item.fromCache ? ', from cache' : ''}; ` +
    `picked up ${at(item.times.startedAt)}, analysed ${at(item.times.analysedAt)}, cleanup_job after ${(result.job.cleanupAfterMs / 1000).toFixed(1)} s`
  );
}

async function main(): Promise<void> {
  const options = readOptions();
  requireSharedData();
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const random = seededRandom(options.seed);
  console.log('Reading the failing logs and planning the jobs…');
  const jobs = planInlineJobs(loadLogPool(), {
    failing: options.failing,
    spreadMs: options.spreadMs,
    random,
  });

  const deployment = await startLocalDeployment();
  const modelMs: number[] = [];
  let throttled = 0;
  deployment.bedrock.setDefault(
    realisticLatencyReply({
      random,
      onDraw: (draw) => {
        if (draw.throttled) throttled += 1;
        else modelMs.push(draw.ms);
      },
    }),
  );
  let analyzerErrors = 0;
  const analyzer = startInlineAnalyzer(deployment, {
    instances: options.instances,
    batchingWindowMs: options.windowMs,
    onError: () => {
      analyzerErrors += 1;
    },
  });
  const proxy = await startCountingProxy(deployment.dynamo.endpoint);
  const stateRoot = mkdtempSync(path.join(tmpdir(), 'osdc-rca-bench-inline-'));
  const bundle = path.join(repoRoot, 'dist', 'osdc-rca-reporter.cjs');

  const envFor = (job: InlineJob): Record<string, string> => ({
    AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
    AWS_REGION: LOCAL_AWS.region,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_SQS: deployment.sqsServer.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: job.kind === 'passing' ? proxy.url : deployment.dynamo.endpoint,
    OSDC_RCA_QUEUE_URL: deployment.queueUrl,
    OSDC_RCA_RESULTS_TABLE: deployment.tables.Results,
    OSDC_RCA_INLINE_WAIT_MS: String(options.waitMs),
    OSDC_RCA_DEADLINE_MS: String(options.sendDeadlineMs),
    OSDC_RCA_STATE_DIR: path.join(stateRoot, String(job.index)),
    RUNNER_NAME: `linux-4xlarge-${job.index}`,
  });

  const failingCount = jobs.filter((job) => job.kind !== 'passing').length;
  console.log(
    `${jobs.length} jobs (${failingCount} failing, ${jobs.length - failingCount} passing) over ${options.spreadMs / 1000} s; ` +
      `inline wait ${options.waitMs} ms, batching window ${options.windowMs} ms, ${options.instances} analyzer instances`,
  );
  const startedAt = Date.now();
  const results: InlineJobResult[] = [];
  const progress = setInterval(() => {
    const printed = results.filter((result) => result.printedIn).length;
    console.log(
      `  ${Math.round((Date.now() - startedAt) / 1000)} s: ${results.length}/${jobs.length} jobs done, ${printed} printed their analysis`,
    );
  }, 15_000);
  await Promise.all(
    jobs.map(async (job) => {
      await new Promise((resolve) => setTimeout(resolve, job.startAtMs));
      const runId = 8_000_000_000 + job.index;
      const onPr = job.index % 10 < 7;
      const identity = {
        repo: 'pytorch/pytorch',
        runId,
        jobId: runId * 10,
        jobName: job.shape === 'test' ? 'test (default, 1, 5, linux.4xlarge)' : 'build',
        runnerName: `linux-4xlarge-${job.index}`,
        headSha: runId.toString(16).padStart(40, 'a'),
        sha: onPr ? runId.toString(16).padStart(40, 'b') : runId.toString(16).padStart(40, 'a'),
        ref: onPr ? `refs/pull/${150_000 + job.index}/merge` : 'refs/heads/main',
        event: onPr ? ('pull_request' as const) : ('push' as const),
        prNumber: onPr ? 150_000 + job.index : undefined,
      };
      deployment.github.addRun({
        repo: identity.repo,
        runId,
        runAttempt: 1,
        headSha: identity.headSha,
        headBranch: onPr ? `feature-${job.index}` : 'main',
        event: identity.event,
        prNumber: identity.prNumber,
        ...(onPr ? { mergeCommitSha: identity.sha } : {}),
        workflowName: 'pull',
        jobs: [{ id: identity.jobId, name: identity.jobName, runnerName: identity.runnerName }],
      });
      results.push(await runInlineJob(bundle, job, identity, envFor(job)));
    }),
  );
  clearInterval(progress);
  console.log(`All jobs done in ${Math.round((Date.now() - startedAt) / 1000)} s.`);

  const failed = results.filter((result) => result.job.kind !== 'passing');
  const fresh = failed.filter((result) => result.job.kind !== 'repeat');
  const cached = failed.filter((result) => result.job.kind === 'repeat');
  const rate = (of: readonly InlineJobResult[]) =>
    (of.filter((result) => result.printedIn).length / Math.max(1, of.length)).toFixed(3);
  const added = failed.map((result) => result.addedMs);

  const dynamo = new DynamoDBClient({ ...LOCAL_AWS, endpoint: deployment.dynamo.endpoint });
  const store = new ReportStore({
    client: dynamo,
    tableName: deployment.tables.Results,
    now: () => new Date(),
  });
  const items = new Map<InlineJobResult, ReportItem>();
  for (const result of failed) {
    const item = result.reportDigest ? await store.get(result.reportDigest) : undefined;
    if (item) items.set(result, item);
  }
  const times: ReportTimes[] = fresh.flatMap((result) => {
    const item = items.get(result);
    return item ? [item.times] : [];
  });
  const span = (from: keyof ReportTimes, to: keyof ReportTimes) =>
    times.flatMap((time) =>
      time[from] !== undefined && time[to] !== undefined ? [time[to]! - time[from]!] : [],
    );
  console.log('');
  console.log('Where the time goes, first-seen and sibling failures (report item stage times):');
  console.log(describeSpan('queue: sent → picked up', span('sentAt', 'startedAt')));
  console.log(describeSpan('verify against GitHub', span('startedAt', 'verifiedAt')));
  console.log(describeSpan('context, cache, model, write item', span('verifiedAt', 'analysedAt')));
  console.log(describeSpan('  of which the model (drawn)', modelMs));
  console.log(describeSpan('sent → analysis readable', span('sentAt', 'analysedAt')));
  console.log(describeSpan('analysis → check run posted', span('analysedAt', 'publishedAt')));
  const lines = new Map<string, number>();
  for (const result of failed) {
    const line = (result.failureLine ?? '(no [OSDC] line)').replace(/[0-9a-f-]{36}/, '…').slice(0, 120);
    lines.set(line, (lines.get(line) ?? 0) + 1);
  }
  for (const [line, count] of lines) console.log(`  ${String(count).padStart(4)} × ${line}`);
  const sent = (of: readonly InlineJobResult[]) => of.filter((result) => result.reportId);
  console.log(
    `Of the jobs whose report was sent: first-seen ${rate(sent(fresh))} (n=${sent(fresh).length}), ` +
      `repeats ${rate(sent(cached))} (n=${sent(cached).length}) printed the analysis in their own log.`,
  );
  const where = (place: InlineJobResult['printedIn']) =>
    failed.filter((result) => result.printedIn === place).length;
  console.log(
    `Printed in the failing step ${where('failing step')}, a later step ${where('later step')}, cleanup_job ${where('cleanup_job')}, ` +
      `not at all ${where(undefined)}; ${failed.filter((result) => result.waited).length} cleanups waited; ` +
      `${throttled} throttled model calls; ${analyzerErrors} analyzer batch errors.`,
  );

  for (const result of failed.filter((each) => each.reportId && !each.printedIn)) {
    console.log(`  not printed: ${describeMiss(result, items.get(result))}`);
  }

  dynamo.destroy();
  proxy.close();
  await analyzer.stop();
  await deployment.stop();
  rmSync(stateRoot, { recursive: true, force: true });
  console.log(
    `fresh_inline_rate=${rate(fresh)} cached_inline_rate=${rate(cached)} ` +
      `added_wait_p50_ms=${Math.round(percentile(added, 50))} added_wait_p99_ms=${Math.round(percentile(added, 99))} ` +
      `wait_cap_ms=${options.waitMs} passing_lookups=${proxy.count()}`,
  );
}

await main();
