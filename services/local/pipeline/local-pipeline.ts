/**
 * The whole osdc-rca pipeline on one machine (`npm start`): the stand-ins in-process (SQS emulator, DynamoDB Local or
 * dynalite, the GitHub API as a recorder of check runs), the analyzer as a local SQS consumer running the same
 * handler code as Lambda, the dashboard on 127.0.0.1, and real failing logs replayed through the reporter's `exec`
 * path so that every report travels through the queue as in production.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ANALYZER_SERVICE_NAME, METRICS_NAMESPACE } from '../../../shared/contract/constants';
import { createAnalyzerDeps } from '../../analyzer/create-analyzer-deps';
import { createBatchHandler } from '../../analyzer/create-batch-handler';
import { createReportProcessor } from '../../analyzer/create-report-processor';
import { readAnalyzerConfig } from '../../analyzer/read-analyzer-config';
import { refreshRankCounts } from '../../analyzer/refresh-rank-counts';
import { ReportStore } from '../../analyzer/report-store';
import { serveDashboard } from '../../dashboard/serve';
import { createTables, tableNames } from '../standins/aws/create-tables';
import { LOCAL_AWS, startLocalDynamo } from '../standins/aws/dynamodb-local';
import { startLocalSqs } from '../standins/aws/sqs-emulator';
import { startLocalGitHub } from '../standins/github/github-server';
import { startLocalSqsConsumer } from './local-sqs-consumer';
import { planReplay, type ReplayJob, type ReplaySample } from './replay-plan';

export interface LocalPipelineOptions {
  readonly repoRoot: string;
  /** Where DynamoDB data and job markers persist between runs. */
  readonly stateDir: string;
  readonly fresh: boolean;
  /** Process the replay, print a summary and stop. */
  readonly once: boolean;
  readonly port: number;
  readonly samples: ReadonlyArray<{ name: string; logPath: string }>;
  /** Real Bedrock: set when AWS credentials and `OSDC_RCA_MODEL_ID` are configured. */
  readonly bedrockModelId: string | undefined;
  readonly out: Writable;
  /** How long to wait for the analyzer to finish the replay. */
  readonly timeoutMs?: number;
  /** Resolves when the user wants to stop (Ctrl-C); only used without `once`. */
  readonly untilStopped?: Promise<void>;
}

export interface ReplayedReport {
  readonly sample: string;
  readonly job: ReplayJob;
  readonly reportId: string | undefined;
  /** The `[OSDC]` line printed in the failing step. */
  readonly failureLine: string;
  /** What a later step of the job printed: the analysis, inline. */
  readonly inline: string;
  readonly checkRun:
    | { readonly title: string; readonly conclusion: string; readonly annotations: number }
    | undefined;
  readonly signature: string | undefined;
  /** When the analysis was made: reports sharing an analysis share this. */
  readonly analysisCreatedAt: string | undefined;
  readonly status: string | undefined;
}

export interface LocalPipelineSummary {
  readonly reports: readonly ReplayedReport[];
  readonly signatures: number;
  readonly analyses: number;
  readonly checkRuns: number;
  readonly dashboardUrl: string;
  readonly dashboardSignatures: number;
  readonly analyst: string;
  readonly dynamoEngine: string;
}

export class LocalPipelineError extends Error {
  override readonly name = 'LocalPipelineError';
}

const QUEUE = 'osdc-rca-reports';

