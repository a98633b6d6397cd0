/**
 * When a delivery picks a report up: SQS's `SentTimestamp` (not the body's claim) and when the analysis is expected,
 * which the report item carries so that the job waiting for it can stop early when it cannot be ready in time.
 */
import type { SQSRecord } from 'aws-lambda';
import type { ReportPickup } from './report-store';

export function pickupOf(record: SQSRecord, expectedAnalysisMs: number, now = Date.now()): ReportPickup {
  const sent = Number(record.attributes.SentTimestamp);
  return {
    sentAt: Number.isFinite(sent) && sent > 0 ? Math.min(sent, now) : now,
    expectedBy: now + expectedAnalysisMs,
  };
}
