/**
 * Runs work under a hard deadline. The abort signal stops SDK requests that honour it; the timer race covers the
 * parts that do not (credential providers, DNS), so the caller gets an answer on time whatever the work does.
 */

export type DeadlineOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly timedOut: boolean; readonly error: unknown };

/** Thrown into the abort signal when the deadline passes. */
export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError';
  constructor(
    readonly deadlineMs: number,
    options?: { cause?: unknown },
  ) {
    super(`deadline of ${deadlineMs} ms exceeded`, options);
  }
}

/**
 * Never rejects: resolves with the value, the work's error, or a timeout once `deadlineMs` has passed.
 *
 * @example
 * const sent = await withDeadline(2000, (signal) => client.send(command, { abortSignal: signal }));
 */
export async function withDeadline<T>(
  deadlineMs: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<DeadlineOutcome<T>> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<DeadlineOutcome<T>>((resolve) => {
    timer = setTimeout(() => {
      const error = new DeadlineExceededError(deadlineMs);
      controller.abort(error);
      resolve({ ok: false, timedOut: true, error });
    }, deadlineMs);
  });
  const settled = Promise.resolve()
    .then(() => work(controller.signal))
    .then(
      (value): DeadlineOutcome<T> => ({ ok: true, value }),
      (error: unknown): DeadlineOutcome<T> => ({ ok: false, timedOut: controller.signal.aborted, error }),
    );
  try {
    return await Promise.race([settled, expired]);
  } finally {
    clearTimeout(timer);
  }
}
