/**
 * The fail-open matrix through OSDC's real wrapper with deploy/osdc/wrapper.patch applied (see real-wrapper.test.ts):
 * whatever the queue endpoint, the credentials or the configuration do, the job ends exactly as with the unpatched
 * wrapper, the failing step adds at most the report deadline, and a reporter that is off says why once per job.
 */
import { describe, expect, inject, it } from 'vitest';
import { findFreePort } from '../../services/local/standins/free-port';
import { GITHUB_ENV } from '../reporter/support/reporter-bundle';
import {
  createTestQueue,
  type StandIn,
  startHttpServer,
  startSilentServer,
} from '../reporter/support/stand-ins';
import { osdcLines, SLACK_MS, useOsdcJob } from './support/osdc-job';
import { OSDC_WRAPPER, osdcWrapperIsPresent } from './support/osdc-wrapper';

const present = osdcWrapperIsPresent();
if (!present)
  console.log(`real-wrapper-fail-open: ${OSDC_WRAPPER} is absent, skipping the tests of OSDC's own wrapper`);

const SHORT_DEADLINE_MS = 500;
const DEFAULT_DEADLINE_MS = 2000;

describe.skipIf(!present)("OSDC's patched wrapper.js, fail-open", () => {
  const sqsEndpoint = inject('sqsEndpoint');
  const job = useOsdcJob();
  const standIn = async (start: Promise<StandIn>) => {
    const started = await start;
    job.standIns.push(started);
    return started.endpoint;
  };
  const deadQueue = (endpoint: string) => ({
    OSDC_RCA_QUEUE_URL: `${endpoint}/000000000000/reports`,
    AWS_ENDPOINT_URL_SQS: endpoint,
    OSDC_RCA_DEADLINE_MS: String(SHORT_DEADLINE_MS),
  });

  it.each<[string, () => Promise<Record<string, string | undefined>>, number]>([
    [
      'a refused connection',
      async () => deadQueue(`http://127.0.0.1:${await findFreePort()}`),
      SHORT_DEADLINE_MS,
    ],
    ['an HTTP 500', async () => deadQueue(await standIn(startHttpServer(500))), SHORT_DEADLINE_MS],
    ['an HTTP 403', async () => deadQueue(await standIn(startHttpServer(403))), SHORT_DEADLINE_MS],
    [
      'an answer after 5 s',
      async () => deadQueue(await standIn(startHttpServer(200, 5000))),
      SHORT_DEADLINE_MS,
    ],
    [
      'a queue endpoint that never answers, at the default 2 s deadline',
      async () => ({ ...deadQueue(await standIn(startSilentServer())), OSDC_RCA_DEADLINE_MS: undefined }),
      DEFAULT_DEADLINE_MS,
    ],
    [
      'no credentials and an instance metadata service that never answers',
      async () => ({
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        AWS_EC2_METADATA_DISABLED: undefined,
        AWS_EC2_METADATA_SERVICE_ENDPOINT: await standIn(startSilentServer()),
        OSDC_RCA_DEADLINE_MS: String(SHORT_DEADLINE_MS),
      }),
      SHORT_DEADLINE_MS,
    ],
    [
      'a queue that does not exist',
      async () => ({
        OSDC_RCA_QUEUE_URL: `${sqsEndpoint}/000000000000/no-such-queue`,
        OSDC_RCA_DEADLINE_MS: String(SHORT_DEADLINE_MS),
      }),
      SHORT_DEADLINE_MS,
    ],
  ])(
    'does not request an analysis and adds at most its deadline on %s',
    async (_case, faultEnv, deadlineMs) => {
      // Prepare
      const queue = await createTestQueue(sqsEndpoint, 'osdc-wrapper-fault');
      const env = job.runnerEnv(queue.queueUrl, await faultEnv());

      // Act
      const calls = await job.run(job.wrappers.patched, env);

      // Assess
      job.expectSameAsUnpatched(calls);
      const addedMs = job.reporterAddedMs(env);
      const {
        ended = Number.NaN,
        sendStarted = Number.NaN,
        sendSettled = Number.NaN,
      } = job.reporterTimings(env)[1]!;
      const [prepare, failing, later, cleanup] = job.added(calls);
      expect([prepare, later, cleanup]).toEqual(['', '', '']);
      expect(osdcLines(failing)).toEqual([
        expect.stringMatching(/^\[OSDC\] Failure analysis could not be requested \(/),
      ]);
      // It stopped waiting for the send by its deadline, counted from the step's end, on its own clock.
      expect(sendSettled - Math.max(ended + deadlineMs, sendStarted)).toBeLessThanOrEqual(SLACK_MS);
      expect([addedMs[0], addedMs[2], addedMs[3]].every((ms) => ms !== undefined && ms <= SLACK_MS)).toBe(
        true,
      );
      expect(await queue.count()).toBe(0);
      queue.destroy();
    },
  );

  it.each<[string, Record<string, string | undefined>, Record<string, string>, RegExp]>([
    [
      'an invalid setting',
      { OSDC_RCA_DEADLINE_MS: '2s' },
      GITHUB_ENV,
      /OSDC_RCA_DEADLINE_MS must be a whole number/,
    ],
    [
      'an invalid queue URL',
      { OSDC_RCA_QUEUE_URL: 'sqs:not-a-queue' },
      GITHUB_ENV,
      /OSDC_RCA_QUEUE_URL must be/,
    ],
    [
      'a job env without a 40-hex GITHUB_SHA',
      {},
      { ...GITHUB_ENV, GITHUB_SHA: 'HEAD' },
      /no usable GITHUB_SHA/,
    ],
    ['a job env without GITHUB_RUN_ID', {}, { ...GITHUB_ENV, GITHUB_RUN_ID: '' }, /no usable GITHUB_RUN_ID/],
    [
      'a runner without RUNNER_NAME',
      { RUNNER_NAME: undefined },
      { ...GITHUB_ENV, RUNNER_NAME: '' },
      /no usable RUNNER_NAME/,
    ],
  ])('says once per job, in the first step, that it is off on %s', async (_case, extra, stepEnv, reason) => {
    // Prepare
    const queue = await createTestQueue(sqsEndpoint, 'osdc-wrapper-off-notice');

    // Act
    const calls = await job.run(job.wrappers.patched, job.runnerEnv(queue.queueUrl, extra), stepEnv);

    // Assess
    job.expectSameAsUnpatched(calls);
    const said = job.added(calls);
    expect(said.map((text) => osdcLines(text).length)).toEqual([0, 1, 0, 0]);
    expect(said[1]).toMatch(/^::warning::\[OSDC\] Failure analysis is off: /);
    expect(said[1]).toMatch(reason);
    expect(await queue.count()).toBe(0);
    queue.destroy();
  });
});
