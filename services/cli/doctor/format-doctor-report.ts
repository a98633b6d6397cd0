/** The doctor's output: one line per check (verdict, name, what was found) and the fix under a failure; or JSON. */
import type { CheckResult } from './run-checks';

const LABEL = { ok: 'ok', fail: 'FAIL', skip: 'skip' } as const;

export function formatDoctorText(results: readonly CheckResult[], notes: readonly string[] = []): string {
  const width = Math.max(...results.map((result) => result.name.length));
  const lines = results.flatMap((result) => [
    `${LABEL[result.verdict].padEnd(4)}  ${result.name.padEnd(width)}  ${result.detail}`,
    ...(result.verdict === 'fail' && result.fix ? [`${' '.repeat(width + 8)}fix: ${result.fix}`] : []),
  ]);
  const failedNames = results.filter((result) => result.verdict === 'fail').map((result) => result.name);
  lines.push('');
  lines.push(
    failedNames.length === 0
      ? `All ${results.filter((r) => r.verdict === 'ok').length} checks passed` +
          (results.some((r) => r.verdict === 'skip') ? ' (some not checked, see above).' : '.')
      : `Failed: ${failedNames.join(', ')}.`,
  );
  for (const note of notes) lines.push(note);
  return `${lines.join('\n')}\n`;
}

export function formatDoctorJson(results: readonly CheckResult[], notes: readonly string[] = []): string {
  const failedNames = results.filter((result) => result.verdict === 'fail').map((result) => result.name);
  return `${JSON.stringify({ ok: failedNames.length === 0, failed: failedNames, checks: results, notes }, null, 2)}\n`;
}
