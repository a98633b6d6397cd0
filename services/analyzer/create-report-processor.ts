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
import { type FailureReport, InvalidReportError } from '../../shared/contract/failure-report';
import type { CaptureSnapshot } from '../../shared/log/types';
import { renderCheckRun } from '../../shared/render/render-check-run';
import { httpStatusOf } from './analyzer-octokit';
import { bindVerifiedReport, boundStepOf } from './bind-verified-report';
import type { AnalyzerDeps } from './create-analyzer-deps';
import { createAnalyzerStores } from './create-analyzer-stores';
import { type DeferWaitDeps, deferWait } from './defer-wait';
import {
  ClaimLostError,
  LeaseHeldError,
  ReportBodyChangedError,
  ReportBusyError,
  ReportVerificationError,
} from './errors';
import { type ClaimKeeper, keepClaim } from './keep-claim';
import { recordOccurrence } from './occurrence-store';
import { pickupOf } from './pickup-of';
import { produceAnalysis } from './produce-analysis';
import { publishCheckRun } from './publish-check-run';
import { type ReportRecord, readReportRecord } from './read-report-record';
import type { ReportItem, ReportPickup } from './report-store';
import { setAsideInvalidReport } from './set-aside-invalid-report';
import { splitRepo } from './split-repo';
import type { VerifiedReport } from './verify-report';

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
  const { reports, bindings, cache, budget, caps } = createAnalyzerStores(deps);

  async function processReport(record: SQSRecord, context?: Context): Promise<void> {
    // Read when the model is about to be called: verification and caps come first and take their share.
    const modelDeadline = () =>
      context === undefined
        ? undefined
        : Date.now() + context.getRemainingTimeInMillis() - deps.tuning.publishReserveMs;
    let read: ReportRecord;
    try {
      read = readReportRecord(record);
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
    // The report is what its secret names, never the id the sender chose (docs/security.md, attack 1).
    const { report, snapshot, claim: claimed } = read;
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
      const item = await reports.claim(claimed, token, config.leaseSeconds, pickup);
      metrics.addMetric('QueueDelay', MetricUnit.Milliseconds, Date.now() - pickup.sentAt);
      const keeper = keepClaim({
        renew: () => reports.claim(claimed, token, config.leaseSeconds),
        everyMs: (config.leaseSeconds * 1000) / 3,
        onError: (error) => logger.warn('could not renew the report claim', { error: describe(error) }),
      });
      try {
        await processClaimedReport(report, claimed.digest, snapshot, item, logger, {
          keeper,
          modelDeadline,
          pickup,
        });
      } finally {
        keeper.stop();
        // The claim expires by itself; failing the record for this would only delay its redelivery.
        await reports.release(claimed.digest, token).catch((error: unknown) => {
          logger.warn('could not release the report claim', { error: describe(error) });
        });
      }
    } catch (error) {
      if (error instanceof ReportBodyChangedError) {
        await setAsideInvalidReport(deps.sqs, config.dlqUrl, record, error);
        metrics.addMetric('ReportsRejected', MetricUnit.Count, 1);
        logger.warn('report set aside: its report was first received with another body');
        return;
      }
      if (error instanceof LeaseHeldError) {
        metrics.addMetric('LeaseWaits', MetricUnit.Count, 1);
        const holdMs = error.leaseExpiresAt === undefined ? undefined : error.leaseExpiresAt - Date.now();
        const delay = await deferWait(
          waitDeps(logger),
          claimed.digest,
          record,
          holdMs === undefined ? undefined : holdMs / 1000,
        );
        logger.info('waiting for another report to analyse this signature', {
          leaseOwner: error.leaseOwner,
          retryInSeconds: delay,
        });
      } else if (error instanceof ReportBusyError || error instanceof ClaimLostError) {
        const delay = await deferWait(waitDeps(logger), claimed.digest, record, undefined);
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
    digest: string,
    snapshot: CaptureSnapshot,
    item: ReportItem,
    logger: typeof deps.logger,
    delivery: {
      readonly keeper: ClaimKeeper;
      readonly modelDeadline: () => number | undefined;
      readonly pickup: ReportPickup;
    },
  ): Promise<void> {
    if (item.status === 'rejected' || item.stage === 'published') {
      logger.info('report already processed', { status: item.status, stage: item.stage });
      return;
    }
    let verified: VerifiedReport;
    try {
      verified = await bindVerifiedReport(
        { octokit: () => deps.github.forRepository(...splitRepo(report.repo)), reports, bindings },
        {
          report,
          digest,
          item,
          sentAt: new Date(delivery.pickup.sentAt),
          reportWindowSeconds: config.reportWindowSeconds,
        },
      );
    } catch (error) {
      if (!(error instanceof ReportVerificationError)) throw error;
      await reports.markRejected(digest, `${error.reason}: ${error.message}`);
      metrics.addMetric('ReportsRejected', MetricUnit.Count, 1);
      logger.warn('report rejected: it does not match GitHub', {
        reason: error.reason,
        detail: error.message,
      });
      return;
    }
    const { job } = verified;
    const boundTo = `${job.jobId}/${boundStepOf(verified, report)}`;
    logger.appendKeys({ jobId: job.jobId, trusted: job.trusted });

    let produced = item.record ? { record: item.record, fromCache: item.fromCache } : undefined;
    if (!produced) {
      produced = await produceAnalysis(
        {
          deps,
          cache,
          budget,
          caps,
          reportDigest: digest,
          boundTo,
          logger,
          modelDeadline: delivery.modelDeadline,
        },
        job,
        report,
        snapshot,
      );
      await reports.markAnalysed(digest, produced.record, produced.fromCache);
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
        // Every fact of the occurrence is GitHub's or SQS's, none the body's (docs/security.md, attack 3).
        repo: job.repo,
        ref: job.ref,
        ...(job.prNumber === undefined ? {} : { prNumber: job.prNumber }),
        ...(job.prAuthor === undefined ? {} : { prAuthor: job.prAuthor }),
        trusted: job.trusted,
        workflow: job.workflow,
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
      repo: job.repo,
      jobUrl: job.jobUrl,
      stepIndex: verified.stepNumber ?? report.stepIndex,
      facts: {
        seenLast7d: facts.seenLast7d,
        onMain: facts.onMain,
        otherPrAuthors: facts.otherPrAuthors,
      },
      fromCache,
    });

    const octokit = await deps.github.forRepository(...splitRepo(job.repo));
    // Past this point a second delivery would post a second check run; one that took the claim over publishes instead.
    if (!delivery.keeper.held) throw new ClaimLostError(report.id);
    try {
      const published = await publishCheckRun(octokit, {
        repo: job.repo,
        headSha: job.headSha,
        externalId: boundTo,
        detailsUrl: job.jobUrl,
        rendered,
        checkRunId: item.checkRunId,
        mayExist: item.stage === 'analysed',
      });
      await reports.markPublished(digest, published);
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
        await reports.markPublishFailed(digest, `GitHub answered ${status}: ${describe(error)}`);
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

function describe(error: unknown): string {
  return error instanceof Error
    ? `${error.name}: ${error.message}`.slice(0, 500)
    : String(error).slice(0, 500);
}