export async function runLocalPipeline(options: LocalPipelineOptions): Promise<LocalPipelineSummary> {
  const say = (line: string) => options.out.write(`${line}\n`);
  const stopAll: Array<() => Promise<unknown> | unknown> = [];
  try {
    if (options.fresh) rmSync(options.stateDir, { recursive: true, force: true });
    const dataDir = path.join(options.stateDir, 'dynamodb');
    mkdirSync(dataDir, { recursive: true });

    say(`osdc-rca local pipeline (state in ${path.relative(process.cwd(), options.stateDir) || '.'})`);
    const dynamo = await startLocalDynamo({ dataDir });
    stopAll.push(() => dynamo.stop());
    say(
      dynamo.engine === 'dynamodb-local'
        ? `  DynamoDB   DynamoDB Local (real engine) at ${dynamo.endpoint}`
        : `  DynamoDB   Java not found, so dynalite (a DynamoDB stand-in) at ${dynamo.endpoint}`,
    );
    const dynamoClient = new DynamoDBClient({ ...LOCAL_AWS, endpoint: dynamo.endpoint });
    stopAll.push(() => dynamoClient.destroy());
    const tables = tableNames('osdc-rca');
    await createTables(dynamoClient, tables);

    const sqsServer = await startLocalSqs();
    stopAll.push(() => sqsServer.stop());
    const sqs = new SQSClient({ ...LOCAL_AWS, endpoint: sqsServer.endpoint });
    stopAll.push(() => sqs.destroy());
    const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${QUEUE}-dlq` }))).QueueUrl ?? '';
    const queueUrl =
      (
        await sqs.send(
          // Short visibility so a report waiting on another's analysis (single flight) comes back quickly.
          new CreateQueueCommand({ QueueName: QUEUE, Attributes: { VisibilityTimeout: '2' } }),
        )
      ).QueueUrl ?? '';
    const queueArn =
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] })))
        .Attributes?.QueueArn ?? '';
    say(`  SQS        fauxqs emulator at ${sqsServer.endpoint}`);

    const github = await startLocalGitHub();
    stopAll.push(() => github.stop());
    say(`  GitHub     local API (records check runs) at ${github.url}`);

    const config = readAnalyzerConfig({
      OSDC_RCA_RESULTS_TABLE: tables.Results,
      OSDC_RCA_STATE_TABLE: tables.State,
      OSDC_RCA_DLQ_URL: dlqUrl,
      OSDC_RCA_ANALYST: options.bedrockModelId ? 'bedrock' : 'rules',
      ...(options.bedrockModelId ? { OSDC_RCA_MODEL_ID: options.bedrockModelId } : {}),
      OSDC_RCA_GITHUB_TOKEN: 'local-token',
      OSDC_RCA_GITHUB_API_URL: github.url,
      OSDC_RCA_LEASE_SECONDS: '60',
      OSDC_RCA_QUEUE_URL: queueUrl,
    });
    const analyst = options.bedrockModelId
      ? `Bedrock (${options.bedrockModelId})`
      : 'the offline rules analyst (no AWS credentials or OSDC_RCA_MODEL_ID: no model is called)';
    say(`  Analyst    ${analyst}`);
    const deps = createAnalyzerDeps(config, {
      dynamo: dynamoClient,
      sqs,
      ...(options.bedrockModelId ? { bedrock: new BedrockRuntimeClient({}) } : { bedrock: undefined }),
      logger: new Logger({ serviceName: ANALYZER_SERVICE_NAME, logLevel: 'ERROR' }),
      // EMF lines would drown the output; metrics are for CloudWatch.
      metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: ANALYZER_SERVICE_NAME }),
    });
    const handler = createBatchHandler(createReportProcessor(deps), {
      afterBatch: () => refreshRankCounts(dynamoClient, tables.State),
    });
    const consumer = startLocalSqsConsumer({
      client: sqs,
      queueUrl,
      queueArn,
      region: LOCAL_AWS.region,
      handler,
      waitTimeSeconds: 1,
      onError: (error) => say(`  analyzer: batch failed (${String(error)}); SQS will redeliver it`),
    });
    stopAll.push(() => consumer.stop());

    const dashboard = await serveDashboard({
      port: options.port,
      client: dynamoClient,
      tableName: tables.State,
    });
    stopAll.push(() => dashboard.close());
    say(`  Dashboard  ${dashboard.url}`);

    const plan = planReplay(options.samples);
    const jobCount = plan.reduce((sum, sample) => sum + sample.jobs.length, 0);
    say('');
    say(`Replaying ${plan.length} failing logs as ${jobCount} jobs through the reporter…`);
    const reporterEnv = {
      OSDC_RCA_QUEUE_URL: queueUrl,
      OSDC_RCA_RESULTS_TABLE: tables.Results,
      AWS_REGION: LOCAL_AWS.region,
      AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
      AWS_ENDPOINT_URL_SQS: sqsServer.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    };
    const failures: Array<{ sample: ReplaySample; job: ReplayJob; reportId?: string; failureLine: string }> =
      [];
    let done = 0;
    for (const sample of plan) {
      for (const job of sample.jobs) {
        github.addRun({
          repo: job.repo,
          runId: job.runId,
          runAttempt: 1,
          headSha: job.headSha,
          headBranch: job.prNumber ? `feature-${job.prNumber}` : 'main',
          event: job.event,
          prNumber: job.prNumber,
          ...(job.prNumber ? { mergeCommitSha: job.sha } : {}),
          workflowName: job.workflow,
          jobs: [{ id: job.jobId, name: job.jobName, runnerName: job.runnerName }],
        });
        const step = await runReporterStep(options, job, reporterEnv, sample.logPath);
        const failureLine = step.lines.find((line) => line.startsWith('[OSDC]')) ?? '(no [OSDC] line)';
        failures.push({
          sample,
          job,
          reportId: failureLine.match(/\(report ([0-9a-f-]{36})\)/)?.[1],
          failureLine,
        });
        done += 1;
        say(`  [${done}/${jobCount}] ${sample.name} on ${where(job)}: ${failureLine}`);
      }
    }

    say('');
    say('Waiting for the analyzer…');
    const reports = new ReportStore({
      client: dynamoClient,
      tableName: tables.Results,
      now: () => new Date(),
    });
    const expected = failures.flatMap((failure) => (failure.reportId ? [failure.reportId] : []));
    await waitUntil(
      async () => {
        const posted = new Set(github.checkRuns().map((checkRun) => checkRun.external_id));
        let finished = 0;
        for (const id of expected) {
          if (posted.has(id)) finished += 1;
          else if ((await reports.get(id))?.status === 'rejected') finished += 1;
        }
        return finished === expected.length;
      },
      options.timeoutMs ?? 180_000,
      () => `the analyzer did not finish ${expected.length} reports in time`,
    );

    const replayed: ReplayedReport[] = [];
    for (const failure of failures) {
      const later = await runReporterStep(options, failure.job, reporterEnv, undefined);
      const item = failure.reportId ? await reports.get(failure.reportId) : undefined;
      const checkRun = github.checkRuns().find((run) => run.external_id === failure.reportId);
      replayed.push({
        sample: failure.sample.name,
        job: failure.job,
        reportId: failure.reportId,
        failureLine: failure.failureLine,
        inline: later.lines.join('\n'),
        checkRun: checkRun
          ? {
              title: checkRun.output?.title ?? '',
              conclusion: checkRun.conclusion ?? '',
              annotations: checkRun.output?.annotations?.length ?? 0,
            }
          : undefined,
        signature: item?.record?.signature,
        analysisCreatedAt: item?.record?.createdAt,
        status: item?.status,
      });
    }

    const dashboardSignatures = await countDashboardSignatures(dashboard.url);
    const summary: LocalPipelineSummary = {
      reports: replayed,
      signatures: new Set(replayed.map((report) => report.signature).filter(Boolean)).size,
      analyses: new Set(
        replayed.flatMap((report) =>
          report.signature ? [`${report.signature}@${report.analysisCreatedAt ?? ''}`] : [],
        ),
      ).size,
      checkRuns: github.checkRuns().length,
      dashboardUrl: dashboard.url,
      dashboardSignatures,
      analyst,
      dynamoEngine: dynamo.engine,
    };
    printSummary(summary, say);

    if (!options.once) {
      say('');
      say(`The dashboard stays up at ${dashboard.url} — press Ctrl-C to stop.`);
      await (options.untilStopped ?? new Promise<void>(() => {}));
    }
    return summary;
  } finally {
    for (const stop of stopAll.reverse()) {
      try {
        await stop();
      } catch {
        // Stopping is best effort: the process is about to end.
      }
    }
  }
}

function where(job: ReplayJob): string {
  return job.prNumber ? `PR #${job.prNumber}` : 'main';
}

function printSummary(summary: LocalPipelineSummary, say: (line: string) => void): void {
  say('');
  say('What the jobs printed in a later step (the analysis, inline):');
  const shown = new Set<string>();
  for (const report of summary.reports) {
    const key = report.signature ?? report.reportId ?? report.sample;
    if (shown.has(key)) continue;
    shown.add(key);
    say('');
    say(`── ${report.sample} (${where(report.job)})`);
    say(report.inline || '(nothing printed)');
  }
  say('');
  say('Check runs recorded by the local GitHub API:');
  for (const report of summary.reports) {
    const checkRun = report.checkRun;
    say(
      checkRun
        ? `  ${where(report.job).padEnd(10)} ${report.sample}: "${checkRun.title}" (${checkRun.conclusion}, ${checkRun.annotations} annotations)`
        : `  ${where(report.job).padEnd(10)} ${report.sample}: no check run (${report.status ?? 'no report'})`,
    );
  }
  say('');
  say(
    `${summary.reports.length} reports → ${summary.signatures} signatures → ${summary.analyses} analyses ` +
      `(repeated failures reuse one analysis); ${summary.checkRuns} check runs; ` +
      `${summary.dashboardSignatures} signatures on the dashboard.`,
  );
  say(`Dashboard: ${summary.dashboardUrl}`);
}

async function countDashboardSignatures(url: string): Promise<number> {
  const response = await fetch(`${url}/api/signatures?window=30d&limit=100`);
  if (!response.ok) return 0;
  const body = (await response.json()) as { items?: unknown[]; signatures?: unknown[] };
  return (body.items ?? body.signatures ?? []).length;
}

/**
 * Runs one step of a job through the reporter's `exec` command: the failing step replays a log and exits 1; a later
 * step (no log) succeeds and prints any finished analysis. The step's own output is not echoed, only `[OSDC]` lines
 * and the analysis block.
 */
async function runReporterStep(
  options: LocalPipelineOptions,
  job: ReplayJob,
  reporterEnv: Record<string, string>,
  logPath: string | undefined,
): Promise<{ exitCode: number | null; lines: string[] }> {
  const bundle = path.join(options.repoRoot, 'dist', 'osdc-rca-reporter.cjs');
  const script = logPath
    ? 'const s=require("fs").createReadStream(process.argv[1]);s.pipe(process.stdout);s.on("end",()=>{process.exitCode=1})'
    : 'process.exitCode=0';
  const child = spawn(
    process.execPath,
    [bundle, 'exec', '--', process.execPath, '-e', script, ...(logPath ? [logPath] : [])],
    {
      env: {
        PATH: process.env.PATH,
        ...reporterEnv,
        OSDC_RCA_STATE_DIR: path.join(options.stateDir, 'markers', String(job.jobId)),
        GITHUB_ACTIONS: 'true',
        GITHUB_REPOSITORY: job.repo,
        GITHUB_RUN_ID: String(job.runId),
        GITHUB_RUN_ATTEMPT: '1',
        GITHUB_JOB: 'test',
        GITHUB_WORKFLOW: job.workflow,
        GITHUB_SHA: job.sha,
        GITHUB_REF: job.ref,
        GITHUB_EVENT_NAME: job.event,
        RUNNER_NAME: job.runnerName,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const kept: string[] = [];
  let inGroup = false;
  const keep = (text: string) => {
    for (const line of text.split('\n')) {
      if (line.startsWith('::group::[OSDC]')) inGroup = true;
      if (inGroup || line.startsWith('[OSDC]')) kept.push(line);
      if (line.startsWith('::endgroup::')) inGroup = false;
    }
  };
  const collect = (stream: NodeJS.ReadableStream) => {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const text = rest + chunk;
      const cut = text.lastIndexOf('\n');
      rest = cut >= 0 ? text.slice(cut + 1) : text;
      // Long replayed logs: only look at whole lines, and never hold more than one partial line.
      if (cut >= 0) keep(text.slice(0, cut));
      if (rest.length > 1 << 20) rest = '';
    });
    stream.on('end', () => keep(rest));
  };
  collect(child.stdout);
  collect(child.stderr);
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { exitCode, lines: kept.filter((line) => line.length > 0) };
}

async function waitUntil(
  condition: () => Promise<boolean>,
  timeoutMs: number,
  message: () => string,
): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new LocalPipelineError(message());
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
