/**
 * The failure report: the SQS message body the reporter sends and the analyzer consumes (contract v1, see
 * ../shared/design.md). Validation is strict on what the analyzer relies on and tolerant of unknown fields, so a
 * newer reporter can add fields without breaking an older analyzer.
 */
import { z } from 'zod';
import { REPORT_VERSION } from './constants';
import { RESULT_SECRET_PATTERN } from './result-key';

const encodedText = z.string().max(400_000);

export const LogWindowSchema = z.object({
  /** 1-based line number, in the step's log, of the first line of `lines`. */
  firstLine: z.number().int().positive(),
  /** The window's lines joined by `\n`, gzip-compressed then base64-encoded. */
  lines: encodedText,
});

export const ReportLogSchema = z.object({
  encoding: z.literal('gzip+base64'),
  /** The last lines of the step's output joined by `\n`, gzip+base64. */
  tail: encodedText,
  /** 1-based line number of the first tail line. */
  tailFirstLine: z.number().int().positive(),
  windows: z.array(LogWindowSchema).max(200),
  totalLines: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative(),
  redactions: z.number().int().nonnegative(),
});

const repoPattern = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

export const FailureReportSchema = z.object({
  v: z.literal(REPORT_VERSION),
  /** A correlation id for logs; printed in the job log, so it names nothing and decides nothing. */
  id: z.uuid(),
  /**
   * Generated in the pod at failure time and never printed: the analyzer keys the report and the job's result by its
   * hash (shared/contract/result-key.ts), so only that pod can read its result or send another body for its report.
   */
  resultSecret: z.string().regex(RESULT_SECRET_PATTERN, 'resultSecret must be 32 bytes, base64url'),
  repo: z.string().regex(repoPattern, 'repo must be owner/name'),
  runId: z.number().int().positive(),
  runAttempt: z.number().int().positive(),
  job: z.string().min(1).max(256),
  runnerName: z.string().min(1).max(256),
  workflow: z.string().max(512).optional(),
  stepIndex: z.number().int().nonnegative().optional(),
  exitCode: z.number().int(),
  sha: z.string().regex(/^[0-9a-f]{40}$/, 'sha must be a 40-character hex commit id'),
  // Everything below is the sender's claim: the analyzer takes ref, event, PR, job and time from GitHub and SQS.
  ref: z.string().max(512).optional(),
  event: z.string().max(128).optional(),
  prNumber: z.number().int().positive().optional(),
  reportedAt: z.iso.datetime(),
  log: ReportLogSchema,
  /**
   * A synthetic report from `osdc-rca canary`: verified and analysed like any other, but it posts no check run and
   * is never recorded as an occurrence, so it never shows on the dashboard.
   */
  canary: z.literal(true).optional(),
});

export type FailureReport = z.infer<typeof FailureReportSchema>;
export type ReportLog = z.infer<typeof ReportLogSchema>;
export type LogWindow = z.infer<typeof LogWindowSchema>;

/** Thrown when a message body is not a valid report; the analyzer sets such messages aside, never retries them. */
export class InvalidReportError extends Error {
  override readonly name = 'InvalidReportError';
  constructor(
    message: string,
    readonly issues: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Parses and validates a message body.
 *
 * @example
 * const report = parseFailureReport(record.body); // throws InvalidReportError with the reasons
 */
export function parseFailureReport(body: string): FailureReport {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (cause) {
    throw new InvalidReportError('report body is not JSON', ['body: not JSON'], { cause });
  }
  const version = (json as { v?: unknown } | null)?.v;
  if (version !== REPORT_VERSION) {
    throw new InvalidReportError(`unsupported report version ${JSON.stringify(version)}`, [
      `v: expected ${REPORT_VERSION}, got ${JSON.stringify(version)}`,
    ]);
  }
  const result = FailureReportSchema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`,
    );
    throw new InvalidReportError(`invalid report: ${issues.slice(0, 5).join('; ')}`, issues);
  }
  return result.data;
}
