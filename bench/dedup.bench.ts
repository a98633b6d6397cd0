/**
 * Dedup benchmark: a burst of 500 failure reports over 20 distinct failures (real CI logs from ../shared/data),
 * processed by the analyzer's report processor with 8 concurrent Lambda-like consumers against the local stand-ins
 * (DynamoDB Local, fauxqs, the GitHub API and Bedrock servers). The Bedrock stand-in answers at once, so the
 * per-report times exclude model latency. GitHub's one-write-per-second pacing is on, per consumer as it is per
 * Lambda instance in production (`BENCH_GITHUB_PACING=0` turns it off).
 *
 * Reuse is trust-scoped (docs/security.md): pushes to main and PRs by members with write access (even PR numbers) make
 * answers the whole repository reuses; PRs from outside contributors' forks (odd numbers) make answers only their own
 * PR reuses. `BENCH_ORDER=untrusted-first` sends every untrusted report before the trusted ones, the worst case.
 *
 * Prints `model_calls=… unique_signatures=… answers=… model_calls_per_answer=… extra_calls_from_scoping=…
 * rules_answers=… duplicate_check_runs=…` (an answer is one (signature, trust scope); targets 1.00, 0 and 0) and the
 * p50/p99 processing time per report.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { createAnalyzerDeps, DEFAULT_TUNING } from '../services/analyzer/create-analyzer-deps';
import { createReportProcessor, type ReportProcessor } from '../services/analyzer/create-report-processor';
import { readAnalyzerConfig } from '../services/analyzer/read-analyzer-config';
import { startLocalSqsConsumer } from '../services/local/pipeline/local-sqs-consumer';
import { createTables, tableNames } from '../services/local/standins/aws/create-tables';
import { LOCAL_AWS, startLocalDynamo } from '../services/local/standins/aws/dynamodb-local';
import { startLocalSqs } from '../services/local/standins/aws/sqs-emulator';
import { startLocalBedrock } from '../services/local/standins/bedrock/bedrock-server';
import { startLocalGitHub } from '../services/local/standins/github/github-server';
import { MAX_REPORT_BODY_BYTES } from '../shared/contract/constants';
import type { FailureReport, ReportLog } from '../shared/contract/failure-report';
import { decodeReportLog, encodeReportLog, REPORT_ENVELOPE_BYTES } from '../shared/contract/report-log-codec';
import { snapshotOfText } from '../shared/log/snapshot-lines';
import { computeSignature } from '../shared/signature/compute-signature';
import { answersOf } from './dedup-answers';

const REPORTS = Number(process.env.BENCH_REPORTS ?? 500);
const FAILURES = Number(process.env.BENCH_FAILURES ?? 20);
const CONSUMERS = Number(process.env.BENCH_CONCURRENCY ?? 8);
/** Records per batch, as the event source mapping's batch size; in-flight records = consumers × batch size. */
const BATCH_SIZE = Number(process.env.BENCH_BATCH_SIZE ?? 10);
const GITHUB_PACING = process.env.BENCH_GITHUB_PACING !== '0';
const UNTRUSTED_FIRST = process.env.BENCH_ORDER === 'untrusted-first';
/**
 * The emulated Lambda timeout. The queue and the lease relate to it as in production (visibility 6×, lease +60 s);
 * it is short so that a record that really failed comes back within the run.
 */
const TIMEOUT_SECONDS = 20;
/**
 * The setup that once posted duplicate check runs: every consumer shares one write pace (so records wait behind up
 * to 80 writes) and the visibility timeout is 2 s (so records come back while their first delivery still runs).
 */
