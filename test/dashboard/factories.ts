/** Realistic occurrences and a fresh State table per test file, for the dashboard and occurrence-store tests. */
import { randomUUID } from 'node:crypto';
import { type AttributeValue, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import type { Occurrence } from '../../services/analyzer/occurrence-store';
import { createTables, tableNames } from '../../services/local/standins/aws/create-tables';
import { LOCAL_AWS } from '../../services/local/standins/aws/dynamodb-local';
import type { AnalysisRecord } from '../../shared/contract/analysis';

export const NOW = new Date('2026-11-25T12:00:00.000Z');
const HOUR = 3_600_000;

export function hoursAgo(hours: number, from: Date = NOW): Date {
  return new Date(from.getTime() - hours * HOUR);
}

export interface OccurrenceOptions extends Partial<Omit<Occurrence, 'record'>> {
  readonly summary?: string;
  readonly rootCause?: string;
  readonly analysis?: Partial<AnalysisRecord['analysis']>;
  readonly analyst?: AnalysisRecord['analyst'];
}

export function anOccurrence(options: OccurrenceOptions = {}): Occurrence {
  const { summary, rootCause, analysis, analyst, ...rest } = options;
  const signature = rest.signature ?? 'a1b2c3d4e5f60718';
  const at = rest.at ?? NOW;
  const ref = rest.ref ?? 'refs/pull/1000/merge';
  const prNumber = 'prNumber' in rest ? rest.prNumber : 1000;
  const trusted = rest.trusted ?? true;
  const jobUrl = 'https://github.com/pytorch/pytorch/actions/runs/42/job/31337';
  const record: AnalysisRecord = {
    analysis: {
      summary: summary ?? 'test_ops.py::test_add fails: expected 4, got 5',
      rootCause: rootCause ?? 'The addition kernel rounds half-way values up since the last refactor.',
      category: rest.category ?? 'test',
      isInfra: rest.isInfra ?? false,
      confidence: 'high',
      evidence: [{ line: 1042, text: 'AssertionError: expected 4, got 5' }],
      suggestedFix: 'Restore round-half-even in aten/src/ATen/native/BinaryOps.cpp.',
      files: [{ path: 'aten/src/ATen/native/BinaryOps.cpp', line: 88 }],
      ...analysis,
    },
    analyst: analyst ?? { kind: 'model', modelId: 'global.anthropic.claude-opus-4-6-v1' },
    signature,
    strength: rest.strength ?? 'strong',
    rule: rest.rule ?? 'pytest-failure',
    promptVersion: 'p1',
    createdAt: at.toISOString(),
    origin: {
      repo: rest.repo ?? 'pytorch/pytorch',
      scope: trusted ? 'repo' : `pr:${prNumber}`,
      trusted,
      ref,
      ...(prNumber === undefined ? {} : { prNumber }),
      headSha: rest.sha ?? '0123456789abcdef0123456789abcdef01234567',
      jobUrl,
    },
  };
  return {
    reportId: randomUUID(),
    signature,
    strength: 'strong',
    rule: 'pytest-failure',
    category: 'test',
    isInfra: false,
    repo: 'pytorch/pytorch',
    ref,
    ...(prNumber === undefined ? {} : { prNumber, prAuthor: `dev-${prNumber}` }),
    trusted,
    workflow: 'pull',
    job: 'linux-jammy-py3.10-gcc11 / test (default, 1, 5)',
    jobId: 31337,
    jobUrl: `${jobUrl}#step:5:1042`,
    runId: 42,
    runAttempt: 1,
    sha: '0123456789abcdef0123456789abcdef01234567',
    at,
    ...rest,
    record,
  };
}

/** On main: no PR, the trunk's ref, a push GitHub confirmed (trusted). */
export function onMain(options: OccurrenceOptions = {}): Occurrence {
  return anOccurrence({ ref: 'refs/heads/main', prNumber: undefined, workflow: 'trunk', ...options });
}

export interface StateTable {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/** A State table of its own in the shared DynamoDB Local. */
export async function createStateTable(): Promise<StateTable> {
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: inject('dynamoEndpoint') });
  const names = tableNames(`dash-${randomUUID().slice(0, 8)}`);
  await createTables(client, names);
  return { client, tableName: names.State };
}

/** A signature's summary item as stored now (empty when there is none). */
export async function readSummary(
  table: StateTable,
  signature: string,
): Promise<Record<string, AttributeValue>> {
  const { Item } = await table.client.send(
    new GetItemCommand({
      TableName: table.tableName,
      Key: { pk: { S: `sig#${signature}` }, sk: { S: 'summary' } },
      ConsistentRead: true,
    }),
  );
  return Item ?? {};
}
