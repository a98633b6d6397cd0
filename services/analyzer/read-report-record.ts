/**
 * What the analyzer takes from one SQS record before it asks anyone anything: the validated report and its decoded
 * log, the report's identity (the digest of its secret, never the id the sender chose), a hash of the exact body
 * (a report accepts one body only). When SQS received it (`SentTimestamp`) is pickup-of.ts's.
 */
import { createHash } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';
import {
  type FailureReport,
  InvalidReportError,
  parseFailureReport,
} from '../../shared/contract/failure-report';
import { decodeReportLog, ReportLogDecodeError } from '../../shared/contract/report-log-codec';
import { secretDigest } from '../../shared/contract/result-key';
import type { CaptureSnapshot } from '../../shared/log/types';

export interface ReportRecord {
  readonly report: FailureReport;
  readonly snapshot: CaptureSnapshot;
  readonly claim: { readonly digest: string; readonly id: string; readonly bodyHash: string };
}

/** Throws InvalidReportError for a body that is not a valid report: retrying cannot fix it. */
export function readReportRecord(record: SQSRecord): ReportRecord {
  const report = parseFailureReport(record.body);
  const snapshot = decodeLog(report);
  return {
    report,
    snapshot,
    claim: {
      digest: secretDigest(report.resultSecret),
      id: report.id,
      bodyHash: createHash('sha256').update(record.body).digest('hex'),
    },
  };
}

/** A log that does not decode is as invalid as a missing field. */
function decodeLog(report: FailureReport): CaptureSnapshot {
  try {
    return decodeReportLog(report.log);
  } catch (error) {
    if (!(error instanceof ReportLogDecodeError)) throw error;
    throw new InvalidReportError(`invalid report log: ${error.message}`, [`log: ${error.message}`], {
      cause: error,
    });
  }
}
