/**
 * Detail lines: what the signature hashes after the key lines when those do not tell failures apart. A summary
 * (`The command "make" exited with 2.`) says only that a command failed, and some specific matches carry no message
 * (`java.lang.RuntimeException`, `Reason: timetrap_timeout`, minitest's `Failure:`, ExUnit's `Assertion with ==
 * failed`); the line that does is somewhere around them. Key lines stay what `findKeyLines` chose: they are the
 * evidence that the analysis and the check run show, detail lines are only hashed.
 */

import { scoreLine } from '../log/line-score';
import type { SnapshotLine } from '../log/snapshot-lines';
import { genericKindOf, isGenericLine } from '../text/line-genericness';
import { isBoilerplate } from '../text/normalize';
import type { KeyLineMatch } from './find-key-lines';
import { firstFailingRowOfLog } from './first-failing-row';
import { maskVolatile } from './mask-volatile';
import type { RuleMatch } from './match-rules';
import { SIGNATURE_RULES } from './rules';

/**
 * How far above a summary (or the end of an unrecognised log) the line that says most is looked for. Longer reaches
 * pick up unrelated noise from long-running commands; the Emacs and JVM backtraces that bury a message are shorter.
 */
const SUMMARY_REACH_LINES = 80;
/** Key lines with fewer distinct words than this (after masking) do not name a failure on their own. */
const TERSE_WORDS = 4;
/** How far from a harness's generic verdict the failure it reports on is looked for. */
const NAMED_FAILURE_REACH = 40;
/** How many lines of a failure report above a terse key line are hashed with it. */
const REPORT_LINES_ABOVE = 2;
/** How far from a terse key line its message is looked for. */
const NEIGHBOUR_LINES = 5;
/** Only this much of a key line is shown and hashed, so only this much counts towards its words. */
const KEY_LINE_CHARS = 500;
/** How far below an assertion's `code:` its `left:` value is looked for: the code may span a whole block. */
const ASSERTION_CODE_LINES = 40;
/** The rule of an exception line that any code may log, test or not (`rules/exceptions.ts`). */
const LOGGED_EXCEPTION_RULE = 'exception';
/** Travis prints this after each command: output above it belongs to a command that succeeded. */
const COMMAND_SUCCEEDED = /^The command ".*" exited with 0\.$/;
/** Another test's result row (`=>text-objects/line PASS`, `test_x ... ok`): not the message of the one above. */
const SIBLING_ROW = /\s(?:PASS(?:ED)?|OK|ok|SKIP(?:PED)?|FAIL(?:ED)?)$/;
/** A line that counts what failed without naming it: `3 files were unable to be parsed`, `Detected 2 broken links`. */
const COUNTED_FAILURE =
  /\b\d+ (?:[a-z]+ ){0,2}(?:files?|tests?|errors?|failures?|problems?|examples?|specs?|checks?|links?|packages?)\b/i;
/** Travis echoes each command it runs. */
const COMMAND_ECHO = /^\$ \S/;
/** A line that reports a failure in words, including the lower-case `failed` that `scoreLine` does not count. */
const SAYS_FAILED = /\b(?:fail(?:ed|ure|s)?|error)\b/i;
/** ExUnit prints a failed assertion as `code:`, then the `left:` and `right:` values, then `stacktrace:`. */
const ASSERTION_CODE = /^code:\s/;
const ASSERTION_LEFT = /^left:\s/;
const ASSERTION_END = /^(?:right:|stacktrace:)/;

/**
 * The indices of the lines, beyond the key lines, that tell this failure apart from others of its rule; for a log
 * that no rule matched (`found` undefined), `keyIndices` holds its last line.
 *
 * @example
 * const found = findKeyLines(lines);
 * const details = signatureDetails(lines, found, found.keyIndices); // [index of `code: assert …`, of `left: …`]
 */
