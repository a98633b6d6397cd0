import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const example = path.join(repoRoot, 'examples', 'pytest-failure.log');

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'osdc-rca.js'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', OSDC_RCA_MODEL_ID: '' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('CLI: osdc-rca', () => {
  it('analyses a log offline and prints it as the job log would show it, saying no model was used', () => {
    // Act
    const { code, stdout } = run('analyze', example);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^::group::\[OSDC\] Failure analysis: Test failure: TestNN\.test_conv2d_padding_same_cpu_float32\n/,
    );
    expect(stdout).toMatch(/^::error title=OSDC failure analysis \(test\)::/m);
    expect(stdout).toContain('No model was used (no AWS credentials or OSDC_RCA_MODEL_ID)');
    expect(stdout.trimEnd().endsWith('::endgroup::')).toBe(true);
  });

  it('prints the analysis record as JSON with --json', () => {
    // Act
    const { code, stdout } = run('analyze', example, '--json');

    // Assess
    expect(code).toBe(0);
    const record = JSON.parse(stdout) as {
      analyst: { kind: string };
      rule: string;
      analysis: { category: string };
    };
    expect(record.analyst.kind).toBe('rules');
    expect(record.rule).toBe('pytest-failure');
    expect(record.analysis.category).toBe('test');
  });

  it('prints the signature as JSON with 1-based key lines, most telling first', () => {
    // Act
    const { code, stdout } = run('signature', example, '--json');

    // Assess
    expect(code).toBe(0);
    const output = JSON.parse(stdout) as {
      signature: string;
      strength: string;
      rule: string;
      keyLines: unknown[];
    };
    expect(output.signature).toMatch(/^[0-9a-f]{16}$/);
    expect(output.strength).toBe('strong');
    expect(output.rule).toBe('pytest-failure');
    expect(output.keyLines[0]).toEqual({
      line: 12,
      text: '________________ TestNN.test_conv2d_padding_same_cpu_float32 _________________',
    });
  });

  it('prints the plain context within the byte budget, without timestamps', () => {
    // Act
    const { code, stdout } = run('context', example, '--budget-bytes', '1200');

    // Assess
    expect(code).toBe(0);
    expect(Buffer.byteLength(stdout.replace(/\n$/, ''), 'utf8')).toBeLessThanOrEqual(1200);
    expect(stdout).toContain('TestNN.test_conv2d_padding_same_cpu_float32');
    expect(stdout).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
  });

  it('adds ranges, byte count and signature with --json', () => {
    // Act
    const { code, stdout } = run('context', example, '--json');

    // Assess
    expect(code).toBe(0);
    const output = JSON.parse(stdout) as {
      bytes: number;
      ranges: unknown[];
      text: string;
      signature: { rule: string };
    };
    expect(output.ranges).toEqual([{ first: 1, last: 27 }]);
    expect(output.bytes).toBe(Buffer.byteLength(output.text, 'utf8'));
    expect(output.signature.rule).toBe('pytest-failure');
  });

  it.each([
    [['context', example, '--bogus']],
    [['context', example, '--budget-bytes', 'twelve']],
    [['context', example, '--budget-bytes', '-5']],
    [['context', example, '--budget-bytes', '2097152']],
    [['analyze', example, '--budget-bytes', '999999999999999999']],
    [['analyze', example, '--budget-bytes', '1e4']],
    [['analyze', example, '--budget-bytes', '100']],
    [['signature', path.join(repoRoot, 'examples', 'no-such.log')]],
    [['signature', path.join(repoRoot, 'examples')]],
  ])('prints usage and exits 2 for %j', (args) => {
    // Act
    const { code, stderr } = run(...args);

    // Assess
    expect(code).toBe(2);
    expect(stderr).toContain('Usage: osdc-rca');
  });
});
