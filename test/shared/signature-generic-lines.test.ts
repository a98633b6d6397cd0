import { describe, expect, it } from 'vitest';
import { snapshotOfText } from '../../shared/log/snapshot-lines';
import { computeSignature } from '../../shared/signature/compute-signature';
import { genericKindOf } from '../../shared/text/line-genericness';

const signatureOf = (lines: readonly string[]) => computeSignature(snapshotOfText(lines));

/** What the runner, the container hooks and the OSDC wrapper print after every failed script step. */
const RUNNER_EPILOGUE = [
  '##[error][OSDC] Step script exited with code 1. This is a script/workflow error, not an infrastructure issue.',
  '##[error]Executing the custom container implementation failed with exit code 1.',
  '##[error]Process completed with exit code 1.',
];

/** A later `if: always()` step whose upload fails the same way whatever failed before it. */
const UPLOAD_STEP = [
  '##[group]Run actions/upload-artifact@v4',
  'with:',
  '  name: test-reports',
  '##[endgroup]',
  '##[error]Failed to CreateArtifact: Unable to make request: ECONNRESET',
];

describe('Function: genericKindOf', () => {
  it.each([
    ['##[error]Process completed with exit code 1.', 'wrapper'],
    ['##[error]Executing the custom container implementation failed with exit code 2.', 'wrapper'],
    ['##[error][OSDC] Step script exited with code 1. This is a script/workflow error.', 'wrapper'],
    ["##[error]TypeError: Cannot read properties of null (reading 'jobPod')", 'wrapper'],
    ["##[error]The process '/usr/bin/git' failed with exit code 128", 'wrapper'],
    ['Finished: FAILURE', 'wrapper'],
    ['Command took >30min, returning 124', 'harness'],
    ['Got exit code 124', 'harness'],
    ['Test Suites: 1 failed, 4 passed, 5 total', 'verdict'],
    ['Failed 1 tests!!', 'verdict'],
    ['Error: One or more errors occurred.', 'verdict'],
    ['FAILED (failures=2, errors=1)', 'verdict'],
  ])('calls %s a %s line', (text, kind) => {
    expect(genericKindOf(text)).toBe(kind);
  });

  it.each([
    'FAILED test/test_nn.py::TestNN::test_conv2d - AssertionError',
    "ImportError: cannot import name 'x' from 'torch._dynamo'",
    'Process completed with exit code 1 for the third time, see the trace above',
    'test72 FAILED',
    'Tests failed in test_parser.py',
  ])('calls %s a line of its own', (text) => {
    expect(genericKindOf(text)).toBeUndefined();
  });
});

describe('Function: computeSignature with generic lines', () => {
  it('never gives two failures that only share the runner epilogue the same strong signature', () => {
    // Prepare
    const missingTool = ['+ ./scripts/build-docs.sh', 'sphinx-build: command not found', ...RUNNER_EPILOGUE];
    const badConfig = ['+ ./scripts/lint.sh', 'config.yml is not valid YAML', ...RUNNER_EPILOGUE];

    // Act
    const first = signatureOf(missingTool);
    const second = signatureOf(badConfig);

    // Assess
    const shared = first.signature === second.signature && first.strength === 'strong';
    expect(shared).toBe(false);
    for (const signature of [first, second])
      expect(signature.keyLines.map((key) => key.text)).not.toContain(RUNNER_EPILOGUE[2]);
  });

  it('makes a signature built only from runner lines weak', () => {
    // Act
    const signature = signatureOf(['Starting the job', ...RUNNER_EPILOGUE]);

    // Assess
    expect(signature.strength).toBe('weak');
  });

  it('makes a signature built only from closing verdicts weak, whatever failed above them', () => {
    // Prepare: what a test runner and yarn print after any failing run; the failures themselves scrolled away.
    const lines = [
      '$ yarn test',
      'Test Suites: 1 failed, 4 passed, 5 total',
      'Tests:       2 failed, 40 passed, 42 total',
      'Ran all test suites.',
      'error Command failed with exit code 1.',
      'The command "yarn test" exited with 1.',
    ];

    // Act
    const signature = signatureOf(lines);

    // Assess
    expect(signature.strength).toBe('weak');
  });

  it("keys on the first annotation of the runner's last burst", () => {
    // Act
    const signature = signatureOf([
      'Running the suite',
      '##[error]The runner has received a shutdown signal. This can happen when the runner service is stopped.',
      '##[error]The operation was canceled.',
    ]);

    // Assess
    expect(signature.keyLines[0]!.text).toContain('received a shutdown signal');
  });

  it('keys a harness timeout on the test file it reports, not on the timeout line alone', () => {
    // Prepare
    const timeout = (file: string) => [
      `Running ${file} 4/10 ... [2026-07-30 10:07:22]`,
      `PRINTING LOG FILE of ${file} 4/10 (test/test-reports/x.log)`,
      'Command took >30min, returning 124',
      'Got exit code 124',
      `FINISHED PRINTING LOG FILE of ${file} 4/10`,
      `${file} 4/10 failed!`,
      ...RUNNER_EPILOGUE,
    ];

    // Act
    const inductor = signatureOf(timeout('inductor/test_torchinductor_opinfo'));
    const nn = signatureOf(timeout('test_nn'));

    // Assess
    expect(inductor.keyLines[0]!.text).toBe('Command took >30min, returning 124');
    expect(inductor.strength).toBe('strong');
    expect(nn.strength).toBe('strong');
    expect(inductor.signature).not.toBe(nn.signature);
  });

  it('makes a harness timeout that names nothing weak', () => {
    // Act
    const signature = signatureOf([
      'Running the suite',
      'Command took >30min, returning 124',
      ...RUNNER_EPILOGUE,
    ]);

    // Assess
    expect(signature.strength).toBe('weak');
  });

  it("keys on the failing step's own error, not on a later always() step's upload error", () => {
    // Prepare
    const failing = (error: string) => [
      '##[group]Run python test/run_test.py',
      '##[endgroup]',
      'Traceback (most recent call last):',
      '  File "test/run_test.py", line 12, in <module>',
      '    main()',
      error,
      ...RUNNER_EPILOGUE,
      ...UPLOAD_STEP,
    ];

    // Act
    const keyError = signatureOf(failing("KeyError: 'world_size'"));
    const valueError = signatureOf(failing('ValueError: shard index 5 is out of range'));

    // Assess
    expect(keyError.keyLines[0]!.text).toBe("KeyError: 'world_size'");
    expect(valueError.keyLines[0]!.text).toBe('ValueError: shard index 5 is out of range');
    expect(keyError.signature).not.toBe(valueError.signature);
  });
});
