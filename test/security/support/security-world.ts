/**
 * The world the adversarial suite plays in: the real analyzer (through the SQS stand-in), DynamoDB Local, the local
 * GitHub API and the local Bedrock server, plus what each surface shows a developer: the inline print (through the
 * reporter's own read path, with the job's marker and secret), the check runs on a commit and the dashboard's JSON.
 * Victims and attackers are jobs seeded in GitHub as GitHub would show them; what the attacker sends is any body.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import { createDashboardApp } from '../../../services/dashboard/app';
import { LOCAL_AWS } from '../../../services/local/standins/aws/dynamodb-local';
import { bedrockReplies, type TokenCounts } from '../../../services/local/standins/bedrock/bedrock-replies';
import {
  type LocalBedrock,
  startLocalBedrock,
} from '../../../services/local/standins/bedrock/bedrock-server';
import { type LocalGitHub, startLocalGitHub } from '../../../services/local/standins/github/github-server';
import type { SeedRun } from '../../../services/local/standins/github/github-types';
import { collectFinishedAnalyses } from '../../../services/reporter/collect-finished-analyses';
import { FailureMarkers } from '../../../services/reporter/failure-markers';
import { readReporterConfig } from '../../../services/reporter/read-reporter-config';
import type { FailureReport } from '../../../shared/contract/failure-report';
import { reportKey } from '../../../shared/contract/keys';
import { secretDigest } from '../../../shared/contract/result-key';
import { type AnalyzerHarness, createAnalyzerHarness } from '../../analyzer/support/analyzer-harness';
import { buildReport, pytestFailureLog, uniqueRunId } from '../../analyzer/support/report-factory';

export interface JobSpec {
  readonly repo?: string;
  /** A PR number makes it a pull_request run; none, a push. */
  readonly prNumber?: number;
  readonly prAuthor?: string;
  readonly authorAssociation?: string;
  /** `owner/name` of the PR's head: a fork when it differs from `repo`. */
  readonly headRepo?: string;
  readonly headBranch?: string;
  readonly headSha?: string;
  /** What the failing step prints, as pytest would (the failing test's name makes the signature). */
  readonly testName: string;
  readonly job?: Partial<NonNullable<SeedRun['jobs']>[number]>;
  readonly run?: Partial<SeedRun>;
}

export interface SeededJob {
  /** The honest report this job's reporter sends. */
  readonly report: FailureReport;
  readonly jobId: number;
  readonly spec: JobSpec;
}

export interface SecurityWorld {
  readonly github: LocalGitHub;
  readonly bedrock: LocalBedrock;
  readonly harness: AnalyzerHarness;
  /** Seeds a run with one failing job (on its own runner) in the GitHub stand-in. */
  seedJob(spec: JobSpec): SeededJob;
  /** Sends any bodies to the reports queue, in order, and runs the analyzer until the queue is empty. */
  sendAndDrain(...bodies: Array<FailureReport | string>): Promise<void>;
  /** What the job's later step prints: the reporter's own read of its result, with its marker and secret. */
  inlinePrint(report: FailureReport): Promise<string>;
  /** The dashboard's JSON for a signature (404 → undefined). */
  dashboard(signature: string): Promise<DashboardSignature | undefined>;
  /** The dashboard's HTML page of a signature, as a developer sees it. */
  dashboardPage(signature: string): Promise<string>;
  /** The analyzer's item of a report, found as the analyzer finds it: by the digest of its secret. */
  reportItem(report: FailureReport): Promise<Record<string, string | undefined> | undefined>;
  rejectReasonOf(report: FailureReport): Promise<string | undefined>;
  /** Repositories that have a cached analysis, and scopes (repositories, `*`) that were charged model spend. */
  cacheRepos(): Promise<string[]>;
  budgetScopes(): Promise<string[]>;
  /** The dead-letter queue's messages: body and reason. */
  deadLetters(): Promise<Array<{ body: string; reason: string }>>;
  destroy(): Promise<void>;
}

