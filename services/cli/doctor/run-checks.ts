/**
 * Runs the doctor's checks side by side, each under its own deadline: a dead endpoint or a stuck credential
 * provider is reported as that check's failure within `timeoutMs`, and never holds up the others.
 */

import { describeError } from './describe-error';
import type { CheckOutcome, DoctorCheck } from './doctor-check';

export interface CheckResult extends CheckOutcome {
  readonly name: string;
  readonly durationMs: number;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 10_000;

export async function runChecks(
  checks: readonly DoctorCheck[],
  timeoutMs = DEFAULT_CHECK_TIMEOUT_MS,
): Promise<CheckResult[]> {
  return Promise.all(checks.map((check) => runOne(check, timeoutMs)));
}

async function runOne(check: DoctorCheck, timeoutMs: number): Promise<CheckResult> {
  const started = Date.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({
        verdict: 'fail',
        detail: `no answer within ${Math.round(timeoutMs / 1000)} s`,
        fix: 'check the endpoint, the network path to it and AWS_REGION',
      });
    }, timeoutMs);
  });
  try {
    const outcome = await Promise.race([
      check
        .run(controller.signal)
        .catch((error: unknown): CheckOutcome => ({ verdict: 'fail', detail: describeError(error) })),
      deadline,
    ]);
    return { name: check.name, ...outcome, durationMs: Date.now() - started };
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
