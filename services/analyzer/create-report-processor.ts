/**
 * The per-record pipeline of the analyzer, shared by the Lambda handler and the local pipeline: validate, verify
 * against GitHub, analyse (or reuse), record the occurrence, publish the check run. Every stage is stored on the
 * report item before the next side effect, so an SQS redelivery resumes instead of repeating work.
 *
 * A record handler that throws fails only its record (Powertools partial batch response) and SQS redelivers it;
 * invalid and forged reports are acknowledged, since retrying cannot fix them.
 */
import { randomUUID } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSRecord } from 'aws-lambda';
import {
  type FailureReport,
  InvalidReportError,
  parseFailureReport,
} from '../../shared/contract/failure-report';
import { decodeReportLog, ReportLogDecodeError } from '../../shared/contract/report-log-codec';
import type { CaptureSnapshot } from '../../shared/log/types';
import { renderCheckRun } from '../../shared/render/render-check-run';
import { AnalysisCache } from './analysis-cache';
import { httpStatusOf } from './analyzer-octokit';
import { BudgetLedger } from './budget-ledger';
import type { AnalyzerDeps } from './create-analyzer-deps';
import { type DeferWaitDeps, deferWait } from './defer-wait';
import { ClaimLostError, LeaseHeldError, ReportBusyError, ReportVerificationError } from './errors';
import { interimVerifiedJob, sentAtOf } from './interim-verified-job';
import { type ClaimKeeper, keepClaim } from './keep-claim';
import { recordOccurrence } from './occurrence-store';
import { pickupOf } from './pickup-of';
import { produceAnalysis } from './produce-analysis';
import { publishCheckRun } from './publish-check-run';
import { type ReportItem, type ReportPickup, ReportStore } from './report-store';
import { setAsideInvalidReport } from './set-aside-invalid-report';
import { type VerifiedReport, verifyReport } from './verify-report';

export interface ReportProcessor {
  /**
   * Resolves when the record is done or set aside; throws to have SQS redeliver it. With the Lambda context, the
   * model gets only the time the invocation has left after what publishing needs.
   */
  processRecord(record: SQSRecord, context?: Context): Promise<void>;
  /** Publishes the metrics gathered so far (once per invocation). */
  flush(): void;
}

