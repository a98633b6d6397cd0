/**
 * Runs work that a SIGTERM or SIGINT must end at once (the runner cancelling the job) without ending the process:
 * while the work runs, either signal aborts it instead of killing the reporter, so the hook's own exit code still
 * comes back.
 */
const SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

export async function abortOnTermination<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  for (const signal of SIGNALS) process.on(signal, abort);
  try {
    return await work(controller.signal);
  } finally {
    for (const signal of SIGNALS) process.off(signal, abort);
  }
}