const STRESS = process.env.BENCH_STRESS === '1';
const TAIL_LINES = 3000;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.resolve(repoRoot, '..', 'shared', 'data');

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // EMF lines would flood stdout (Powertools flushes every 100 values); the figures come from the stand-ins.
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  if (!existsSync(dataDir)) {
    console.log(`dedup bench skipped: ${dataDir} is absent (the real CI logs it replays live there)`);
    return;
  }

  // 1. Twenty distinct failures with strong signatures, from real logs.
  const failures: Array<{ source: string; log: ReportLog; signature: string }> = [];
  const seen = new Set<string>();
  for (const candidate of candidateLogs(dataDir)) {
    if (failures.length >= FAILURES) break;
    const lines = readFileSync(candidate, 'utf8').split(/\r?\n/).slice(-TAIL_LINES);
    const log = encodeReportLog(snapshotOfText(lines, lines.join('\n').length), {
      maxBytes: MAX_REPORT_BODY_BYTES - REPORT_ENVELOPE_BYTES,
    });
    const signature = computeSignature(decodeReportLog(log));
    if (signature.strength !== 'strong' || seen.has(signature.signature)) continue;
    seen.add(signature.signature);
    failures.push({ source: path.relative(dataDir, candidate), log, signature: signature.signature });
  }
  if (failures.length < FAILURES) throw new Error(`only ${failures.length} distinct strong failures found`);

  // 2. The stand-ins and the analyzer, wired as in the Lambda.
  const [dynamoLocal, sqsLocal, github, bedrock] = await Promise.all([
    startLocalDynamo(),
    startLocalSqs(),
    startLocalGitHub(),
    startLocalBedrock(),
  ]);
  const dynamo = new DynamoDBClient({ ...LOCAL_AWS, endpoint: dynamoLocal.endpoint });
  const sqs = new SQSClient({ ...LOCAL_AWS, endpoint: sqsLocal.endpoint });
  const bedrockClient = new BedrockRuntimeClient({
    ...LOCAL_AWS,
    endpoint: bedrock.endpoint,
    maxAttempts: 1,
  });
  const tables = tableNames(`bench-${randomUUID().slice(0, 8)}`);
  await createTables(dynamo, tables);
  const { QueueUrl: dlqUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: 'bench-dlq' }));
  const { QueueUrl: queueUrl = '' } = await sqs.send(
    new CreateQueueCommand({
      QueueName: 'bench-reports',
      Attributes: { VisibilityTimeout: String(STRESS ? 2 : 6 * TIMEOUT_SECONDS) },
    }),
  );
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const config = readAnalyzerConfig({
    OSDC_RCA_RESULTS_TABLE: tables.Results,
    OSDC_RCA_STATE_TABLE: tables.State,
    OSDC_RCA_DLQ_URL: dlqUrl,
    OSDC_RCA_GITHUB_TOKEN: 'ghs_bench',
    OSDC_RCA_GITHUB_API_URL: github.url,
    OSDC_RCA_LEASE_SECONDS: String(TIMEOUT_SECONDS + 60),
    OSDC_RCA_QUEUE_URL: queueUrl,
    // The Bedrock stand-in answers at once, so a lease is held for well under a second, not the 15 s of a model call.
    OSDC_RCA_LEASE_RETRY_SECONDS: '1',
  });
  /** One processor per consumer, as each Lambda instance builds its own (and paces its own GitHub writes). */
  const processorFor = (consumer: number) =>
    createReportProcessor(
      createAnalyzerDeps(config, {
        dynamo,
        sqs,
        bedrock: bedrockClient,
        logger: new Logger({ serviceName: 'bench', logLevel: 'SILENT' }),
        metrics: new Metrics({ namespace: 'bench', serviceName: 'bench' }),
        tuning: {
          ...DEFAULT_TUNING,
          backoffBaseMs: 10,
          githubWritePacing: GITHUB_PACING,
          githubPacingGroup: STRESS ? 'shared' : `instance-${consumer}`,
        },
      }),
    );

  // 3. The burst: 500 reports, each from its own job, the failures interleaved at random.
  const reports: FailureReport[] = [];
  for (let index = 0; index < REPORTS; index += 1) {
    const failure = failures[Math.floor(Math.random() * failures.length)]!;
    const runId = 900_000 + index;
    const prNumber = index % 3 === 0 ? undefined : 1000 + (index % 40);
    const sha = randomUUID().replaceAll('-', '').padEnd(40, '0');
    const report: FailureReport = {
      v: 1,
      id: randomUUID(),
      resultSecret: randomBytes(32).toString('base64url'),
      repo: 'pytorch/pytorch',
      runId,
      runAttempt: 1,
      job: 'linux-test',
      runnerName: `arc-runner-${index}`,
      workflow: 'pull',
      stepIndex: 5,
      exitCode: 1,
      sha,
      ref: prNumber === undefined ? 'refs/heads/main' : `refs/pull/${prNumber}/merge`,
      event: prNumber === undefined ? 'push' : 'pull_request',
      prNumber,
      reportedAt: new Date().toISOString(),
      log: failure.log,
    };
    // Even PRs: a member with write access; odd PRs: an outside contributor's fork.
    const member = prNumber !== undefined && prNumber % 2 === 0;
    const author = prNumber === undefined ? undefined : `${member ? 'member' : 'contributor'}-${prNumber}`;
    github.addRun({
      ...(author === undefined
        ? {}
        : member
          ? { prAuthor: author, authorAssociation: 'MEMBER', collaborators: { [author]: 'write' as const } }
          : { prAuthor: author, headRepo: `${author}/pytorch` }),
      repo: report.repo,
      runId,
      headSha: sha,
      mergeCommitSha: sha,
      event: report.event,
      prNumber,
      jobs: [{ id: runId * 10, name: report.job, runnerName: report.runnerName }],
    });
    reports.push(report);
  }
  const untrusted = (report: FailureReport) => report.prNumber !== undefined && report.prNumber % 2 === 1;
  if (UNTRUSTED_FIRST) reports.sort((a, b) => Number(untrusted(b)) - Number(untrusted(a)));
  for (let start = 0; start < reports.length; start += 10) {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: reports.slice(start, start + 10).map((report, index) => ({
          Id: String(index),
          MessageBody: JSON.stringify(report),
        })),
      }),
    );
  }

  // 4. Eight consumers, each like one concurrent Lambda instance with its own batch processor.
  const durations: number[] = [];
  let retried = 0;
  const timedRecord = (processor: ReportProcessor) => async (record: SQSRecord) => {
    const started = performance.now();
    try {
      await processor.processRecord(record);
      durations.push(performance.now() - started);
    } catch (error) {
      retried += 1;
      throw error;
    }
  };
  const wallStart = performance.now();
  const consumers = Array.from({ length: CONSUMERS }, (_, consumer) => {
    const batchProcessor = new BatchProcessor(EventType.SQS);
    const handleRecord = timedRecord(processorFor(consumer));
    return startLocalSqsConsumer({
      client: sqs,
      queueUrl,
      queueArn: Attributes?.QueueArn ?? '',
      region: LOCAL_AWS.region,
      waitTimeSeconds: 1,
      batchSize: BATCH_SIZE,
      handler: (event) =>
        processPartialResponse(event, handleRecord, batchProcessor, { throwOnFullBatchFailure: false }),
    });
  });
  // A check run's external_id is the job step its report is bound to (GitHub lists no steps here: the wrapper's).
  const expected = new Set(reports.map((report) => `${report.runId * 10}/wrapper-${report.stepIndex}`));
  const deadline = Date.now() + 10 * 60_000;
  while (
    new Set(github.checkRuns().map((run) => run.external_id)).size < expected.size &&
    Date.now() < deadline
  ) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const wallMs = performance.now() - wallStart;
  await Promise.all(consumers.map((consumer) => consumer.stop()));

  // 5. Figures.
  const checkRuns = github.checkRuns();
  const published = new Set(checkRuns.map((run) => run.external_id));
  const { signatures, answers, rulesAnswers } = await answersOf(dynamo, tables.Results);
  const modelCalls = bedrock.requests().length;
  const sorted = [...durations].sort((a, b) => a - b);
  const percentile = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

  console.log(
    `model_calls=${modelCalls} unique_signatures=${signatures.size} answers=${answers.size} ` +
      `model_calls_per_answer=${(modelCalls / Math.max(1, answers.size)).toFixed(2)} ` +
      `extra_calls_from_scoping=${modelCalls - signatures.size} rules_answers=${rulesAnswers.size} ` +
      `duplicate_check_runs=${checkRuns.length - published.size}`,
  );
  console.log(
    `reports=${REPORTS} failures=${failures.length} consumers=${CONSUMERS} batch_size=${BATCH_SIZE} ` +
      `github_pacing=${GITHUB_PACING ? 'on' : 'off'} stress=${STRESS ? 'on' : 'off'} ` +
      `order=${UNTRUSTED_FIRST ? 'untrusted-first' : 'mixed'} published=${published.size} ` +
      `lost=${[...expected].filter((id) => !published.has(id)).length} retried=${retried} ` +
      `p50_ms=${percentile(50).toFixed(1)} p99_ms=${percentile(99).toFixed(1)} wall_s=${(wallMs / 1000).toFixed(1)}`,
  );

  dynamo.destroy();
  sqs.destroy();
  bedrockClient.destroy();
  await Promise.all([github.stop(), bedrock.stop(), sqsLocal.stop(), dynamoLocal.stop()]);
}

/** PyTorch fixtures first (the fleet's own failures), then LogChunks logs. */
function* candidateLogs(root: string): Generator<string> {
  for (const folder of ['pytorch-fixtures', 'logchunks', 'cidiff']) {
    const index = path.join(root, folder, 'index.jsonl');
    if (!existsSync(index)) continue;
    for (const line of readFileSync(index, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const entry = JSON.parse(line) as { log_path?: string };
      if (entry.log_path) yield path.join(root, folder, entry.log_path);
    }
  }
}

await main();