export function signatureDetails(
  lines: readonly SnapshotLine[],
  found: KeyLineMatch | undefined,
  keyIndices: readonly number[],
  matches: readonly RuleMatch[] = [],
): number[] {
  const indices = found ? detailsOfMatch(lines, found, keyIndices) : lastFailureReport(lines, keyIndices);
  const first = keyIndices[0];
  // A harness's `Command took >30min, returning 124` reads the same whatever it ran: what it reports on is named near.
  if (found && first !== undefined && genericKindOf(lines[first]!.text) === 'harness') {
    const named = namedFailureNear(lines, first, matches);
    if (named !== undefined) indices.push(named);
  }
  return indices.filter((index) => !keyIndices.includes(index));
}

/**
 * The nearest line within reach that a non-generic rule matched and that is not generic itself (the test file a
 * timed-out driver reports as failed, the test it was running).
 */
function namedFailureNear(
  lines: readonly SnapshotLine[],
  index: number,
  matches: readonly RuleMatch[],
): number | undefined {
  let best: number | undefined;
  for (const match of matches) {
    const distance = Math.abs(match.index - index);
    if (distance === 0 || distance > NAMED_FAILURE_REACH) continue;
    if (SIGNATURE_RULES[match.ruleIndex]!.tier === 'generic' || isGenericLine(lines[match.index]!.text))
      continue;
    if (best === undefined || distance < Math.abs(best - index)) best = match.index;
  }
  return best;
}

function detailsOfMatch(
  lines: readonly SnapshotLine[],
  found: KeyLineMatch,
  keyIndices: readonly number[],
): number[] {
  if (found.rule.tier === 'summary') {
    const detail = mostTellingOutput(lines, found.matchIndex, keyIndices);
    const details = detail === undefined ? [] : [detail];
    // `FAILURE!!! 1 files were unable to be parsed!` counts what failed; the line above it names it.
    const first = keyIndices[0];
    if (first !== undefined && COUNTED_FAILURE.test(lines[first]!.text)) {
      const above = neighbour(lines, first, -1);
      if (above !== undefined && !COMMAND_ECHO.test(lines[above]!.text.trim())) details.push(above);
    }
    return details;
  }
  if (found.rule.tier !== 'specific') return [];
  const details: number[] = [];
  // A logged exception does not say which test it failed: one assertion helper's `TestFailedException: "[]" did not
  // equal "[hello]"` is thrown by many tests. The first failing result row of the log names the test that failed.
  if (found.rule.id === LOGGED_EXCEPTION_RULE) {
    const row = firstFailingRowOfLog(lines.map((line) => line.text));
    if (row !== undefined && !keyIndices.includes(row)) details.push(row);
  }
  const first = Math.min(...keyIndices);
  const last = Math.max(...keyIndices);
  // A message-less line is often the second half of a report whose first half names the test (`suite:x failed on
  // line 5` / `Reason: timetrap_timeout`, sbt's `[error] - partest neg` / `java.lang.RuntimeException`); an unrelated
  // line above (progress, a log record) must not count.
  if (isTerse(lines, keyIndices)) details.push(...failureReportAbove(lines, first));
  // Headers (`Failure:`, `FAIL file.js`, `file.hs:3:1: error:`), bare verdicts (`Assertion with == failed`) and a
  // test's lone result line (`- name *** FAILED ***`) are followed by what failed, unless what follows is the next
  // test's own result.
  const loneTestLine = keyIndices.length === 1 && found.rule.category === 'test';
  if (loneTestLine || isTerse(lines, [last])) {
    const after = neighbour(lines, last, 1);
    if (after !== undefined && !isAnotherResult(lines[after]!.text, found)) {
      details.push(after);
      const left = assertionValue(lines, after);
      if (left !== undefined) details.push(left);
    }
  }
  return details;
}

/**
 * The `left:` value under an assertion's `code:` line: the same `assert x == y` fails in different ways when `x`
 * differs, and only the value says which (its timestamps and numbers are masked when hashed).
 */
