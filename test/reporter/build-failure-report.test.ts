import { describe, expect, it } from 'vitest';
import { buildFailureReport } from '../../services/reporter/build-failure-report';
import { FailureReportSchema, type ReportLog } from '../../shared/contract/failure-report';

const LOG: ReportLog = {
  encoding: 'gzip+base64',
  tail: 'H4sIAAAAAAAAAwMAAAAAAAAAAAA=',
  tailFirstLine: 1,
  windows: [],
  totalLines: 0,
  totalBytes: 0,
  redactions: 0,
};

const STEP_ENV = {
  GITHUB_REPOSITORY: 'pytorch/pytorch',
  GITHUB_RUN_ID: '12345678901',
  GITHUB_RUN_ATTEMPT: '2',
  GITHUB_JOB: 'linux-jammy-py3.10-gcc11 / test (default, 1, 5)',
  GITHUB_SHA: 'ABCDEF0123456789abcdef0123456789abcdef01',
  GITHUB_REF: 'refs/pull/98765/merge',
  GITHUB_WORKFLOW: 'pull',
  GITHUB_EVENT_NAME: 'pull_request',
};

function build(stepEnv: Record<string, string | undefined>, runnerEnv: Record<string, string> = {}) {
  return buildFailureReport({
    id: '3f1c8e2a-5b7d-4c1e-9a2b-0c1d2e3f4a5b',
    resultSecret: 'k'.repeat(43),
    exitCode: 1,
    stepEnv,
    runnerEnv: { RUNNER_NAME: 'arc-runner-l-x86iavx512-29-94-abcde', ...runnerEnv },
    log: LOG,
    reportedAt: new Date('2026-11-25T10:11:12.000Z'),
  });
}

describe('Function: buildFailureReport', () => {
  it("carries the step's place in the job when the wrapper counted it", () => {
    // Act
    const built = buildFailureReport({
      id: '3f1c8e2a-5b7d-4c1e-9a2b-0c1d2e3f4a5b',
      resultSecret: 'k'.repeat(43),
      exitCode: 1,
      stepEnv: STEP_ENV,
      runnerEnv: { RUNNER_NAME: 'arc-runner-0' },
      log: LOG,
      reportedAt: new Date('2026-11-25T10:11:12.000Z'),
      stepIndex: 4,
    });

    // Assess
    expect(built.ok && built.report.stepIndex).toBe(4);
    expect(built.ok && FailureReportSchema.safeParse(built.report).success).toBe(true);
  });

  it('builds a report that the analyzer accepts from the step env and the runner name', () => {
    // Act
    const built = build(STEP_ENV);

    // Assess
    expect(built.ok).toBe(true);
    const report = built.ok ? built.report : undefined;
    expect(FailureReportSchema.parse(report)).toEqual({
      v: 1,
      id: '3f1c8e2a-5b7d-4c1e-9a2b-0c1d2e3f4a5b',
      resultSecret: 'k'.repeat(43),
      repo: 'pytorch/pytorch',
      runId: 12345678901,
      runAttempt: 2,
      job: 'linux-jammy-py3.10-gcc11 / test (default, 1, 5)',
      runnerName: 'arc-runner-l-x86iavx512-29-94-abcde',
      workflow: 'pull',
      exitCode: 1,
      sha: 'abcdef0123456789abcdef0123456789abcdef01',
      ref: 'refs/pull/98765/merge',
      event: 'pull_request',
      prNumber: 98765,
      reportedAt: '2026-11-25T10:11:12.000Z',
      log: LOG,
    });
  });

  it('leaves the pull request number out for a branch push and defaults the attempt to 1', () => {
    // Act
    const built = build({ ...STEP_ENV, GITHUB_REF: 'refs/heads/main', GITHUB_RUN_ATTEMPT: undefined });

    // Assess
    const report = built.ok ? FailureReportSchema.parse(built.report) : undefined;
    expect(report?.prNumber).toBeUndefined();
    expect(report?.runAttempt).toBe(1);
    expect(report?.ref).toBe('refs/heads/main');
  });

  it('names the missing GitHub fields instead of building a report the analyzer would reject', () => {
    // Act
    const built = buildFailureReport({
      id: '3f1c8e2a-5b7d-4c1e-9a2b-0c1d2e3f4a5b',
      resultSecret: 'k'.repeat(43),
      exitCode: 1,
      stepEnv: { GITHUB_REPOSITORY: 'not a repo', GITHUB_RUN_ID: '0', GITHUB_SHA: 'abc' },
      runnerEnv: {},
      log: LOG,
      reportedAt: new Date(),
    });

    // Assess
    expect(built).toEqual({
      ok: false,
      missing: ['GITHUB_REPOSITORY', 'GITHUB_RUN_ID', 'GITHUB_JOB', 'GITHUB_SHA', 'RUNNER_NAME'],
    });
  });

  it('caps free-text fields to the lengths of the contract', () => {
    // Act
    const built = build({ ...STEP_ENV, GITHUB_JOB: 'j'.repeat(1000), GITHUB_WORKFLOW: 'w'.repeat(1000) });

    // Assess
    expect(built.ok && FailureReportSchema.safeParse(built.report).success).toBe(true);
  });
});
