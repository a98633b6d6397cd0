/**
 * Where the output of the command that failed the job starts and ends, when the CI says so: Travis echoes each
 * command (`$ script/cibuild`) and closes it with `The command "script/cibuild" exited with 1.`; GitHub Actions opens
 * each step with `##[group]Run …` and closes the first failing one with `##[error]Process completed with exit code
 * 1.`. Errors printed before that command started (a setup step's retried download, a changelog that mentions error
 * messages) belong to commands that went on, so context selection looks inside the span first.
 */
import { firstStepExit, TRAVIS_COMMAND_FAILED, travisCommandEcho } from '../text/line-genericness';

/** Inclusive indices into the lines given. */
export interface CommandSpan {
  readonly first: number;
  readonly last: number;
}

const ACTIONS_RUN = /^##\[group\]Run /;

/**
 * The span of the first failed command's output, or undefined when the log does not say where it started.
 *
 * @example
 * failingCommandSpan(['$ make', 'cc: error', 'The command "make" exited with 2.']); // { first: 0, last: 2 }
 */
export function failingCommandSpan(texts: readonly string[]): CommandSpan | undefined {
  const failed = texts.findIndex((text) => TRAVIS_COMMAND_FAILED.test(text));
  if (failed >= 0) {
    const echo = travisCommandEcho((index) => texts[index]!, failed);
    return echo === undefined ? undefined : { first: echo, last: failed };
  }
  const exit = firstStepExit(texts);
  if (exit === undefined) return undefined;
  for (let i = exit - 1; i >= 0; i -= 1) if (ACTIONS_RUN.test(texts[i]!)) return { first: i, last: exit };
  return undefined;
}
