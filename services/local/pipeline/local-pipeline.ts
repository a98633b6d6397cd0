/**
 * The whole osdc-rca pipeline on one machine (`npm start`): the stand-ins in-process (SQS emulator, DynamoDB Local or
 * dynalite, the GitHub API as a recorder of check runs), the analyzer as a local SQS consumer running the same
 * handler code as Lambda, the dashboard on 127.0.0.1, and real failing logs replayed through the reporter's `exec`
 * path so that every report travels through the queue as in production.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DEFAULT_INLINE_WAIT_MS } from '../../../shared/contract/constants';
import { ReportStore } from '../../analyzer/report-store';
import { serveDashboard } from '../../dashboard/serve';
import { LOCAL_AWS } from '../standins/aws/dynamodb-local';
import { startLocalBedrock } from '../standins/bedrock/bedrock-server';
import { realisticLatencyReply } from '../standins/bedrock/realistic-latency';
import { type LocalPipelineSummary, printPipelineSummary, type ReplayedReport } from './pipeline-summary';
import { replayJobs } from './replay-jobs';
import { planReplay } from './replay-plan';
import { startLocalAnalyzer } from './start-local-analyzer';
import { startStandIns } from './start-stand-ins';

/** Who opens the replay's PRs. */
const REPLAY_PR_AUTHOR = 'osdc-rca-demo';

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
  /**
   * Multiplies the replay's pauses, the local Bedrock's latency, the batching window and the inline wait; 1 (the
   * default) is production timing, so what `npm start` shows is what a job shows. Tests shorten it.
   */
  readonly timeScale?: number;
  /** How long to wait for the analyzer to finish the replay. */
  readonly timeoutMs?: number;
  /** Resolves when the user wants to stop (Ctrl-C); only used without `once`. */
  readonly untilStopped?: Promise<void>;
}

export type { LocalPipelineSummary, ReplayedReport } from './pipeline-summary';

/** The model ids the local Bedrock answers to: the check runs and the job log name the stand-in, not a model. */
const LOCAL_MODEL_ID = 'local-stand-in.opus-4-6-latency';
const LOCAL_FALLBACK_MODEL_ID = 'local-stand-in.sonnet-4-6-latency';
/** infra/constructs/analyzer-function.ts: the event source's maxBatchingWindow. */
const PRODUCTION_BATCHING_WINDOW_MS = 2000;

export class LocalPipelineError extends Error {
  override readonly name = 'LocalPipelineError';
}

