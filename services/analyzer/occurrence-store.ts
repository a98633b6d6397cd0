/**
 * The analyzer's writer for the State table (docs/data-model.md): one item per occurrence and, per signature, a
 * summary with per-day and per-hour counters that the dashboard ranks without counting at request time.
 *
 * Idempotent per report: the occurrence item is put first with `attribute_not_exists(pk)`, and only the delivery
 * that created it updates the summary. Concurrent writers are safe: counters are atomic `ADD`s, and every value
 * that must only move one way (rank counts, last seen, first seen) is set under a condition that keeps the newest.
 *
 * Counting is at most once: if a delivery dies between the occurrence put and the summary update, the redelivery
 * finds the occurrence and does not count it. One lost count beats double counts that would inflate "seen N times".
 *
 * Everything written here is a shared fact (signature-facts.ts): where a job ran comes from GitHub, "on main" only
 * from trusted pushes, PRs are counted with their authors, and the summary's analysis (with its infra verdict) is
 * the newest trusted one: an answer made in an untrusted context fills it only until a trusted one exists, marked so.
 */
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { dayAttribute, hourAttribute, occurrenceKey, signatureSummaryKey } from '../../shared/contract/keys';
import { prWitness } from '../../shared/contract/pr-witness';
import { RANK_PARTITION_ATTRIBUTE, RANK_PARTITION_VALUE } from '../../shared/contract/tables';
import type { Occurrence, SignatureFacts } from './occurrence';
import { type FactsReader, factsOf, verifiedBranchKind } from './signature-facts';
import { DAY_MS, epochSeconds, keyOf, type StateItem } from './state-item';
import { updateRankAndLatest } from './update-rank-and-latest';

export type { Occurrence, SignatureFacts } from './occurrence';
export { FACTS_PR_LIMIT, PR_SET_CAP } from './occurrence';

const OCCURRENCE_TTL_MS = 30 * DAY_MS;

export class OccurrenceStoreError extends Error {
  override readonly name = 'OccurrenceStoreError';
}

/**
 * Records one occurrence and returns the signature's facts including it, as the occurrence's own job is told them
 * (its PR and author are not "other" witnesses). A redelivery of the same report returns the current facts without
 * counting again.
 *
 * @example
 * const facts = await recordOccurrence(client, config.stateTable, { reportId, signature, ... , at: new Date() });
 * // facts.seenLast7d, facts.onMain, facts.otherPrAuthors
 */
export async function recordOccurrence(
  client: DynamoDBClient,
  tableName: string,
  occurrence: Occurrence,
  now: Date = new Date(),
): Promise<SignatureFacts> {
  const reader: FactsReader = {
    repo: occurrence.repo,
    prNumber: occurrence.prNumber,
    prAuthor: occurrence.prAuthor,
  };
  const created = await putOccurrence(client, tableName, occurrence);
  if (!created) return readSignatureFacts(client, tableName, occurrence.signature, now, reader);

  const counted = await addToSummary(client, tableName, occurrence);
  await updateRankAndLatest(client, tableName, occurrence, counted, now);
  return factsOf(counted, now, reader);
}

/** The facts of a signature as stored now, as `reader` is told them; zeros for a signature never recorded. */
export async function readSignatureFacts(
  client: DynamoDBClient,
  tableName: string,
  signature: string,
  now: Date = new Date(),
  reader?: FactsReader,
): Promise<SignatureFacts> {
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: keyOf(signatureSummaryKey(signature)),
      ConsistentRead: true,
    }),
  );
  return factsOf(Item ?? {}, now, reader);
}

async function putOccurrence(
  client: DynamoDBClient,
  tableName: string,
  occurrence: Occurrence,
): Promise<boolean> {
  const { at } = occurrence;
  const item: StateItem = {
    ...keyOf(occurrenceKey(occurrence.signature, at, occurrence.reportId)),
    reportId: { S: occurrence.reportId },
    repo: { S: occurrence.repo },
    branchKind: { S: verifiedBranchKind(occurrence) },
    trusted: { BOOL: occurrence.trusted },
    job: { S: occurrence.job },
    runId: { N: String(occurrence.runId) },
    runAttempt: { N: String(occurrence.runAttempt) },
    sha: { S: occurrence.sha },
    at: { S: at.toISOString() },
    expiresAt: { N: epochSeconds(at.getTime() + OCCURRENCE_TTL_MS) },
  };
  if (occurrence.ref) item.ref = { S: occurrence.ref };
  if (occurrence.prNumber !== undefined) item.prNumber = { N: String(occurrence.prNumber) };
  if (occurrence.prAuthor) item.prAuthor = { S: occurrence.prAuthor };
  if (occurrence.workflow) item.workflow = { S: occurrence.workflow };
  if (occurrence.jobId !== undefined) item.jobId = { N: String(occurrence.jobId) };
  if (occurrence.jobUrl) item.jobUrl = { S: occurrence.jobUrl };
  try {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** The atomic part: counters, buckets and sets. Returns the whole summary as it is after this occurrence. */
async function addToSummary(
  client: DynamoDBClient,
  tableName: string,
  occurrence: Occurrence,
): Promise<StateItem> {
  const names: Record<string, string> = {
    '#signature': 'signature',
    '#strength': 'strength',
    '#rule': 'rule',
    '#rankPk': RANK_PARTITION_ATTRIBUTE,
    '#firstSeenAt': 'firstSeenAt',
    '#total': 'total',
    '#day': dayAttribute(occurrence.at),
    '#hour': hourAttribute(occurrence.at),
    '#repos': 'repos',
    '#branchKinds': 'branchKinds',
  };
  const values: StateItem = {
    ':signature': { S: occurrence.signature },
    ':strength': { S: occurrence.strength },
    ':rule': { S: occurrence.rule },
    ':rankPk': { S: RANK_PARTITION_VALUE },
    ':at': { S: occurrence.at.toISOString() },
    ':one': { N: '1' },
    ':repo': { SS: [occurrence.repo] },
    ':branchKind': { SS: [verifiedBranchKind(occurrence)] },
  };
  const adds = ['#total :one', '#day :one', '#hour :one', '#repos :repo', '#branchKinds :branchKind'];
  if (occurrence.prNumber !== undefined) {
    names['#prs'] = 'prs';
    values[':pr'] = { SS: [`${occurrence.repo}#${occurrence.prNumber}`] };
    adds.push('#prs :pr');
    if (occurrence.prAuthor) {
      names['#prAuthors'] = 'prAuthors';
      values[':prAuthor'] = { SS: [prWitness(occurrence.repo, occurrence.prNumber, occurrence.prAuthor)] };
      adds.push('#prAuthors :prAuthor');
    }
  }
  const { Attributes } = await client.send(
    new UpdateItemCommand({
      TableName: tableName,
      Key: keyOf(signatureSummaryKey(occurrence.signature)),
      UpdateExpression:
        'SET #signature = :signature, #strength = :strength, #rule = :rule, #rankPk = :rankPk, ' +
        `#firstSeenAt = if_not_exists(#firstSeenAt, :at) ADD ${adds.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnValues: 'ALL_NEW',
    }),
  );
  if (!Attributes)
    throw new OccurrenceStoreError(`Updating the summary of ${occurrence.signature} returned nothing`);
  return Attributes;
}
