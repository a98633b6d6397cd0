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
 */
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { AnalysisRecord, Category } from '../../shared/contract/analysis';
import {
  branchKindOf,
  dayAttribute,
  hourAttribute,
  occurrenceKey,
  signatureSummaryKey,
} from '../../shared/contract/keys';
import {
  RANK_INDEXES,
  RANK_PARTITION_ATTRIBUTE,
  RANK_PARTITION_VALUE,
  type RankWindow,
} from '../../shared/contract/tables';
import { countInWindow, expiredBucketNames } from '../../shared/contract/window-counts';
import type { SignatureStrength } from '../../shared/signature/types';

export interface Occurrence {
  readonly reportId: string;
  readonly signature: string;
  readonly strength: SignatureStrength;
  readonly rule: string;
  readonly category: Category;
  readonly isInfra: boolean;
  /** The analysis as shown, already sanitised. */
  readonly record: AnalysisRecord;
  readonly repo: string;
  readonly ref?: string;
  readonly prNumber?: number;
  readonly workflow?: string;
  readonly job: string;
  readonly jobId?: number;
  /** Link to the job log, at the failing line when known. */
  readonly jobUrl?: string;
  readonly runId: number;
  readonly runAttempt: number;
  readonly sha: string;
  readonly at: Date;
}

/** What a check run says about a signature's history: "seen N times in 7 days; on main: yes; on M PRs". */
export interface SignatureFacts {
  readonly total: number;
  readonly seenLast7d: number;
  /** Seen on the trunk within the last 7 days. */
  readonly onMain: boolean;
  /** Distinct PRs the signature was seen on, this one included (saturates at {@link PR_SET_CAP}). */
  readonly prCount: number;
  /** Up to {@link FACTS_PR_LIMIT} of those PRs as `owner/name#N`, sorted. */
  readonly prs: readonly string[];
}

/** A flaky test can hit thousands of PRs; the summary item must stay far below DynamoDB's 400 KB item limit. */
export const PR_SET_CAP = 500;
export const FACTS_PR_LIMIT = 20;

const DAY_MS = 86_400_000;
const OCCURRENCE_TTL_MS = 30 * DAY_MS;
const SUMMARY_TTL_MS = 90 * DAY_MS;

export class OccurrenceStoreError extends Error {
  override readonly name = 'OccurrenceStoreError';
}

type Item = Record<string, AttributeValue>;

/**
 * Records one occurrence and returns the signature's facts including it. A redelivery of the same report returns
 * the current facts without counting again.
 *
 * @example
 * const facts = await recordOccurrence(client, config.stateTable, { reportId, signature, ... , at: new Date() });
 * // facts.seenLast7d, facts.onMain, facts.prCount
 */
export async function recordOccurrence(
  client: DynamoDBClient,
  tableName: string,
  occurrence: Occurrence,
  now: Date = new Date(),
): Promise<SignatureFacts> {
  const created = await putOccurrence(client, tableName, occurrence);
  if (!created) return readSignatureFacts(client, tableName, occurrence.signature, now);

  const counted = await addToSummary(client, tableName, occurrence);
  await updateRankAndLatest(client, tableName, occurrence, counted, now);
  return factsOf(counted, now);
}

/** The facts of a signature as stored now; zeros for a signature never recorded. */
export async function readSignatureFacts(
  client: DynamoDBClient,
  tableName: string,
  signature: string,
  now: Date = new Date(),
): Promise<SignatureFacts> {
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: keyOf(signatureSummaryKey(signature)),
      ConsistentRead: true,
    }),
  );
  return factsOf(Item ?? {}, now);
}

