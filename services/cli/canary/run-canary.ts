/**
 * `osdc-rca canary`: one synthetic report through the deployed pipeline (or the local stand-ins with the analyzer
 * running as a local consumer), then the end-to-end latency and the analysis. Nothing is posted on GitHub.
 */
import path from 'node:path';
import type { Writable } from 'node:stream';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { Octokit } from '@octokit/rest';
import { renderInline } from '../../../shared/render/render-inline';
import { startLocalAnalyzer } from '../../local/pipeline/start-local-analyzer';
import { LOCAL_CANARY_RUN, startLocalDeployment } from '../../local/pipeline/start-local-deployment';
import { LOCAL_AWS } from '../../local/standins/aws/dynamodb-local';
import { createDoctorClients } from '../doctor/doctor-clients';
import type { DoctorConfig } from '../doctor/doctor-config';
import { localDoctorConfig } from '../doctor/local-doctor-config';
import { buildCanaryReport } from './build-canary-report';
import { CanaryRunError, lookUpRun } from './look-up-run';
import { type CanaryOutcome, sendCanary } from './send-canary';

export interface CanaryTarget {
  readonly repo: string;
  readonly runId: number;
  readonly runAttempt: number;
}

export interface RunCanaryOptions {
  readonly config: DoctorConfig;
  readonly local: boolean;
  /** The real run the report names; the local stand-in's seeded run with `local`. */
  readonly target: CanaryTarget | undefined;
  readonly logPath: string;
  /** Reads the run from GitHub; public repositories need none. */
  readonly githubToken: string | undefined;
  readonly timeoutMs: number;
  readonly json: boolean;
  readonly out: Writable;
}

export interface CanaryResult {
  readonly outcome: CanaryOutcome;
  /** Check runs the canary caused; counted on the local GitHub only. */
  readonly checkRuns: number | undefined;
}

export async function runCanary(options: RunCanaryOptions): Promise<CanaryResult> {
  const deployment = options.local ? await startLocalDeployment() : undefined;
  const config = deployment ? localDoctorConfig(options.config, deployment) : options.config;
  const bedrock = deployment
    ? new BedrockRuntimeClient({ ...LOCAL_AWS, endpoint: deployment.bedrock.endpoint })
    : undefined;
  const analyzer = deployment
    ? startLocalAnalyzer({
        standIns: deployment,
        bedrock: bedrock ? { client: bedrock, modelId: config.modelId } : undefined,
        onError: (error) => options.out.write(`analyzer: batch failed (${String(error)})\n`),
      })
    : undefined;
  const clients = createDoctorClients(config);
  try {
    const target = deployment ? LOCAL_CANARY_RUN : options.target;
    if (!target) throw new CanaryRunError('a canary needs a run to name: --repo owner/name --run-id N');
    if (!config.queueUrl || !config.resultsTable) {
      throw new CanaryRunError('set OSDC_RCA_QUEUE_URL and OSDC_RCA_RESULTS_TABLE (the stack outputs)');
    }
    const token = options.githubToken ?? (deployment ? 'local-token' : undefined);
    const octokit = new Octokit({
      baseUrl: config.github.apiUrl,
      ...(token ? { auth: token } : {}),
      // A missing run is reported once, as a CanaryRunError, not also by Octokit's own logger.
      log: { debug() {}, info() {}, warn() {}, error() {} },
    });
    const run = await lookUpRun(octokit, target);
    const report = await buildCanaryReport(run, options.logPath);
    const outcome = await sendCanary({
      sqs: clients.sqs,
      dynamo: clients.dynamo,
      queueUrl: config.queueUrl,
      resultsTable: config.resultsTable,
      report,
      timeoutMs: options.timeoutMs,
    });
    const checkRuns = deployment?.github.checkRuns().length;
    const describeRun = `${run.repo} run ${run.runId} (runner ${run.runnerName}, commit ${run.headSha.slice(0, 7)})`;
    if (options.json) {
      options.out.write(
        `${JSON.stringify({ reportId: report.id, run: describeRun, ...flatten(outcome), checkRuns }, null, 2)}\n`,
      );
    } else {
      options.out.write(
        `Canary report ${report.id} for ${describeRun}, log ${path.basename(options.logPath)}\n`,
      );
      options.out.write(`${describeOutcome(outcome, checkRuns)}\n`);
      if (outcome.kind === 'analysed' && outcome.item.record)
        options.out.write(renderInline(outcome.item.record));
    }
    return { outcome, checkRuns };
  } finally {
    clients.destroy();
    await analyzer?.stop();
    bedrock?.destroy();
    await deployment?.stop();
  }
}

function describeOutcome(outcome: CanaryOutcome, checkRuns: number | undefined): string {
  const seconds = `${(outcome.latencyMs / 1000).toFixed(1)} s`;
  if (outcome.kind === 'rejected') return `Rejected by the analyzer after ${seconds}: ${outcome.reason}`;
  if (outcome.kind === 'timeout') return `No analysis after ${seconds} (last seen: ${outcome.lastStatus})`;
  const { record, fromCache } = outcome.item;
  const analyst = record?.analyst.kind === 'model' ? `model ${record.analyst.modelId}` : 'rules analyst';
  const posted = checkRuns === undefined ? 'none is posted for a canary' : `${checkRuns} posted`;
  return `Analysed ${seconds} after sending, end to end (${analyst}${fromCache ? ', from cache' : ''}); check runs: ${posted}.`;
}

function flatten(outcome: CanaryOutcome) {
  if (outcome.kind !== 'analysed') return outcome;
  return {
    kind: outcome.kind,
    latencyMs: outcome.latencyMs,
    fromCache: outcome.item.fromCache,
    record: outcome.item.record,
  };
}