export interface DashboardSignature {
  readonly signature: {
    readonly summary: string;
    readonly branchKinds?: string[];
    readonly lastSeenOnMainAt?: string;
  };
  readonly occurrences: {
    readonly items: Array<{ ref?: string; prNumber?: number; job?: string; workflow?: string; at: string }>;
  };
}

export async function createSecurityWorld(
  env: Readonly<Record<string, string>> = {},
): Promise<SecurityWorld> {
  const [github, bedrock] = await Promise.all([startLocalGitHub(), startLocalBedrock()]);
  const harness = await createAnalyzerHarness({
    dynamoEndpoint: inject('dynamoEndpoint'),
    sqsEndpoint: inject('sqsEndpoint'),
    github,
    bedrockEndpoint: bedrock.endpoint,
    env,
    modelTimeoutMs: 5000,
  });
  // The reporter's clients take credentials from the SDK's default chain, as in a runner pod.
  process.env.AWS_ACCESS_KEY_ID ??= LOCAL_AWS.credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY ??= LOCAL_AWS.credentials.secretAccessKey;
  bedrock.setDefault(echoFailingTest());
  const stateRoot = await mkdtemp(join(tmpdir(), 'osdc-rca-security-'));
  const reporterConfig = readReporterConfig({
    OSDC_RCA_QUEUE_URL: harness.queueUrl,
    OSDC_RCA_RESULTS_TABLE: harness.tables.Results,
    OSDC_RCA_RESULT_DEADLINE_MS: '1000',
    AWS_REGION: LOCAL_AWS.region,
    AWS_ENDPOINT_URL_SQS: inject('sqsEndpoint'),
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
    OSDC_RCA_STATE_DIR: stateRoot,
  });
  if (!reporterConfig) throw new Error('the reporter configuration of the security world is incomplete');
  const dashboardApp = createDashboardApp({ client: harness.dynamo, tableName: harness.tables.State });
  let runners = 0;

  const world: SecurityWorld = {
    github,
    bedrock,
    harness,
    seedJob(spec) {
      runners += 1;
      const runId = uniqueRunId();
      const jobId = runId * 10;
      const repo = spec.repo ?? 'pytorch/pytorch';
      const headSha = spec.headSha ?? `${runId.toString(16)}`.padStart(40, 'e');
      const report = buildReport({
        repo,
        runId,
        runnerName: `arc-runner-${runners}`,
        sha: headSha,
        ref:
          spec.prNumber === undefined
            ? `refs/heads/${spec.headBranch ?? 'main'}`
            : `refs/pull/${spec.prNumber}/merge`,
        event: spec.prNumber === undefined ? 'push' : 'pull_request',
        prNumber: spec.prNumber,
        lines: pytestFailureLog(spec.testName),
      });
      github.addRun({
        repo,
        runId,
        headSha,
        headBranch: spec.headBranch ?? (spec.prNumber === undefined ? 'main' : `feature-${spec.prNumber}`),
        event: report.event,
        prNumber: spec.prNumber,
        // The report's GITHUB_SHA is the head here, so the merge commit is another one.
        ...(spec.prNumber === undefined ? {} : { mergeCommitSha: `${runId.toString(16)}`.padStart(40, 'f') }),
        ...(spec.prAuthor ? { prAuthor: spec.prAuthor } : {}),
        ...(spec.authorAssociation ? { authorAssociation: spec.authorAssociation } : {}),
        ...(spec.headRepo ? { headRepo: spec.headRepo } : {}),
        jobs: [{ id: jobId, name: `test (${spec.testName})`, runnerName: report.runnerName, ...spec.job }],
        ...spec.run,
      });
      return { report, jobId, spec };
    },
    async sendAndDrain(...bodies) {
      for (const body of bodies) await harness.send(body);
      await harness.drain(40);
    },
    async inlinePrint(report) {
      const markers = new FailureMarkers(join(stateRoot, report.id));
      const marker = { reportId: report.id, resultSecret: report.resultSecret, createdAt: Date.now() };
      await markers.add(marker);
      return collectFinishedAnalyses(reporterConfig, markers, [marker]);
    },
    async dashboard(signature) {
      const response = await dashboardApp.request(`/api/signatures/${signature}`);
      return response.status === 404 ? undefined : ((await response.json()) as DashboardSignature);
    },
    async dashboardPage(signature) {
      return (await dashboardApp.request(`/signatures/${signature}`)).text();
    },
    async reportItem(report) {
      const { Item } = await harness.dynamo.send(
        new GetItemCommand({
          TableName: harness.tables.Results,
          Key: { pk: { S: reportKey(secretDigest(report.resultSecret)) } },
          ConsistentRead: true,
        }),
      );
      return Item
        ? Object.fromEntries(Object.entries(Item).map(([name, value]) => [name, value.S ?? value.N]))
        : undefined;
    },
    async rejectReasonOf(report) {
      return (await world.reportItem(report))?.rejectReason;
    },
    async cacheRepos() {
      const keys = await scanKeys(harness.dynamo, harness.tables.Results, 'cache#');
      return keys.map((key) => key.pk.split('#').slice(2, -2).join('#'));
    },
    async budgetScopes() {
      const keys = await scanKeys(harness.dynamo, harness.tables.State, 'budget#');
      return keys.map((key) => key.sk);
    },
    async deadLetters() {
      const { Messages = [] } = await harness.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: harness.dlqUrl,
          MaxNumberOfMessages: 10,
          MessageAttributeNames: ['All'],
          WaitTimeSeconds: 0,
        }),
      );
      return Messages.map((message) => ({
        body: message.Body ?? '',
        reason: message.MessageAttributes?.reason?.StringValue ?? '',
      }));
    },
    async destroy() {
      harness.destroy();
      await Promise.all([github.stop(), bedrock.stop(), rm(stateRoot, { recursive: true, force: true })]);
    },
  };
  return world;
}

