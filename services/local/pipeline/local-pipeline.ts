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
import { ReportStore } from '../../analyzer/report-store';
import { serveDashboard } from '../../dashboard/serve';
import {
  type LocalPipelineSummary,
  printPipelineSummary,
  type ReplayedReport,
  where,
} from './pipeline-summary';
import { planReplay, type ReplayJob, type ReplaySample } from './replay-plan';
import { runReporterStep } from './run-reporter-step';
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
  /** How long to wait for the analyzer to finish the replay. */
  readonly timeoutMs?: number;
  /** Resolves when the user wants to stop (Ctrl-C); only used without `once`. */
  readonly untilStopped?: Promise<void>;
}

export type { LocalPipelineSummary, ReplayedReport } from './pipeline-summary';

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

    const analyst = options.bedrockModelId
      ? `Bedrock (${options.bedrockModelId})`
      : 'the offline rules analyst (no AWS credentials or OSDC_RCA_MODEL_ID: no model is called)';
    say(`  Analyst    ${analyst}`);
    const consumer = startLocalAnalyzer({
      standIns,
      bedrock: options.bedrockModelId
        ? { client: new BedrockRuntimeClient({}), modelId: options.bedrockModelId }
        : undefined,
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
        });
        const step = await runReporterStep(options, job, standIns.reporterEnv, sample.logPath);
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
      const later = await runReporterStep(options, failure.job, standIns.reporterEnv, undefined);
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
