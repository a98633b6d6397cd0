/**
 * One readiness check of `osdc-rca doctor`: a name, and a run that answers with a verdict, what was found and, when
 * something is wrong, what the operator should do about it.
 */

export type Verdict = 'ok' | 'fail' | 'skip';

export interface CheckOutcome {
  readonly verdict: Verdict;
  /** What was found, in one line. */
  readonly detail: string;
  /** What to do about a failure, in one line. */
  readonly fix?: string | undefined;
}

export interface DoctorCheck {
  readonly name: string;
  /** Must stop its requests when `signal` aborts: the doctor gives every check its own short timeout. */
  run(signal: AbortSignal): Promise<CheckOutcome>;
}

export const passed = (detail: string): CheckOutcome => ({ verdict: 'ok', detail });

export const failed = (detail: string, fix?: string): CheckOutcome => ({ verdict: 'fail', detail, fix });

/** Not checked, and saying why: never a pass in disguise. */
export const notChecked = (detail: string): CheckOutcome => ({ verdict: 'skip', detail });
