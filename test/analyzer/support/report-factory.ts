/** Builds realistic failure reports (SQS message bodies, contract v1) from log lines, as the reporter would send. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { FailureReport } from '../../../shared/contract/failure-report';
import { encodeReportLog } from '../../../shared/contract/report-log-codec';
import { snapshotOfText } from '../../../shared/log/snapshot-lines';

/** A pytest failure as GitHub Actions logs it; each test name is a distinct failure (a distinct signature). */
export function pytestFailureLog(testName = 'test_conv2d'): string[] {
  return [
    '2026-11-25T10:00:00.0000000Z ##[group]Run python test/run_test.py --shard 2 4',
    '2026-11-25T10:00:00.0000000Z python test/run_test.py --shard 2 4',
    '2026-11-25T10:00:00.0000000Z ##[endgroup]',
    '2026-11-25T10:00:01.0000000Z collected 812 items',
    '2026-11-25T10:00:02.0000000Z test/test_nn.py::TestNN::test_linear PASSED',
    '2026-11-25T10:00:03.0000000Z Traceback (most recent call last):',
    `2026-11-25T10:00:03.0000000Z   File "/home/runner/work/pytorch/pytorch/test/test_nn.py", line 120, in ${testName}`,
    '2026-11-25T10:00:03.0000000Z     self.assertEqual(out, ref)',
    '2026-11-25T10:00:03.0000000Z AssertionError: Tensor-likes are not close!',
    `2026-11-25T10:00:04.0000000Z FAILED test/test_nn.py::TestNN::${testName} - AssertionError: Tensor-likes are not close!`,
    '2026-11-25T10:00:05.0000000Z ==== 1 failed, 811 passed in 301.22s ====',
    '2026-11-25T10:00:05.0000000Z ##[error]Process completed with exit code 1.',
  ];
}

export interface ReportOverrides extends Partial<Omit<FailureReport, 'log'>> {
  readonly lines?: readonly string[];
}

export function buildReport(overrides: ReportOverrides = {}): FailureReport {
  const { lines = pytestFailureLog(), ...fields } = overrides;
  return {
    v: 1,
    id: randomUUID(),
    resultSecret: randomBytes(32).toString('base64url'),
    repo: 'pytorch/pytorch',
    runId: 1001,
    runAttempt: 1,
    job: 'linux-test',
    runnerName: 'arc-runner-abc12',
    workflow: 'pull',
    stepIndex: 4,
    exitCode: 1,
    sha: 'a'.repeat(40),
    ref: 'refs/pull/77/merge',
    event: 'pull_request',
    prNumber: 77,
    reportedAt: new Date().toISOString(),
    log: encodeReportLog(snapshotOfText(lines, lines.join('\n').length)),
    ...fields,
  };
}

let nextRunId = 5000;

/** A unique run id per report, so that every report stands for its own job. */
export function uniqueRunId(): number {
  nextRunId += 1;
  return nextRunId;
}

/** What the GitHub stand-in must know for `report` to check out: its run attempt, head SHA and job. */
export function seedFor(report: FailureReport, jobId = report.runId * 10) {
  return {
    repo: report.repo,
    runId: report.runId,
    runAttempt: report.runAttempt,
    headSha: report.sha,
    event: report.event,
    prNumber: report.prNumber,
    jobs: [
      {
        id: jobId - 1,
        name: 'build',
        runnerName: 'arc-runner-other',
        status: 'completed' as const,
        conclusion: 'success',
      },
      { id: jobId, name: report.job, runnerName: report.runnerName },
    ],
  };
}
