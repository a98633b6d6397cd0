/** The follow-up update of a signature's summary after an occurrence was counted: rank counts, latest analysis, trunk. */
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RANK_INDEXES, type RankWindow } from '../../shared/contract/tables';
import { countInWindow, expiredBucketNames } from '../../shared/contract/window-counts';
import { applySummaryUpdate, type UpdatePart } from './apply-summary-update';
import { type Occurrence, PR_SET_CAP } from './occurrence';
import { verifiedBranchKind } from './signature-facts';
import { bucketsOf, epochSeconds, numberOf, type StateItem, SUMMARY_TTL_MS } from './state-item';
import { summaryRecordPart } from './summary-record-part';

/**
 * Sets the rank counts from the buckets `counted` holds (only if no writer with a higher total got there first, so
 * stored counts stay upper bounds), the last time seen, the analysis shown (the newest trusted one, see
 * summary-record-part.ts), the first and last time on main (trusted pushes only), and prunes buckets and PR sets.
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
  const excess = (set: string) => {
    const members = counted[set]?.SS ?? [];
    if (members.length <= PR_SET_CAP) return [];
    return [`${name(set)} ${value({ SS: [...members].sort().slice(0, members.length - PR_SET_CAP) })}`];
  };
  parts.push({
    set: [
      `${rankTotal} = ${totalValue}`,
      ...(Object.keys(RANK_INDEXES) as RankWindow[]).map(
        (window) =>
          `${name(RANK_INDEXES[window].sortKey)} = ${value({ N: String(countInWindow(buckets, window, now)) })}`,
      ),
    ],
    remove: expiredBucketNames(Object.keys(counted), now).map(name),
    delete: [...excess('prs'), ...excess('prAuthors')],
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
        `${name('expiresAt')} = ${value({ N: epochSeconds(occurrence.at.getTime() + SUMMARY_TTL_MS) })}`,
      ],
      condition: `(attribute_not_exists(${attribute}) OR ${attribute} <= ${atValue})`,
      holds: (current) => current.lastSeenAt?.S === undefined || current.lastSeenAt.S <= at,
    });
  }
  const shown = summaryRecordPart(occurrence, counted, { name, value });
  if (shown) parts.push(shown);
  const lastOnMain = counted.lastSeenOnMainAt?.S;
  if (verifiedBranchKind(occurrence) === 'main' && (lastOnMain === undefined || lastOnMain < at)) {
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