export async function runLocalPipeline(options: LocalPipelineOptions): Promise<LocalPipelineSummary> {
  const say = (line: string) => options.out.write(`${line}\n`);
  const stopAll: Array<() => Promise<unknown> | unknown> = [];
  try {
    if (options.fresh) rmSync(options.stateDir, { recursive: true, force: true });
    const dataDir = path.join(options.stateDir, 'dynamodb');
    mkdirSync(dataDir, { recursive: true });
    say(`osdc-rca local pipeline (state in ${path.relative(process.cwd(), options.stateDir) || '.'})`);
    const standIns = await startStandIns({ dataDir, say });
    stopAll.push(() => standIns.stop());
    const { dynamo, dynamoClient, tables, github } = standIns;

    const timeScale = options.timeScale ?? 1;
    // Without a real model, the local Bedrock answers with Opus 4.6's latency, so the job's wait is as in production.
    const standIn = options.bedrockModelId ? undefined : await startLocalBedrock();
    if (standIn) {
      stopAll.push(() => standIn.stop());
      standIn.setDefault(realisticLatencyReply({ scale: timeScale }));
    }
    const analyst = options.bedrockModelId
      ? `Bedrock (${options.bedrockModelId})`
      : `the local Bedrock stand-in at ${standIn?.endpoint} (${LOCAL_MODEL_ID}: Opus 4.6's latency${timeScale === 1 ? '' : ` × ${timeScale}`}, answers that quote the log; no AWS credentials or OSDC_RCA_MODEL_ID, so no real model is called)`;
    say(`  Analyst    ${analyst}`);
    const consumer = startLocalAnalyzer({
      standIns,
      bedrock: standIn
        ? {
            client: new BedrockRuntimeClient({ ...LOCAL_AWS, endpoint: standIn.endpoint, maxAttempts: 1 }),
            modelId: LOCAL_MODEL_ID,
            fallbackModelId: LOCAL_FALLBACK_MODEL_ID,
          }
        : { client: new BedrockRuntimeClient({}), modelId: options.bedrockModelId ?? LOCAL_MODEL_ID },
      batchingWindowMs: PRODUCTION_BATCHING_WINDOW_MS * timeScale,
      timeScale,
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
    const jobs = await replayJobs({
      plan,
      bundle: path.join(options.repoRoot, 'dist', 'osdc-rca-reporter.cjs'),
      reporterEnv: {
        ...standIns.reporterEnv,
        OSDC_RCA_INLINE_WAIT_MS: String(Math.round(DEFAULT_INLINE_WAIT_MS * timeScale)),
      },
      stateDirOf: (job) => path.join(options.stateDir, 'markers', String(job.jobId)),
      timeScale,
      say,
      beforeJob: (job) =>
        github.addRun({
          repo: job.repo,
          runId: job.runId,
          runAttempt: 1,
          headSha: job.headSha,
          headBranch: job.prNumber ? `feature-${job.prNumber}` : 'main',
          event: job.event,
          prNumber: job.prNumber,
          // The replay's PRs are a member's (write access): a trusted context, so their answers are shared like the
          // trunk's (docs/security.md); a fork's PR would get an analysis of its own.
          ...(job.prNumber
            ? {
                mergeCommitSha: job.sha,
                prAuthor: REPLAY_PR_AUTHOR,
                collaborators: { [REPLAY_PR_AUTHOR]: 'write' as const },
              }
            : {}),
          workflowName: job.workflow,
          jobs: [{ id: job.jobId, name: job.jobName, runnerName: job.runnerName }],
        }),
    });

    say('');
    say('Waiting for the check runs…');
    const reports = new ReportStore({
      client: dynamoClient,
      tableName: tables.Results,
      now: () => new Date(),
    });
    // The analyzer keys a report by the digest of its secret, which stays in the job; the local replay finds the
    // item by the id the job printed, and a check run by the job it is bound to (`<jobId>/<step>`).
    const itemOf = async (reportId: string | undefined) => {
      const digest = reportId ? await reportDigestOf(dynamoClient, tables.Results, reportId) : undefined;
      return digest ? reports.get(digest) : undefined;
    };
    const checkRunOf = (jobId: number) =>
      github.checkRuns().find((run) => run.external_id?.startsWith(`${jobId}/`));
    const expected = jobs.filter((job) => job.reportId !== undefined);
    await waitUntil(
      async () => {
        let finished = 0;
        for (const job of expected) {
          if (checkRunOf(job.job.jobId)) finished += 1;
          else if ((await itemOf(job.reportId))?.status === 'rejected') finished += 1;
        }
        return finished === expected.length;
      },
      options.timeoutMs ?? 180_000,
      () => `the analyzer did not finish ${expected.length} reports in time`,
    );

    const replayed: ReplayedReport[] = [];
    for (const replayedJob of jobs) {
      const item = await itemOf(replayedJob.reportId);
      const checkRun = checkRunOf(replayedJob.job.jobId);
      replayed.push({
        sample: replayedJob.sample.name,
        job: replayedJob.job,
        reportId: replayedJob.reportId,
        failureLine: replayedJob.failureLine,
        inline: replayedJob.inline,
        printedIn: replayedJob.printedIn,
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
    printPipelineSummary(summary, say);

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

async function countDashboardSignatures(url: string): Promise<number> {
  const response = await fetch(`${url}/api/signatures?window=30d&limit=100`);
  if (!response.ok) return 0;
  const body = (await response.json()) as { items?: unknown[]; signatures?: unknown[] };
  return (body.items ?? body.signatures ?? []).length;
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

/** The digest a report is keyed by, found by the id it printed: a scan, fine for the few items of a local replay. */
async function reportDigestOf(
  client: DynamoDBClient,
  table: string,
  reportId: string,
): Promise<string | undefined> {
  const { Items = [] } = await client.send(
    new ScanCommand({
      TableName: table,
      FilterExpression: 'begins_with(pk, :report) AND reportId = :id',
      ExpressionAttributeValues: { ':report': { S: 'report#' }, ':id': { S: reportId } },
    }),
  );
  return Items[0]?.pk?.S?.slice('report#'.length);
}
