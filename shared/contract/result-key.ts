/**
 * Where a job finds its own result. The reporter generates a secret in the pod when a step fails and sends it in the
 * report; the analyzer writes the job's result under a key derived from it. The secret never appears in the log, and
 * the key is a one-way hash of it, so no other job can name (read or overwrite) that result: the report id printed in
 * the log is useless for either. Both sides derive keys here, so they cannot drift apart.
 */
import { createHash } from 'node:crypto';

/** 32 random bytes, base64url without padding: what the reporter generates and `resultSecret` carries. */
export const RESULT_SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The hex SHA-256 of a report's secret: its identity in the analyzer's tables (never the sender's id). */
export function secretDigest(secret: string): string {
  return createHash('sha256').update(`osdc-rca:result:${secret}`).digest('hex');
}

/**
 * Results table: the job's result item, the only kind of item runner pods may read (IAM `dynamodb:LeadingKeys`).
 *
 * @example
 * const pk = resultKey(report.resultSecret); // `result#3f9c…` (64 hex digits)
 */
export function resultKey(secret: string): string {
  return resultKeyOfDigest(secretDigest(secret));
}

/** The same key from the digest, which is all the analyzer keeps. */
export function resultKeyOfDigest(digest: string): string {
  return `${RESULT_KEY_PREFIX}${digest}`;
}

/** The prefix every result key starts with; the runner role's IAM condition names it. */
export const RESULT_KEY_PREFIX = 'result#';

/**
 * What a job's result item holds: the report item's attributes that the job's own reporter may read (the analyzer
 * copies only these; the reporter asks only for these), nothing else: no claim tokens, no verified identity.
 */
export const RESULT_ITEM_ATTRIBUTES = [
  'status',
  'record',
  'fromCache',
  'startedAt',
  'expectedBy',
  'headSha',
  'checkRunUrl',
] as const;
