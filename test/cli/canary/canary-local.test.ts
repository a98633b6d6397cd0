import path from 'node:path';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCanaryReport } from '../../../services/cli/canary/build-canary-report';
import { CanaryRunError, lookUpRun } from '../../../services/cli/canary/look-up-run';
import { sendCanary } from '../../../services/cli/canary/send-canary';
import { listSignatures } from '../../../services/dashboard/list-signatures';
import { startLocalAnalyzer } from '../../../services/local/pipeline/start-local-analyzer';
import {
  LOCAL_CANARY_RUN,
  type LocalDeployment,
  startLocalDeployment,
} from '../../../services/local/pipeline/start-local-deployment';
import { LOCAL_AWS } from '../../../services/local/standins/aws/dynamodb-local';

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const LOG = path.join(repoRoot, 'examples', 'cpp-compile-error.log');
const MODEL = 'global.anthropic.claude-opus-4-6-v1';

describe('Canary: through the local stand-ins with the analyzer running', () => {
  let deployment: LocalDeployment;
  let analyzer: { stop(): Promise<void> };
  let bedrock: BedrockRuntimeClient;
  let octokit: Octokit;
  beforeAll(async () => {
    process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
    deployment = await startLocalDeployment({ analyzerTimeoutSeconds: 60 });
    bedrock = new BedrockRuntimeClient({ ...LOCAL_AWS, endpoint: deployment.bedrock.endpoint });
    analyzer = startLocalAnalyzer({
      standIns: deployment,
      bedrock: { client: bedrock, modelId: MODEL },
      onError: () => {},
    });
    octokit = new Octokit({
      baseUrl: deployment.github.url,
      auth: 'local-token',
      log: { debug() {}, info() {}, warn() {}, error() {} },
    });
  });
  afterAll(async () => {
    await analyzer?.stop();
    bedrock?.destroy();
    await deployment?.stop();
  });
  const send = (report: Awaited<ReturnType<typeof buildCanaryReport>>) =>
    sendCanary({
      sqs: deployment.sqs,
      dynamo: deployment.dynamoClient,
      queueUrl: deployment.queueUrl,
      resultsTable: deployment.tables.Results,
      report,
      timeoutMs: 60_000,
    });

  it('gets an analysis from the model, posts no check run and leaves the dashboard empty', async () => {
    const run = await lookUpRun(octokit, LOCAL_CANARY_RUN);
    const report = await buildCanaryReport(run, LOG);

    const outcome = await send(report);

    expect(outcome.kind).toBe('analysed');
    if (outcome.kind !== 'analysed') return;
    expect(outcome.item.record?.analyst).toEqual({ kind: 'model', modelId: MODEL });
    expect(outcome.latencyMs).toBeGreaterThan(0);
    expect(deployment.bedrock.callCounts()).toEqual({ [MODEL]: 1 });
    expect(deployment.github.checkRuns()).toEqual([]);
    const page = await listSignatures(deployment.dynamoClient, deployment.tables.State, {
      window: '30d',
      limit: 10,
    });
    expect(page.items).toEqual([]);
  }, 90_000);

  it('is verified like any other report: one naming a run GitHub does not know is rejected', async () => {
    const run = await lookUpRun(octokit, LOCAL_CANARY_RUN);
    const report = await buildCanaryReport({ ...run, runnerName: 'not-a-runner-of-this-run' }, LOG);

    const outcome = await send(report);

    expect(outcome).toMatchObject({
      kind: 'rejected',
      reason: expect.stringContaining('not-a-runner-of-this-run'),
    });
    expect(deployment.github.checkRuns()).toEqual([]);
  }, 90_000);

  it('says which run it could not find when the operator names a wrong one', async () => {
    const error = await lookUpRun(octokit, { repo: LOCAL_CANARY_RUN.repo, runId: 1, runAttempt: 1 }).catch(
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(CanaryRunError);
    expect((error as Error).message).toBe('run 1 attempt 1 of osdc-rca/canary not found');
  });
});
