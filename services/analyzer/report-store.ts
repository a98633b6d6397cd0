/**
 * The per-report item of the Results table (`report#<digest of the report's secret>`, see docs/data-model.md): the
 * analyzer's idempotency record, holding the first body's hash and the job GitHub verified for it. Each stage is
 * stored before the next side effect, so a redelivery continues where the last delivery stopped instead of
 * repeating a model call or a check run. What the job's reporter may read is mirrored to `result#<digest>`
 * (result-item.ts), written first, the only kind of item runner pods may read.
 */
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { type AnalysisRecord, AnalysisRecordSchema } from '../../shared/contract/analysis';
import { reportKey } from '../../shared/contract/keys';
import { ReportBodyChangedError, ReportBusyError } from './errors';
import { ResultItems } from './result-item';
import type { VerifiedReport } from './verify-report';

export type ReportStage = 'verified' | 'analysed' | 'published';

export interface ReportItem {
  readonly status: 'processing' | 'done' | 'rejected';
  readonly stage: ReportStage | undefined;
  /** What GitHub confirmed for this report's body, stored once; later deliveries of that body reuse it. */
  readonly verified: VerifiedReport | undefined;
  readonly record: AnalysisRecord | undefined;
  readonly fromCache: boolean;
  readonly checkRunId: number | undefined;
  readonly checkRunUrl: string | undefined;
  readonly rejectReason: string | undefined;
  /** SHA-256 of the first body received for this report. */
  readonly bodyHash: string | undefined;
  readonly times: ReportTimes;
}

/** When a delivery picked the report up, for the job that waits for it and for the latency metrics. */
export interface ReportPickup {
  /** Epoch ms SQS received the message (its `SentTimestamp`). */
  readonly sentAt: number;
  /** Epoch ms by which this delivery expects the analysis. */
  readonly expectedBy: number;
}

/** Epoch ms of each stage of the first delivery that reached it; absent until reached. */
export interface ReportTimes {
  readonly sentAt: number | undefined;
  readonly startedAt: number | undefined;
  readonly verifiedAt: number | undefined;
  readonly analysedAt: number | undefined;
  readonly publishedAt: number | undefined;
}

export interface ReportStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly now: () => Date;
}

const REPORT_TTL_SECONDS = 7 * 24 * 3600;

export class ReportStore {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #now: () => Date;
  readonly #results: ResultItems;

  constructor(options: ReportStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#now = options.now;
    this.#results = new ResultItems(options.client, options.tableName);
  }

