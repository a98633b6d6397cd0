/**
 * Closing lines: what a tool prints after its diagnostics to count or judge them (`error: aborting due to 2 previous
 * errors`, `FAILURE!!! 1 files were unable to be parsed!`, `passed 75, failed 8, total 83`, `[!] Pod did not pass
 * validation, due to 1 error.`, `Randomized with seed 1234`), and its hints on how to learn more (`For more
 * information about this error, try …`, `To learn more, run the command again with --verbose.`). They point back at
 * the output above them and are never its cause, so the summary path looks past them. General shapes only (a count
 * next to an outcome, an outcome pointing back, a hint), never a tool's own sentence; patterns are anchored or
 * linear (the log is attacker-controlled).
 */
import { genericKindOf } from '../text/line-genericness';

/** Outcome words that a count stands next to. */
const OUTCOME = `(?:errors?|failures?|failed|failing|passed|passing|problems?|issues?|unable|broken|skipped|pending)`;
/** A count of outcomes: `2 errors`, `1 files were unable`, `3 tests failed`, `failed 0`, `Failed: 3`. */
const COUNTED = new RegExp(
  String.raw`\b\d+ (?:[A-Za-z]+ ){0,2}${OUTCOME}\b|\b${OUTCOME}:? \d+(?=[,;)]|\.?$)`,
  'i',
);
/** An outcome that names what it follows: `aborting due to previous error`, `due to 1 error`. */
const POINTS_BACK = /\bdue to (?:\d+ )?errors?\b|\bprevious errors?\b/i;
/**
 * A hint: advice on what to read, try or run next (`For more information about this error, try …`, `To learn more,
 * run the command again with --verbose.`, `Run with --stacktrace option to get the stack trace.`, `See 'docker
 * build --help'.`, `Try to reduce size or increase limit …`, `To list available tasks, try running: gulp --tasks`),
 * maybe after a task runner's `[hh:mm:ss]` stamp.
 */
const HINT =
  /^(?:\[[\d:.]+\] )?(?:For more information\b|To (?:learn more|list|see|get more)\b|(?:Try|See|Consider) |(?:You can |Try |Please )?(?:use|run|re-?run)\b[^\n]{0,80}?\s`?--[a-z][\w-]*)/i;

/** A run's duration (`Finished in 17.6 seconds`), which a verdict may carry. */
const DURATION = /\b\d+(?:\.\d+)? ?(?:ms|s|sec|secs|seconds?|min|mins|minutes?)\b/g;

/**
 * Whether a normalised line closes a tool's output instead of reporting a failure of its own.
 *
 * @example
 * isClosingLine('error: aborting due to 2 previous errors'); // true
 * isClosingLine("error[E0425]: cannot find value `x` in this scope"); // false
 */
export function isClosingLine(normalized: string): boolean {
  const text = normalized.trim();
  if (text.length === 0 || text.length > 300) return false;
  return (
    genericKindOf(text.replace(DURATION, '')) === 'verdict' ||
    COUNTED.test(text) ||
    POINTS_BACK.test(text) ||
    HINT.test(text)
  );
}