async function putOccurrence(
  client: DynamoDBClient,
  tableName: string,
  occurrence: Occurrence,
): Promise<boolean> {
  const { at } = occurrence;
  const item: Item = {
    ...keyOf(occurrenceKey(occurrence.signature, at, occurrence.reportId)),
    reportId: { S: occurrence.reportId },
    repo: { S: occurrence.repo },
    branchKind: { S: branchKindOf(occurrence.ref, occurrence.prNumber) },
    job: { S: occurrence.job },
    runId: { N: String(occurrence.runId) },
    runAttempt: { N: String(occurrence.runAttempt) },
    sha: { S: occurrence.sha },
    at: { S: at.toISOString() },
    expiresAt: { N: epochSeconds(at.getTime() + OCCURRENCE_TTL_MS) },
  };
  if (occurrence.ref) item.ref = { S: occurrence.ref };
  if (occurrence.prNumber !== undefined) item.prNumber = { N: String(occurrence.prNumber) };
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
): Promise<Item> {
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
  const values: Item = {
    ':signature': { S: occurrence.signature },
    ':strength': { S: occurrence.strength },
    ':rule': { S: occurrence.rule },
    ':rankPk': { S: RANK_PARTITION_VALUE },
    ':at': { S: occurrence.at.toISOString() },
    ':one': { N: '1' },
    ':repo': { SS: [occurrence.repo] },
    ':branchKind': { SS: [branchKindOf(occurrence.ref, occurrence.prNumber)] },
  };
  const adds = ['#total :one', '#day :one', '#hour :one', '#repos :repo', '#branchKinds :branchKind'];
  if (occurrence.prNumber !== undefined) {
    names['#prs'] = 'prs';
    values[':pr'] = { SS: [`${occurrence.repo}#${occurrence.prNumber}`] };
    adds.push('#prs :pr');
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

/**
 * One part of the follow-up update, applied only while its condition holds. `holds` re-checks the condition on the
 * item DynamoDB returns when the update is refused, so a retry keeps exactly the parts that are still right.
 */
interface UpdatePart {
  readonly set: string[];
  readonly remove?: string[];
  readonly delete?: string[];
  readonly condition: string;
  holds(current: Item): boolean;
}

/**
 * Sets the rank counts from the buckets `counted` holds (only if no writer with a higher total got there first, so
 * stored counts stay upper bounds), the latest analysis (only if this occurrence is the newest), the first and
 * last time on main, and prunes buckets nobody reads any more.
 */
async function updateRankAndLatest(
  client: DynamoDBClient,
  tableName: string,
  occurrence: Occurrence,
  counted: Item,
  now: Date,
): Promise<void> {
  const at = occurrence.at.toISOString();
  const total = numberOf(counted.total);
  const names: Record<string, string> = {};
  const values: Item = {};
  const name = (attribute: string) => {
    const placeholder = `#a${Object.keys(names).length}`;
    names[placeholder] = attribute;
    return placeholder;
  };
  const value = (attributeValue: AttributeValue) => {
    const placeholder = `:v${Object.keys(values).length}`;
    values[placeholder] = attributeValue;
    return placeholder;
  };
  const buckets = bucketsOf(counted);
  const parts: UpdatePart[] = [];

  const rankTotal = name('rankTotal');
  const totalValue = value({ N: String(total) });
  const prs = counted.prs?.SS ?? [];
  const excessPrs = prs.length > PR_SET_CAP ? [...prs].sort().slice(0, prs.length - PR_SET_CAP) : [];
  parts.push({
    set: [
      `${rankTotal} = ${totalValue}`,
      ...(Object.keys(RANK_INDEXES) as RankWindow[]).map(
        (window) =>
          `${name(RANK_INDEXES[window].sortKey)} = ${value({ N: String(countInWindow(buckets, window, now)) })}`,
      ),
    ],
    remove: expiredBucketNames(Object.keys(counted), now).map(name),
    delete: excessPrs.length ? [`${name('prs')} ${value({ SS: excessPrs })}`] : [],
    condition: `(attribute_not_exists(${rankTotal}) OR ${rankTotal} < ${totalValue})`,
    holds: (current) => current.rankTotal === undefined || numberOf(current.rankTotal) < total,
  });

  const atValue = value({ S: at });
  const lastSeenAt = counted.lastSeenAt?.S;
  if (lastSeenAt === undefined || lastSeenAt <= at) {
    const attribute = name('lastSeenAt');
    parts.push({
      set: [
        `${attribute} = ${atValue}`,
        `${name('record')} = ${value({ S: JSON.stringify(occurrence.record) })}`,
        `${name('summary')} = ${value({ S: occurrence.record.analysis.summary })}`,
        // DynamoDB has no lower(); the dashboard's case-insensitive text filter runs server-side on this copy.
        `${name('searchText')} = ${value({ S: occurrence.record.analysis.summary.toLowerCase() || ' ' })}`,
        `${name('category')} = ${value({ S: occurrence.category })}`,
        `${name('isInfra')} = ${value({ BOOL: occurrence.isInfra })}`,
        `${name('expiresAt')} = ${value({ N: epochSeconds(occurrence.at.getTime() + SUMMARY_TTL_MS) })}`,
      ],
      condition: `(attribute_not_exists(${attribute}) OR ${attribute} <= ${atValue})`,
      holds: (current) => current.lastSeenAt?.S === undefined || current.lastSeenAt.S <= at,
    });
  }
  const lastOnMain = counted.lastSeenOnMainAt?.S;
  if (
    branchKindOf(occurrence.ref, occurrence.prNumber) === 'main' &&
    (lastOnMain === undefined || lastOnMain < at)
  ) {
    const attribute = name('lastSeenOnMainAt');
    parts.push({
      set: [`${attribute} = ${atValue}`],
      condition: `(attribute_not_exists(${attribute}) OR ${attribute} < ${atValue})`,
      holds: (current) => current.lastSeenOnMainAt?.S === undefined || current.lastSeenOnMainAt.S < at,
    });
  }
  // A redelivered old report arrives after newer ones; `if_not_exists` alone would keep the later time.
  const firstSeenAt = counted.firstSeenAt?.S;
  if (firstSeenAt !== undefined && at < firstSeenAt) {
    const attribute = name('firstSeenAt');
    parts.push({
      set: [`${attribute} = ${atValue}`],
      condition: `${attribute} > ${atValue}`,
      holds: (current) => current.firstSeenAt?.S !== undefined && at < current.firstSeenAt.S,
    });
  }

  let pending = parts;
  // Each refusal drops at least one part, so this ends after at most one round per part.
  while (pending.length > 0) {
    const current = await applyParts(client, tableName, occurrence.signature, pending, names, values);
    if (!current) return;
    pending = pending.filter((part) => part.holds(current));
  }
}

/** Applies the parts in one update; on refusal returns the item as it is, to decide what still applies. */
async function applyParts(
  client: DynamoDBClient,
  tableName: string,
  signature: string,
  parts: readonly UpdatePart[],
  names: Record<string, string>,
  values: Item,
): Promise<Item | undefined> {
  const set = parts.flatMap((part) => part.set);
  const remove = parts.flatMap((part) => part.remove ?? []);
  const remove_ = remove.length ? ` REMOVE ${remove.join(', ')}` : '';
  const deletes = parts.flatMap((part) => part.delete ?? []);
  const delete_ = deletes.length ? ` DELETE ${deletes.join(', ')}` : '';
  const expression = `SET ${set.join(', ')}${remove_}${delete_}`;
  const condition = parts.map((part) => part.condition).join(' AND ');
  const used = `${expression} ${condition}`;
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: keyOf(signatureSummaryKey(signature)),
        UpdateExpression: expression,
        ConditionExpression: condition,
        ExpressionAttributeNames: pick(names, used, /#a\d+/g),
        ExpressionAttributeValues: pick(values, used, /:v\d+/g),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return undefined;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return error.Item ?? {};
    throw error;
  }
}

/** DynamoDB rejects unused expression names and values, so pass only those the expression mentions. */
function pick<T>(all: Record<string, T>, expression: string, pattern: RegExp): Record<string, T> {
  const used = new Set(expression.match(pattern));
  return Object.fromEntries(Object.entries(all).filter(([placeholder]) => used.has(placeholder)));
}

function factsOf(summary: Item, now: Date): SignatureFacts {
  const buckets = bucketsOf(summary);
  const prs = [...(summary.prs?.SS ?? [])].sort();
  const lastOnMain = summary.lastSeenOnMainAt?.S;
  return {
    total: numberOf(summary.total),
    seenLast7d: countInWindow(buckets, '7d', now),
    onMain: lastOnMain !== undefined && now.getTime() - Date.parse(lastOnMain) <= 7 * DAY_MS,
    prCount: prs.length,
    prs: prs.slice(0, FACTS_PR_LIMIT),
  };
}

/** The `d_…` and `h_…` counters of a summary item. */
function bucketsOf(item: Item): Record<string, number> {
  const buckets: Record<string, number> = {};
  for (const [attribute, value] of Object.entries(item)) {
    if ((attribute.startsWith('d_') || attribute.startsWith('h_')) && value.N !== undefined) {
      buckets[attribute] = Number(value.N);
    }
  }
  return buckets;
}

function numberOf(value: AttributeValue | undefined): number {
  return value?.N === undefined ? 0 : Number(value.N);
}

function keyOf(key: { pk: string; sk: string }): Item {
  return { pk: { S: key.pk }, sk: { S: key.sk } };
}

function epochSeconds(ms: number): string {
  return String(Math.floor(ms / 1000));
}