  async get(digest: string): Promise<ReportItem | undefined> {
    const { Item } = await this.#client.send(
      new GetItemCommand({ TableName: this.#tableName, Key: this.#key(digest), ConsistentRead: true }),
    );
    return Item ? toReportItem(Item) : undefined;
  }

  /**
   * Claims the report for one delivery and returns its item. SQS may hand the same message to two invocations at
   * once; without the claim both would analyse it. Throws ReportBusyError while another delivery holds the claim,
   * and ReportBodyChangedError when the report was first received with another body (the first body stands).
   */
  async claim(
    report: { readonly digest: string; readonly id: string; readonly bodyHash: string },
    token: string,
    claimSeconds: number,
    pickup?: ReportPickup,
  ): Promise<ReportItem> {
    const now = this.#now().getTime();
    // In the same write as the claim, so the waiting job learns at no cost that its report was picked up.
    const timing = pickup
      ? ', sentAt = if_not_exists(sentAt, :sentAt), startedAt = if_not_exists(startedAt, :now), expectedBy = :expectedBy'
      : '';
    try {
      const { Attributes } = await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: this.#key(report.digest),
          UpdateExpression:
            'SET claimToken = :token, claimUntil = :until, expiresAt = if_not_exists(expiresAt, :expiresAt), ' +
            `bodyHash = if_not_exists(bodyHash, :bodyHash), reportId = if_not_exists(reportId, :reportId)${timing}`,
          ConditionExpression:
            '(attribute_not_exists(bodyHash) OR bodyHash = :bodyHash) AND ' +
            '(attribute_not_exists(claimUntil) OR claimUntil < :now OR claimToken = :token)',
          ExpressionAttributeValues: {
            ':token': { S: token },
            ':until': { N: String(now + claimSeconds * 1000) },
            ':now': { N: String(now) },
            ':expiresAt': { N: String(Math.floor(now / 1000) + REPORT_TTL_SECONDS) },
            ':bodyHash': { S: report.bodyHash },
            ':reportId': { S: report.id },
            ...(pickup
              ? { ':sentAt': { N: String(pickup.sentAt) }, ':expectedBy': { N: String(pickup.expectedBy) } }
              : {}),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const item = toReportItem(Attributes ?? {});
      if (pickup && item.times.startedAt !== undefined) {
        await this.#results.mirror(
          report.digest,
          { startedAt: { N: String(item.times.startedAt) }, expectedBy: { N: String(pickup.expectedBy) } },
          new Set(['startedAt']),
        );
      }
      return item;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const stored = (await this.get(report.digest))?.bodyHash;
      if (stored !== undefined && stored !== report.bodyHash) {
        throw new ReportBodyChangedError(report.id, { cause: error });
      }
      throw new ReportBusyError(report.id, { cause: error });
    }
  }

  /** Ends this delivery's claim so that a redelivery need not wait for it to expire. */
  async release(digest: string, token: string): Promise<void> {
    try {
      await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: this.#key(digest),
          UpdateExpression: 'REMOVE claimToken, claimUntil',
          ConditionExpression: 'claimToken = :token',
          ExpressionAttributeValues: { ':token': { S: token } },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** A new estimate of when the analysis will be ready, e.g. when it waits for another report's analysis. */
  async markExpected(digest: string, expectedBy: number): Promise<void> {
    await this.#update(digest, { expectedBy: { N: String(Math.round(expectedBy)) } });
  }

  /** The job's result says `rejected` too, so its reporter stops asking. */
  async markRejected(digest: string, reason: string): Promise<void> {
    await this.#update(digest, { status: { S: 'rejected' }, rejectReason: { S: reason } });
  }

  async markVerified(digest: string, verified: VerifiedReport): Promise<void> {
    const { job } = verified;
    await this.#update(digest, {
      status: { S: 'processing' },
      stage: { S: 'verified' },
      verifiedAt: { N: String(this.#now().getTime()) },
      verified: { S: JSON.stringify(verified) },
      // Also as attributes, for operators reading the table (and headSha for the waiting reporter).
      headSha: { S: job.headSha },
      ...(verified.stepNumber === undefined ? {} : { stepNumber: { N: String(verified.stepNumber) } }),
      jobId: { N: String(job.jobId) },
      jobUrl: { S: job.jobUrl },
    });
  }

  /** The reporter may print the analysis from here on, so the status is `done` before the check run exists. */
  async markAnalysed(digest: string, record: AnalysisRecord, fromCache: boolean): Promise<void> {
    await this.#update(digest, {
      status: { S: 'done' },
      stage: { S: 'analysed' },
      analysedAt: { N: String(this.#now().getTime()) },
      record: { S: JSON.stringify(record) },
      signature: { S: record.signature },
      fromCache: { BOOL: fromCache },
    });
  }

  /**
   * Stored right after the check run is created or updated. Creating it is the last side effect, so its id and the
   * final stage go in one write and a redelivery finds the report done.
   */
  async markPublished(
    digest: string,
    checkRun: { readonly id: number; readonly url: string },
  ): Promise<void> {
    await this.#update(digest, {
      stage: { S: 'published' },
      publishedAt: { N: String(this.#now().getTime()) },
      checkRunId: { N: String(checkRun.id) },
      checkRunUrl: { S: checkRun.url },
    });
  }

  /** A permanent publish failure (GitHub refused the check run): the analysis stays readable, nothing is retried. */
  async markPublishFailed(digest: string, reason: string): Promise<void> {
    await this.#update(digest, { stage: { S: 'published' }, publishError: { S: reason } });
  }

  /** The result item first: a redelivery that finds a stage stored does not write its result again. */
  async #update(digest: string, values: Record<string, AttributeValue>): Promise<void> {
    const now = this.#now();
    const all: Record<string, AttributeValue> = {
      ...values,
      updatedAt: { S: now.toISOString() },
      expiresAt: { N: String(Math.floor(now.getTime() / 1000) + REPORT_TTL_SECONDS) },
    };
    await this.#results.mirror(digest, all);
    const names = Object.keys(all);
    try {
      await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: this.#key(digest),
          UpdateExpression: `SET ${names.map((_, index) => `#a${index} = :v${index}`).join(', ')}`,
          // A finished report never goes back to an earlier state, whichever delivery writes last.
          ConditionExpression: values.status
            ? 'attribute_not_exists(#status) OR #status <> :rejected'
            : undefined,
          ExpressionAttributeNames: {
            ...Object.fromEntries(names.map((name, index) => [`#a${index}`, name])),
            ...(values.status ? { '#status': 'status' } : {}),
          },
          ExpressionAttributeValues: {
            ...Object.fromEntries(names.map((name, index) => [`:v${index}`, all[name]!])),
            ...(values.status ? { ':rejected': { S: 'rejected' } } : {}),
          },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return;
      throw error;
    }
  }

  #key(digest: string): Record<string, AttributeValue> {
    return { pk: { S: reportKey(digest) } };
  }
}

function toReportItem(Item: Record<string, AttributeValue>): ReportItem {
  const recordJson = Item.record?.S;
  return {
    status: (Item.status?.S as ReportItem['status'] | undefined) ?? 'processing',
    stage: Item.stage?.S as ReportStage | undefined,
    // Written by this analyzer only, from GitHub's answers: parsing it back needs no validation of its own.
    verified: Item.verified?.S === undefined ? undefined : (JSON.parse(Item.verified.S) as VerifiedReport),
    bodyHash: Item.bodyHash?.S,
    record: recordJson === undefined ? undefined : AnalysisRecordSchema.parse(JSON.parse(recordJson)),
    fromCache: Item.fromCache?.BOOL === true,
    checkRunId: numberOf(Item.checkRunId),
    checkRunUrl: Item.checkRunUrl?.S,
    rejectReason: Item.rejectReason?.S,
    times: {
      sentAt: numberOf(Item.sentAt),
      startedAt: numberOf(Item.startedAt),
      verifiedAt: numberOf(Item.verifiedAt),
      analysedAt: numberOf(Item.analysedAt),
      publishedAt: numberOf(Item.publishedAt),
    },
  };
}

function numberOf(value: AttributeValue | undefined): number | undefined {
  return value?.N === undefined ? undefined : Number(value.N);
}