export function createReportProcessor(deps: AnalyzerDeps): ReportProcessor {
  const { config, metrics } = deps;
  const reports = new ReportStore({ client: deps.dynamo, tableName: config.resultsTable, now: deps.now });
  const cache = new AnalysisCache({
    client: deps.dynamo,
    tableName: config.resultsTable,
    leaseSeconds: config.leaseSeconds,
    now: deps.now,
  });
  const budget = new BudgetLedger({
    client: deps.dynamo,
    tableName: config.stateTable,
    dailyBudgetUsd: config.dailyBudgetUsd,
    repoDailyBudgetUsd: config.repoDailyBudgetUsd,
    now: deps.now,
  });

  async function processReport(record: SQSRecord, context?: Context): Promise<void> {
    const modelDeadline =
      context === undefined
        ? undefined
        : Date.now() + context.getRemainingTimeInMillis() - deps.tuning.publishReserveMs;
    let report: FailureReport;
    let snapshot: CaptureSnapshot;
    try {
      report = parseFailureReport(record.body);
      snapshot = decodeLog(report);
    } catch (error) {
      if (!(error instanceof InvalidReportError)) throw error;
      await setAsideInvalidReport(deps.sqs, config.dlqUrl, record, error);
      metrics.addMetric('ReportsInvalid', MetricUnit.Count, 1);
      // The issues name fields, never values: the body may hold anything.
      deps.logger.warn('invalid report set aside in the dead-letter queue', {
        messageId: record.messageId,
        reason: error.message.slice(0, 500),
        issues: error.issues.slice(0, 10).map((issue) => issue.slice(0, 200)),
      });
      return;
    }
    const logger = deps.logger.createChild({
      persistentKeys: {
        reportId: report.id,
        repo: report.repo,
        runId: report.runId,
        messageId: record.messageId,
      },
    });
    metrics.addMetric('Reports', MetricUnit.Count, 1);
    const token = randomUUID();
    try {
      const pickup = pickupOf(record, deps.tuning.expectedAnalysisMs);
      const item = await reports.claim(report.id, token, config.leaseSeconds, pickup);
      metrics.addMetric('QueueDelay', MetricUnit.Milliseconds, Date.now() - pickup.sentAt);
      const keeper = keepClaim({
        renew: () => reports.claim(report.id, token, config.leaseSeconds),
        everyMs: (config.leaseSeconds * 1000) / 3,
        onError: (error) => logger.warn('could not renew the report claim', { error: describe(error) }),
      });
      try {
        await processClaimedReport(report, snapshot, item, logger, {
          keeper,
          modelDeadline,
          pickup,
          sentAt: sentAtOf(record, deps.now()),
        });
      } finally {
        keeper.stop();
        // The claim expires by itself; failing the record for this would only delay its redelivery.
        await reports.release(report.id, token).catch((error: unknown) => {
          logger.warn('could not release the report claim', { error: describe(error) });
        });
      }
    } catch (error) {
      if (error instanceof LeaseHeldError) {
        metrics.addMetric('LeaseWaits', MetricUnit.Count, 1);
        const holdMs = error.leaseExpiresAt === undefined ? undefined : error.leaseExpiresAt - Date.now();
        const delay = await deferWait(
          waitDeps(logger),
          report.id,
          record,
          holdMs === undefined ? undefined : holdMs / 1000,
        );
        logger.info('waiting for another report to analyse this signature', {
          leaseOwner: error.leaseOwner,
          retryInSeconds: delay,
        });
      } else if (error instanceof ReportBusyError || error instanceof ClaimLostError) {
        const delay = await deferWait(waitDeps(logger), report.id, record, undefined);
        logger.info('another delivery of this report is in progress', { retryInSeconds: delay });
      } else {
        logger.error('report processing failed; SQS will redeliver it', { error: describe(error) });
      }
      throw error;
    }
  }

  function waitDeps(logger: typeof deps.logger): DeferWaitDeps {
    return { sqs: deps.sqs, config, reports, expectedReuseMs: deps.tuning.expectedReuseMs, logger };
  }

  async function processClaimedReport(
    report: FailureReport,
    snapshot: CaptureSnapshot,
    item: ReportItem,
    logger: typeof deps.logger,
    delivery: {
      readonly keeper: ClaimKeeper;
      readonly modelDeadline: number | undefined;
      readonly pickup: ReportPickup;
      readonly sentAt: string;
    },
  ): Promise<void> {
    if (item.status === 'rejected' || item.stage === 'published') {
      logger.info('report already processed', { status: item.status, stage: item.stage });
      return;
    }
    const [owner = '', repo = ''] = report.repo.split('/');
    let verified: VerifiedReport;
    try {
      const octokit = await deps.github.forRepository(owner, repo);
      if (item.jobId !== undefined && item.jobUrl !== undefined && item.headSha !== undefined) {
        verified = {
          headSha: item.headSha,
          jobId: item.jobId,
          jobUrl: item.jobUrl,
          stepNumber: item.stepNumber,
        };
      } else {
        verified = await verifyReport(octokit, report);
        await reports.markVerified(report.id, verified);
      }
    } catch (error) {
      if (!(error instanceof ReportVerificationError)) throw error;
      await reports.markRejected(report.id, `${error.reason}: ${error.message}`);
      metrics.addMetric('ReportsRejected', MetricUnit.Count, 1);
      logger.warn('report rejected: it does not match GitHub', {
        reason: error.reason,
        detail: error.message,
      });
      return;
    }

    const job = interimVerifiedJob(report, verified, delivery.sentAt);
    let produced = item.record ? { record: item.record, fromCache: item.fromCache } : undefined;
    if (!produced) {
      produced = await produceAnalysis(
        { deps, cache, budget, logger, modelDeadline: delivery.modelDeadline },
        job,
        report,
        snapshot,
      );
      await reports.markAnalysed(report.id, produced.record, produced.fromCache);
      metrics.addMetric('TimeToAnalysis', MetricUnit.Milliseconds, Date.now() - delivery.pickup.sentAt);
    }
    const { record, fromCache } = produced;
    logger.appendKeys({ signature: record.signature });
    if (report.canary) {
      // The canary measures the pipeline; a check run or a dashboard count would only mislead people.
      logger.info('canary analysed: no occurrence recorded, no check run posted', { fromCache });
      return;
    }

    const facts = await recordOccurrence(
      deps.dynamo,
      config.stateTable,
      {
        reportId: report.id,
        signature: record.signature,
        strength: record.strength,
        rule: record.rule,
        category: record.analysis.category,
        isInfra: record.analysis.isInfra,
        record,
        repo: job.repo,
        ref: job.ref,
        ...(job.prNumber === undefined ? {} : { prNumber: job.prNumber }),
        ...(job.prAuthor === undefined ? {} : { prAuthor: job.prAuthor }),
        trusted: job.trusted,
        workflow: report.workflow,
        job: job.jobName,
        jobId: job.jobId,
        jobUrl: job.jobUrl,
        runId: job.runId,
        runAttempt: job.runAttempt,
        sha: job.headSha,
        at: new Date(job.sentAt),
      },
      deps.now(),
    );
    const rendered = renderCheckRun({
      record,
      repo: report.repo,
      jobUrl: verified.jobUrl,
      stepIndex: verified.stepNumber ?? report.stepIndex,
      facts: {
        seenLast7d: facts.seenLast7d,
        onMain: facts.onMain,
        otherPrAuthors: facts.otherPrAuthors,
      },
      fromCache,
    });

    const octokit = await deps.github.forRepository(owner, repo);
    // Past this point a second delivery would post a second check run; one that took the claim over publishes instead.
    if (!delivery.keeper.held) throw new ClaimLostError(report.id);
    try {
      const published = await publishCheckRun(octokit, {
        repo: report.repo,
        headSha: verified.headSha,
        reportId: report.id,
        detailsUrl: verified.jobUrl,
        rendered,
        checkRunId: item.checkRunId,
        mayExist: item.stage === 'analysed',
      });
      await reports.markPublished(report.id, published);
      logger.info('check run published', {
        checkRunId: published.id,
        fromCache,
        analyst: record.analyst.kind,
      });
    } catch (error) {
      metrics.addMetric('PublishFailures', MetricUnit.Count, 1);
      const status = httpStatusOf(error);
      // GitHub refused the request itself (422: invalid, 404: no such commit): a retry would be refused too.
      if (status === 422 || status === 404 || status === 400) {
        await reports.markPublishFailed(report.id, `GitHub answered ${status}: ${describe(error)}`);
        logger.error('GitHub refused the check run; the analysis stays readable', {
          status,
          error: describe(error),
        });
        return;
      }
      throw error;
    }
  }

  return {
    processRecord: processReport,
    flush: () => metrics.publishStoredMetrics(),
  };
}

/** A log that does not decode is as invalid as a missing field: retrying cannot fix it. */
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

function describe(error: unknown): string {
  return error instanceof Error
    ? `${error.name}: ${error.message}`.slice(0, 500)
    : String(error).slice(0, 500);
}