async function scanKeys(
  client: AnalyzerHarness['dynamo'],
  table: string,
  prefix: string,
): Promise<Array<{ pk: string; sk: string }>> {
  const { Items = [] } = await client.send(
    new ScanCommand({
      TableName: table,
      FilterExpression: 'begins_with(pk, :prefix)',
      ExpressionAttributeValues: { ':prefix': { S: prefix } },
      ConsistentRead: true,
    }),
  );
  return Items.map((item) => ({ pk: item.pk?.S ?? '', sk: item.sk?.S ?? '' }));
}

/** A schema-valid model answer whose one-line summary says `summary` (with the token counts it is billed for). */
export function modelAnswer(summary: string, usage?: TokenCounts) {
  return bedrockReplies.toolUse(
    {
      summary,
      rootCause: summary,
      category: 'test',
      isInfra: false,
      confidence: 'medium',
      evidence: [],
      suggestedFix: 'Look at the failing test.',
      files: [],
    },
    usage,
  );
}

/**
 * The model's default answer here names the failing test it was shown ("test_x failed"), so every surface shows
 * whose log an answer was made from.
 */
export function echoFailingTest(usage?: TokenCounts) {
  return bedrockReplies.compute((request) => {
    const name = request.promptText.match(/FAILED test\/\S+::(\w+)/)?.[1] ?? 'an unknown test';
    return modelAnswer(`${name} failed`, usage);
  });
}

/**
 * One world for a describe block: started before its tests, checked after each (every request the analyzer made
 * to GitHub matched GitHub's schema), its model stand-in reset to echo the failing test, and stopped at the end.
 * `env` is the analyzer's configuration beyond the world's own (caps, budgets), as the Lambda's env would set it.
 *
 * @example
 * const world = useSecurityWorld();
 * it('…', async () => { const job = world().seedJob({ testName: 'test_x' }); … });
 */
export function useSecurityWorld(env: Readonly<Record<string, string>> = {}): () => SecurityWorld {
  let world: SecurityWorld | undefined;
  beforeAll(async () => {
    world = await createSecurityWorld(env);
  });
  afterEach(() => {
    expect(world?.github.schemaViolations()).toEqual([]);
    world?.bedrock.reset();
    world?.bedrock.setDefault(echoFailingTest());
  });
  afterAll(() => world?.destroy());
  return () => {
    if (!world) throw new Error('the security world is used before it started');
    return world;
  };
}
