/**
 * Test support: the job both OSDC wrapper test files run (prepare_job → failing step → later step → cleanup_job),
 * its run through the unpatched wrapper as the baseline, and what to compare a patched run against.
 */
import { readFileSync } from 'node:fs';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { createTables, tableNames } from '../../../services/local/standins/aws/create-tables';
import { LOCAL_AWS } from '../../../services/local/standins/aws/dynamodb-local';
import type { StepTimingsRecord } from '../../../services/reporter/step-timings';
import { resultKey } from '../../../shared/contract/result-key';
import { anOccurrence } from '../../dashboard/factories';
import { baseEnv, GITHUB_ENV } from '../../reporter/support/reporter-bundle';
import { LOCAL_CREDENTIALS, type StandIn } from '../../reporter/support/stand-ins';
import {
  type HookCall,
  type HookCallResult,
  installOsdcWrappers,
  type OsdcWrappers,
  runJob,
} from './osdc-wrapper';

const FAILING_SCRIPT = `
console.log('============================= test session starts ==============================');
console.log('FAILED test/test_nn.py::TestConv::test_conv2d - AssertionError: Tensor-likes are not close!');
console.log('=========================== 1 failed, 41 passed in 3.21s =========================');
process.exit(1);`;

export const JOB: readonly HookCall[] = [
  { command: 'prepare_job' },
  { command: 'run_script_step', script: FAILING_SCRIPT },
  { command: 'run_script_step', script: "console.log('uploading test reports');" },
  { command: 'cleanup_job' },
];

export const OSDC_LINE = '::error::[OSDC] Step script exited with code 1.';
export const REQUESTED =
  /^\[OSDC\] Failure analysis requested \(report ([0-9a-f-]{36})\); it will be in this commit's checks/;
/**
 * How long the reporter may run past a deadline on its own clock: timers firing late and the little synchronous
 * work around a wait on a busy 2-core machine (the same allowance as test/reporter/fail-open.test.ts).
 */
export const SLACK_MS = 1000;

export const osdcLines = (text: string) =>
  text.split('\n').filter((line) => line.includes('[OSDC] Failure analysis'));

export interface OsdcJob {
  readonly wrappers: OsdcWrappers;
  /** The job through OSDC's wrapper as deployed today. */
  readonly unpatched: readonly HookCallResult[];
  readonly tables: ReturnType<typeof tableNames>;
  /** Closed after the file's tests. */
  readonly standIns: StandIn[];
  /** The runner container's env with the reporter configured against the local stand-ins; `extra` overrides. */
  runnerEnv(queueUrl: string, extra?: Record<string, string | undefined>): NodeJS.ProcessEnv;
  run(
    wrapper: string,
    env: NodeJS.ProcessEnv,
    stepEnv?: Readonly<Record<string, string>>,
    between?: Parameters<typeof runJob>[4],
  ): Promise<HookCallResult[]>;
  /** Writes a finished analysis for a report, as the analyzer does. */
  /** Writes the job's result as the analyzer would: under the hash of the secret its report carried. */
  finishAnalysis(resultSecret: string, summary: string): Promise<void>;
  /** What the reporter printed in each call, after the wrapper's own output. */
  added(job: readonly HookCallResult[]): [string, string, string, string];
  /** Exit codes and stderr exactly as without the patch; the wrapper's own output first in every call. */
  expectSameAsUnpatched(job: readonly HookCallResult[]): void;
  /**
   * Per hook call of the job run with `env`, the time the reporter itself added after the hooks had exited, on its
   * own clock (`OSDC_RCA_TIMINGS_FILE`): what a busy machine's process start-up does not blur.
   */
  reporterAddedMs(env: NodeJS.ProcessEnv): number[];
  /** The reporter's own timestamps of each hook call of the job run with `env`. */
  reporterTimings(env: NodeJS.ProcessEnv): (StepTimingsRecord & { readonly deadlineMs?: number })[];
}

/** Registers the file's setup and teardown; the returned object is usable inside tests. */
export function useOsdcJob(): OsdcJob {
  const sqsEndpoint = inject('sqsEndpoint');
  const dynamoEndpoint = inject('dynamoEndpoint');
  const tables = tableNames(
    `osdc-wrapper-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`,
  );
  const dynamo = new DynamoDBClient({ ...LOCAL_AWS, endpoint: dynamoEndpoint });
  const standIns: StandIn[] = [];
  let wrappers: OsdcWrappers | undefined;
  let unpatched: HookCallResult[] = [];
  let states = 0;

  beforeAll(async () => {
    wrappers = installOsdcWrappers();
    await createTables(dynamo, tables);
    unpatched = await runJob(
      wrappers.unpatched,
      JOB,
      baseEnv({ RUNNER_NAME: 'arc-runner-test-0' }),
      GITHUB_ENV,
    );
  });

  afterAll(async () => {
    await Promise.all(standIns.map((standIn) => standIn.close()));
    wrappers?.remove();
    dynamo.destroy();
  });

  return {
    get wrappers() {
      return wrappers!;
    },
    get unpatched() {
      return unpatched;
    },
    tables,
    standIns,
    runnerEnv(queueUrl, extra = {}) {
      return baseEnv({
        ...LOCAL_CREDENTIALS,
        RUNNER_NAME: 'arc-runner-test-0',
        OSDC_RCA_QUEUE_URL: queueUrl,
        OSDC_RCA_RESULTS_TABLE: tables.Results,
        // A fresh job state per job, inside the folder the wrappers are removed with.
        OSDC_RCA_STATE_DIR: `${wrappers!.patched}.job-${++states}`,
        OSDC_RCA_TIMINGS_FILE: `${wrappers!.patched}.job-${states}.timings.jsonl`,
        AWS_ENDPOINT_URL_SQS: sqsEndpoint,
        AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
        ...extra,
      });
    },
    run: (wrapper, env, stepEnv = GITHUB_ENV, between) => runJob(wrapper, JOB, env, stepEnv, between),
    async finishAnalysis(resultSecret, summary) {
      await dynamo.send(
        new PutItemCommand({
          TableName: tables.Results,
          Item: {
            pk: { S: resultKey(resultSecret) },
            status: { S: 'done' },
            record: { S: JSON.stringify(anOccurrence({ summary }).record) },
          },
        }),
      );
    },
    added(job) {
      const [prepare, failing, later, cleanup] = job.map((call, index) =>
        call.stdout.slice(unpatched[index]!.stdout.length),
      );
      return [prepare ?? '', failing ?? '', later ?? '', cleanup ?? ''];
    },
    reporterTimings(env) {
      const lines = readFileSync(env.OSDC_RCA_TIMINGS_FILE!, 'utf8').trim().split('\n');
      return lines.map((line) => JSON.parse(line));
    },
    reporterAddedMs(env) {
      return this.reporterTimings(env).map(({ ended, done }) => (done ?? Number.NaN) - (ended ?? Number.NaN));
    },
    expectSameAsUnpatched(job) {
      expect(job.map((call) => call.exitCode)).toEqual([0, 1, 0, 0]);
      expect(job.map((call) => call.exitCode)).toEqual(unpatched.map((call) => call.exitCode));
      expect(job.map((call) => call.stderr)).toEqual(unpatched.map((call) => call.stderr));
      for (const [index, call] of job.entries())
        expect(call.stdout.startsWith(unpatched[index]!.stdout)).toBe(true);
    },
  };
}
