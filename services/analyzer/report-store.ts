/**
 * The per-report item of the Results table (`report#<id>`, see docs/data-model.md): the analyzer's idempotency
 * record and what the reporter prints inline. Each stage is stored before the next side effect, so a redelivery
 * continues where the last delivery stopped instead of repeating a model call or a check run.
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
import { ReportBusyError } from './errors';

export type ReportStage = 'verified' | 'analysed' | 'published';

export interface ReportItem {
  readonly status: 'processing' | 'done' | 'rejected';
  readonly stage: ReportStage | undefined;
  readonly headSha: string | undefined;
  readonly stepNumber: number | undefined;
  readonly jobId: number | undefined;
  readonly jobUrl: string | undefined;
  readonly record: AnalysisRecord | undefined;
  readonly fromCache: boolean;
  readonly checkRunId: number | undefined;
  readonly checkRunUrl: string | undefined;
  readonly rejectReason: string | undefined;
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

  constructor(options: ReportStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#now = options.now;
  }

  async get(reportId: string): Promise<ReportItem | undefined> {
    const { Item } = await this.#client.send(
      new GetItemCommand({ TableName: this.#tableName, Key: this.#key(reportId), ConsistentRead: true }),
    );
    return Item ? toReportItem(Item) : undefined;
  }

  /**
   * Claims the report for one delivery and returns its item. SQS may hand the same message to two invocations at
   * once; without the claim both would analyse it. Throws ReportBusyError while another delivery holds the claim.
   */
  async claim(
    reportId: string,
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
          Key: this.#key(reportId),
          UpdateExpression: `SET claimToken = :token, claimUntil = :until, expiresAt = if_not_exists(expiresAt, :expiresAt)${timing}`,
          ConditionExpression: 'attribute_not_exists(claimUntil) OR claimUntil < :now OR claimToken = :token',
          ExpressionAttributeValues: {
            ':token': { S: token },
            ':until': { N: String(now + claimSeconds * 1000) },
            ':now': { N: String(now) },
            ':expiresAt': { N: String(Math.floor(now / 1000) + REPORT_TTL_SECONDS) },
            ...(pickup
              ? { ':sentAt': { N: String(pickup.sentAt) }, ':expectedBy': { N: String(pickup.expectedBy) } }
              : {}),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toReportItem(Attributes ?? {});
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new ReportBusyError(reportId, { cause: error });
      throw error;
    }
  }

  /** Ends this delivery's claim so that a redelivery need not wait for it to expire. */
  async release(reportId: string, token: string): Promise<void> {
    try {
      await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: this.#key(reportId),
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
  async markExpected(reportId: string, expectedBy: number): Promise<void> {
    await this.#update(reportId, { expectedBy: { N: String(Math.round(expectedBy)) } });
  }

  async markRejected(reportId: string, reason: string): Promise<void> {
    await this.#update(reportId, { status: { S: 'rejected' }, rejectReason: { S: reason } });
  }

  async markVerified(
    reportId: string,
    job: {
      readonly headSha: string;
      readonly jobId: number;
      readonly jobUrl: string;
      readonly stepNumber: number | undefined;
    },
  ): Promise<void> {
    await this.#update(reportId, {
      status: { S: 'processing' },
      stage: { S: 'verified' },
      verifiedAt: { N: String(this.#now().getTime()) },
      headSha: { S: job.headSha },
      ...(job.stepNumber === undefined ? {} : { stepNumber: { N: String(job.stepNumber) } }),
      jobId: { N: String(job.jobId) },
      jobUrl: { S: job.jobUrl },
    });
  }

  /** The reporter may print the analysis from here on, so the status is `done` before the check run exists. */
  async markAnalysed(reportId: string, record: AnalysisRecord, fromCache: boolean): Promise<void> {
    await this.#update(reportId, {
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
    reportId: string,
    checkRun: { readonly id: number; readonly url: string },
  ): Promise<void> {
    await this.#update(reportId, {
      stage: { S: 'published' },
      publishedAt: { N: String(this.#now().getTime()) },
      checkRunId: { N: String(checkRun.id) },
      checkRunUrl: { S: checkRun.url },
    });
  }

  /** A permanent publish failure (GitHub refused the check run): the analysis stays readable, nothing is retried. */
  async markPublishFailed(reportId: string, reason: string): Promise<void> {
    await this.#update(reportId, { stage: { S: 'published' }, publishError: { S: reason } });
  }

  async #update(reportId: string, values: Record<string, AttributeValue>): Promise<void> {
    const now = this.#now();
    const all: Record<string, AttributeValue> = {
      ...values,
      updatedAt: { S: now.toISOString() },
      expiresAt: { N: String(Math.floor(now.getTime() / 1000) + REPORT_TTL_SECONDS) },
    };
    const names = Object.keys(all);
    try {
      await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: this.#key(reportId),
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

  #key(reportId: string): Record<string, AttributeValue> {
    return { pk: { S: reportKey(reportId) } };
  }
}

function toReportItem(Item: Record<string, AttributeValue>): ReportItem {
  const recordJson = Item.record?.S;
  return {
    status: (Item.status?.S as ReportItem['status'] | undefined) ?? 'processing',
    stage: Item.stage?.S as ReportStage | undefined,
    headSha: Item.headSha?.S,
    stepNumber: numberOf(Item.stepNumber),
    jobId: numberOf(Item.jobId),
    jobUrl: Item.jobUrl?.S,
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
