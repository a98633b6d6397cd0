/**
 * OSDC's real hook wrapper (../shared/osdc/wrapper.js) with deploy/osdc/wrapper.patch applied at test time and the
 * reporter bundle next to it, driven through whole jobs as the runner drives it (prepare_job → failing step → later
 * step → cleanup_job, one wrapper process per call, the request on stdin) against the SQS emulator and DynamoDB
 * Local. The job must end exactly as with the unpatched wrapper; the reporter's lines come under OSDC's own.
 */
import { describe, expect, inject, it } from 'vitest';
import { DEFAULT_RESULT_READ_DEADLINE_MS } from '../../shared/contract/constants';
import { createTestQueue, decodeReport, startSilentServer } from '../reporter/support/stand-ins';
import { OSDC_LINE, osdcLines, REQUESTED, SLACK_MS, useOsdcJob } from './support/osdc-job';
import { OSDC_WRAPPER, osdcWrapperIsPresent } from './support/osdc-wrapper';

const present = osdcWrapperIsPresent();
if (!present)
  console.log(`real-wrapper: ${OSDC_WRAPPER} is absent, skipping the tests of OSDC's own wrapper`);

/** The bound on what a hung results table may add to a failing step. */
const HUNG_TABLE_MAX_ADDED_MS = 2200;

describe.skipIf(!present)("OSDC's wrapper.js with deploy/osdc/wrapper.patch", () => {
  const sqsEndpoint = inject('sqsEndpoint');
  const job = useOsdcJob();
  const comparable = (calls: readonly { exitCode: number | null; stdout: string; stderr: string }[]) =>
    calls.map(({ exitCode, stdout, stderr }) => ({ exitCode, stdout, stderr }));

  it("reports the failure once, under OSDC's own line, and prints the analysis in the next step", async () => {
    // Prepare
    const queue = await createTestQueue(sqsEndpoint, 'osdc-wrapper-up');
    let reportId = '';
    const bodies: string[] = [];

    // Act: the analyzer finishes the analysis while the job goes on
    const calls = await job.run(
      job.wrappers.patched,
      job.runnerEnv(queue.queueUrl),
      undefined,
      async (call, index) => {
        if (index !== 1) return;
        reportId = REQUESTED.exec(call.stdout.slice(job.unpatched[1]!.stdout.length))?.[1] ?? '';
        bodies.push(...(await queue.receiveBodies(1)));
        await job.finishAnalysis(decodeReport(bodies[0]!).report.resultSecret, 'test_conv2d output changed');
      },
    );

    // Assess
    job.expectSameAsUnpatched(calls);
    expect(calls[1]!.stdout).toContain(`${OSDC_LINE} This is a script/workflow error`);
    const [prepare, failing, later, cleanup] = job.added(calls);
    expect(prepare).toBe('');
    expect(failing).toMatch(REQUESTED);
    expect(osdcLines(failing)).toHaveLength(1);
    expect(later).toMatch(/^::group::\[OSDC\] Failure analysis: test_conv2d output changed\n::error title=/);
    expect(later).toContain(`report ${reportId}`);
    expect(cleanup).toBe('');
    bodies.push(...(await queue.receiveBodies(0)));
    expect(bodies).toHaveLength(1);
    const { report, tail } = decodeReport(bodies[0]!);
    expect(report).toMatchObject({
      id: reportId,
      exitCode: 1,
      stepIndex: 1,
      runnerName: 'arc-runner-test-0',
    });
    expect(tail).toContain(
      'FAILED test/test_nn.py::TestConv::test_conv2d - AssertionError: Tensor-likes are not close!',
    );
    expect(await queue.count()).toBe(0);
    queue.destroy();
  });

  it('prints an analysis that is ready only at the end in cleanup_job', async () => {
    // Prepare
    const queue = await createTestQueue(sqsEndpoint, 'osdc-wrapper-cleanup');

    // Act
    const calls = await job.run(
      job.wrappers.patched,
      job.runnerEnv(queue.queueUrl),
      undefined,
      async (_call, index) => {
        if (index !== 2) return;
        const { report } = decodeReport((await queue.receiveBodies(1))[0]!);
        await job.finishAnalysis(report.resultSecret, 'the linker ran out of memory');
      },
    );

    // Assess
    job.expectSameAsUnpatched(calls);
    const [, failing, later, cleanup] = job.added(calls);
    expect(failing).toMatch(REQUESTED);
    expect(later).toBe('');
    expect(cleanup).toMatch(/^::group::\[OSDC\] Failure analysis: the linker ran out of memory\n/);
    queue.destroy();
  });

  it('still says the report was requested, with its id, when the results table hangs', async () => {
    // Prepare: default deadlines, a DynamoDB endpoint that accepts connections and never answers
    const queue = await createTestQueue(sqsEndpoint, 'osdc-wrapper-hung-table');
    const hung = await startSilentServer();
    job.standIns.push(hung);

    // Act
    const env = job.runnerEnv(queue.queueUrl, { AWS_ENDPOINT_URL_DYNAMODB: hung.endpoint });
    const calls = await job.run(job.wrappers.patched, env);

    // Assess
    job.expectSameAsUnpatched(calls);
    const [, failing, later, cleanup] = job.added(calls);
    const reportId = REQUESTED.exec(failing)?.[1];
    expect(reportId).toBeDefined();
    expect(decodeReport((await queue.receiveBodies(1))[0]!).report.id).toBe(reportId);
    const addedMs = job.reporterAddedMs(env);
    expect(addedMs[1]).toBeLessThanOrEqual(HUNG_TABLE_MAX_ADDED_MS);
    // A hung table costs the rest of the job at most one more read deadline in all, then cleanup_job says where.
    expect(later).toBe('');
    expect(cleanup).toBe(
      `[OSDC] The failure analysis (report ${reportId}) is not ready yet; it will appear on the PR's checks: https://github.com/pytorch/pytorch/pull/4242/checks\n`,
    );
    expect(addedMs[2]! + addedMs[3]!).toBeLessThanOrEqual(DEFAULT_RESULT_READ_DEADLINE_MS + 2 * SLACK_MS);
    queue.destroy();
  });

  it('keeps the job as it was, byte for byte, when the bundle is not mounted', async () => {
    const calls = await job.run(
      job.wrappers.patchedWithoutBundle,
      job.runnerEnv('https://sqs.us-east-1.amazonaws.com/123456789012/osdc-rca-reports'),
    );
    expect(comparable(calls)).toEqual(comparable(job.unpatched));
  });

  it.each([
    ['the kill switch is on', { OSDC_RCA_DISABLED: '1' }],
    ['no queue is configured', { OSDC_RCA_QUEUE_URL: undefined }],
  ])('keeps the job as it was, byte for byte, when %s', async (_case, extra) => {
    const queue = await createTestQueue(sqsEndpoint, 'osdc-wrapper-off');
    const calls = await job.run(job.wrappers.patched, job.runnerEnv(queue.queueUrl, extra));
    expect(comparable(calls)).toEqual(comparable(job.unpatched));
    expect(await queue.count()).toBe(0);
    queue.destroy();
  });
});
