/** The command ran and found a problem (a failed doctor check, a canary that got no answer): exit code 1. */
export class CommandFailedError extends Error {
  override readonly name = 'CommandFailedError';
  readonly exitCode = 1;
}
