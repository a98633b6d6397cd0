/** A signature's occurrences, newest first, one Query page at a time. */
import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { BranchKind } from '../../shared/contract/keys';
import { decodeCursor, encodeCursor, OccurrenceCursorSchema } from './cursor';

export interface OccurrenceRow {
  readonly reportId: string;
  readonly at: string;
  readonly repo: string;
  readonly ref: string | null;
  readonly branchKind: BranchKind;
  readonly prNumber: number | null;
  readonly workflow: string | null;
  readonly job: string;
  readonly jobId: number | null;
  /** Link to the job log at the failing line, when the analyzer knew it. */
  readonly jobUrl: string | null;
  readonly runId: number;
  readonly runAttempt: number;
  readonly sha: string;
}

export interface OccurrencePage {
  readonly items: readonly OccurrenceRow[];
  readonly nextCursor: string | null;
}

export async function listOccurrences(
  client: DynamoDBClient,
  tableName: string,
  signature: string,
  options: { readonly limit: number; readonly cursor?: string },
): Promise<OccurrencePage> {
  const pk = `occ#${signature}`;
  const after = options.cursor ? decodeCursor(options.cursor, OccurrenceCursorSchema) : undefined;
  const page = await client.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: pk } },
      ScanIndexForward: false,
      Limit: options.limit,
      ...(after ? { ExclusiveStartKey: { pk: { S: pk }, sk: { S: after.sk } } } : {}),
    }),
  );
  const items = (page.Items ?? []).map(decodeOccurrence);
  const lastKey = page.LastEvaluatedKey?.sk?.S;
  return { items, nextCursor: lastKey ? encodeCursor({ sk: lastKey }) : null };
}

function decodeOccurrence(item: Record<string, AttributeValue>): OccurrenceRow {
  const number = (value: AttributeValue | undefined) => (value?.N === undefined ? null : Number(value.N));
  const kind = item.branchKind?.S;
  return {
    reportId: item.reportId?.S ?? '',
    at: item.at?.S ?? '',
    repo: item.repo?.S ?? '',
    ref: item.ref?.S ?? null,
    branchKind: kind === 'main' || kind === 'pr' ? kind : 'branch',
    prNumber: number(item.prNumber),
    workflow: item.workflow?.S ?? null,
    job: item.job?.S ?? '',
    jobId: number(item.jobId),
    jobUrl: item.jobUrl?.S ?? null,
    runId: number(item.runId) ?? 0,
    runAttempt: number(item.runAttempt) ?? 1,
    sha: item.sha?.S ?? '',
  };
}
