/**
 * The part of a signature summary's update that sets the analysis it shows and its verdict (category, infra or not).
 * These are shared facts: every PR failing this way sees them on the dashboard.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { UpdatePart } from './apply-summary-update';
import type { Occurrence } from './occurrence';
import type { StateItem } from './state-item';

/** Expression placeholders shared by all parts of one update: `name('total')` → `#a0`, `value({ N: '1' })` → `:v0`. */
export interface Placeholders {
  name(attribute: string): string;
  value(attributeValue: AttributeValue): string;
}

/**
 * The summary's analysis and verdict (category, infra or not): the newest answer made in a trusted context wins; one
 * made in an untrusted context is shown only while no trusted one exists (`recordTrusted` false), so a fork PR can
 * never replace what the repository's own jobs established.
 */
export function summaryRecordPart(
  occurrence: Occurrence,
  counted: StateItem,
  { name, value }: Placeholders,
): UpdatePart | undefined {
  const at = occurrence.at.toISOString();
  const trusted = occurrence.record.origin?.trusted === true;
  const applies = (current: StateItem) => {
    const currentAt = current.recordAt?.S;
    if (currentAt === undefined || current.recordTrusted?.BOOL === undefined) return true;
    if (current.recordTrusted.BOOL) return trusted && currentAt <= at;
    return trusted || currentAt <= at;
  };
  if (!applies(counted)) return undefined;
  const recordAt = name('recordAt');
  const recordTrusted = name('recordTrusted');
  const atValue = value({ S: at });
  const falseValue = value({ BOOL: false });
  const open = `attribute_not_exists(${recordAt}) OR attribute_not_exists(${recordTrusted})`;
  const newer = `${recordAt} <= ${atValue}`;
  const summary = occurrence.record.analysis.summary;
  return {
    set: [
      `${recordAt} = ${atValue}`,
      `${recordTrusted} = ${value({ BOOL: trusted })}`,
      `${name('record')} = ${value({ S: JSON.stringify(occurrence.record) })}`,
      `${name('summary')} = ${value({ S: summary })}`,
      // DynamoDB has no lower(); the dashboard's case-insensitive text filter runs server-side on this copy.
      `${name('searchText')} = ${value({ S: summary.toLowerCase() || ' ' })}`,
      `${name('category')} = ${value({ S: occurrence.category })}`,
      `${name('isInfra')} = ${value({ BOOL: occurrence.isInfra })}`,
    ],
    condition: trusted
      ? `(${open} OR ${recordTrusted} = ${falseValue} OR ${newer})`
      : `(${open} OR (${recordTrusted} = ${falseValue} AND ${newer}))`,
    holds: applies,
  };
}
