import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

function runCli(args: string[]) {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'osdc-rca.js'), ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true' },
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.resume();
  return new Promise<{ code: number | null; stdout: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout })),
  );
}

describe('CLI: osdc-rca canary', () => {
  it('sends a canary end to end through the local stand-ins and prints its latency and analysis', async () => {
    const { code, stdout } = await runCli(['canary', '--local', '--json']);

    expect(code).toBe(0);
    const result = JSON.parse(stdout) as {
      kind: string;
      latencyMs: number;
      checkRuns: number;
      record: { analyst: { kind: string }; analysis: { summary: string } };
    };
    expect(result.kind).toBe('analysed');
    expect(result.latencyMs).toBeGreaterThan(0);
    expect(result.checkRuns).toBe(0);
    expect(result.record.analyst.kind).toBe('model');
    expect(result.record.analysis.summary).toContain('AssertionError');
  }, 180_000);

  it('asks for a real run to name when not local', async () => {
    const { code } = await runCli(['canary']);

    expect(code).toBe(2);
  }, 60_000);
});