function assertionValue(lines: readonly SnapshotLine[], code: number): number | undefined {
  if (!ASSERTION_CODE.test(lines[code]!.text.trim())) return undefined;
  const end = Math.min(lines.length, code + 1 + ASSERTION_CODE_LINES);
  for (let i = code + 1; i < end; i += 1) {
    const text = lines[i]!.text.trim();
    if (ASSERTION_LEFT.test(text)) return i;
    if (ASSERTION_END.test(text)) return undefined;
  }
  return undefined;
}

/**
 * The first of the most failure-looking lines of a summary's command output, within a bounded reach and after the
 * last command that succeeded: the message that a long backtrace or a tool's closing chatter pushed away from the
 * summary (`signal(error ("Package … is unavailable"))` forty frames above `exited with 255`).
 */
function mostTellingOutput(
  lines: readonly SnapshotLine[],
  summary: number,
  keyIndices: readonly number[],
): number | undefined {
  let best: number | undefined;
  let bestScore = 0;
  let sawOutput = false;
  for (let i = summary - 1; i >= Math.max(0, summary - SUMMARY_REACH_LINES); i -= 1) {
    const text = lines[i]!.text.trim();
    // A check that prints nothing (`grep -q 'failed' test.log`) fails because of the output of the command before.
    if (COMMAND_SUCCEEDED.test(text) && sawOutput) break;
    if (text.length === 0 || isBoilerplate(text)) continue;
    if (COMMAND_ECHO.test(text)) continue;
    sawOutput = true;
    if (keyIndices.includes(i)) continue;
    const score = scoreLine(text);
    if (score > 0 && score >= bestScore) {
      best = i;
      bestScore = score;
    }
  }
  return best;
}

/**
 * In a log that no rule understands, the last line above its end that says something failed (`^---- failure
 * generated from lint-x.sh`): the end alone is often a later check's chatter.
 */
function lastFailureReport(lines: readonly SnapshotLine[], keyIndices: readonly number[]): number[] {
  const last = keyIndices[0];
  if (last === undefined) return [];
  for (let i = last - 1; i >= Math.max(0, last - SUMMARY_REACH_LINES); i -= 1) {
    if (saysFailed(lines[i]!.text)) return [i];
  }
  return [];
}

/** Up to two consecutive lines right above `index` that say something failed, nearest first. */
function failureReportAbove(lines: readonly SnapshotLine[], index: number): number[] {
  const found: number[] = [];
  const nearest = neighbour(lines, index, -1);
  for (let i = nearest ?? -1; i >= 0 && found.length < REPORT_LINES_ABOVE; i -= 1) {
    if (!saysFailed(lines[i]!.text)) break;
    found.push(i);
  }
  return found;
}

/** Whether the key lines, masked, hold too few distinct words to name a failure. */
function isTerse(lines: readonly SnapshotLine[], keyIndices: readonly number[]): boolean {
  const words = new Set<string>();
  for (const index of keyIndices) {
    const masked = maskVolatile(lines[index]!.text.trim().slice(0, KEY_LINE_CHARS)).replace(/<\w+>/g, ' ');
    for (const word of masked.match(/[A-Za-z_]{3,}/g) ?? []) words.add(word);
  }
  return words.size < TERSE_WORDS;
}

/** The nearest line in `direction` that holds words, within a few lines. */
function neighbour(lines: readonly SnapshotLine[], from: number, direction: 1 | -1): number | undefined {
  for (let step = 1; step <= NEIGHBOUR_LINES; step += 1) {
    const index = from + step * direction;
    const line = lines[index];
    if (!line) return undefined;
    if (/[A-Za-z]{2}/.test(line.text) && !isBoilerplate(line.text)) return index;
  }
  return undefined;
}

/**
 * Whether a line is the next test's result rather than a message under this one. The line is tested as printed:
 * Jest's `● test name` indented under `FAIL file.js` belongs to it, a flush one would start another report.
 */
function isAnotherResult(text: string, found: KeyLineMatch): boolean {
  return found.rule.pattern.test(text) || SIBLING_ROW.test(text);
}

function saysFailed(text: string): boolean {
  return scoreLine(text) > 0 || SAYS_FAILED.test(text);
}
