/** The follow-up update of a signature's summary after an occurrence was counted: rank counts, latest analysis, trunk. */
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { branchKindOf } from '../../shared/contract/keys';
import { RANK_INDEXES, type RankWindow } from '../../shared/contract/tables';
import { countInWindow, expiredBucketNames } from '../../shared/contract/window-counts';
import { applySummaryUpdate, type UpdatePart } from './apply-summary-update';
import { type Occurrence, PR_SET_CAP } from './occurrence';
import { bucketsOf, epochSeconds, numberOf, type StateItem, SUMMARY_TTL_MS } from './state-item';

/**
 * Sets the rank counts from the buckets `counted` holds (only if no writer with a higher total got there first, so
 * stored counts stay upper bounds), the latest analysis (only if this occurrence is the newest), the first and
 * last time on main, and prunes buckets nobody reads any more.
 */
export async function updateRankAndLatest(
  client: DynamoDBClient,
  tableName: string,
  occurrence: Occurrence,
  counted: StateItem,
  now: Date,
): Promise<void> {
  const at = occurrence.at.toISOString();
  const total = numberOf(counted.total);
  const names: Record<string, string> = {};
  const values: StateItem = {};
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
    const current = await applySummaryUpdate(client, tableName, occurrence.signature, pending, names, values);
    if (!current) return;
    pending = pending.filter((part) => part.holds(current));
  }
}
