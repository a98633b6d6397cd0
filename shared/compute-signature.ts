/**
 * The failure signature: a short hash of the rule that found the failure, its masked key lines and, where those do
 * not tell failures apart, masked detail lines from around them. Jobs that fail for the same reason in another shard,
 * on another runner or on another day get the same signature; a different failing test or error gets another one.
 *
 * The key lines that `findKeyLines` gives do not always tell failures apart: a summary (`The command "make" exited
 * with 2.`) says only that a command failed, and some specific matches carry no message (`java.lang.RuntimeException`,
 * `Reason: timetrap_timeout`, minitest's `Failure:`). For those, the signature also hashes a discriminating detail
 * line taken from around the match (`explainSignature` lists them). Key lines stay what `findKeyLines` chose: they are
 * the evidence that the analysis and the check run show.
 */
import { createHash } from 'node:crypto';
import { findKeyLines, type KeyLineMatch } from './find-key-lines';
import { scoreLine } from './line-score';
import { maskVolatile } from './mask-volatile';
import { isBoilerplate } from './normalize';
import { strengthOf } from './signature-rules';
import { type SnapshotLine, snapshotLines } from './snapshot-lines';
import type { CaptureSnapshot, FailureSignature, KeyLine } from './types';

/** Signature of a log where no rule matched at all: nothing to group on, so it is weak. */
const NO_MATCH_RULE = 'no-match';
/** Key lines beyond this many add nothing to grouping and make near-duplicates diverge. */
const MAX_KEY_LINES = 3;
const KEY_LINE_CHARS = 500;
/**
 * How far above a summary (or the end of an unrecognised log) the line that says most is looked for. Longer reaches
 * pick up unrelated noise from long-running commands; the Emacs and JVM backtraces that bury a message are shorter.
 */
const SUMMARY_REACH_LINES = 80;
/** Key lines with fewer distinct words than this (after masking) do not name a failure on their own. */
const TERSE_WORDS = 4;
/** How many lines of a failure report above a terse key line are hashed with it. */
const REPORT_LINES_ABOVE = 2;
/** How far from a terse key line its message is looked for. */
const NEIGHBOUR_LINES = 5;
/** A URL's path after its host, up to the end of its token or quote (hashed text is clipped, which bounds the scan). */
const URL_PATH = /(\b[a-z][\w+.-]*:\/\/[^\s/'"`]+)\/[^\s'"`]*/g;
/** Travis prints this after each command: output above it belongs to a command that succeeded. */
const COMMAND_SUCCEEDED = /^The command ".*" exited with 0\.$/;
/** Another test's result row (`=>text-objects/line PASS`, `test_x ... ok`): not the message of the one above. */
const SIBLING_ROW = /\s(?:PASS(?:ED)?|OK|ok|SKIP(?:PED)?|FAIL(?:ED)?)$/;
/** Travis echoes each command it runs. */
const COMMAND_ECHO = /^\$ \S/;
/** A line that reports a failure in words, including the lower-case `failed` that `scoreLine` does not count. */
const SAYS_FAILED = /\b(?:fail(?:ed|ure|s)?|error)\b/i;

/**
 * Computes the signature of a captured (or whole) log.
 *
 * @example
 * const { signature, strength, rule, keyLines } = computeSignature(capture.snapshot());
 */
export function computeSignature(snapshot: CaptureSnapshot): FailureSignature {
  return computeSignatureOfLines(snapshotLines(snapshot));
}

/** The same, for lines already flattened (context selection has them at hand). */
export function computeSignatureOfLines(lines: readonly SnapshotLine[]): FailureSignature {
  return explainSignature(lines).signature;
}

/** A signature with the detail lines that were hashed after its key lines. */
export interface ExplainedSignature {
  readonly signature: FailureSignature;
  /** Lines around the failure that tell it apart from others of its rule; hashed, not shown as key lines. */
  readonly details: readonly KeyLine[];
}

/**
 * The signature and the detail lines it hashed, for tools that show why two logs got the same or different
 * signatures (`npm run bench:signature -- --pairs`).
 */
export function explainSignature(lines: readonly SnapshotLine[]): ExplainedSignature {
  const found = findKeyLines(lines);
  if (!found) {
    const last = lines.findLastIndex((line) => line.text.trim().length > 0);
    const keyLines = last >= 0 ? [keyLineOf(lines[last]!)] : [];
    const details = last >= 0 ? lastFailureReport(lines, last).map((index) => keyLineOf(lines[index]!)) : [];
    const signature: FailureSignature = {
      signature: hashOf(NO_MATCH_RULE, [...keyLines, ...details], false),
      strength: 'weak',
      rule: NO_MATCH_RULE,
      category: 'unknown',
      keyLines,
    };
    return { signature, details };
  }
  const keyIndices = found.keyIndices.slice(0, MAX_KEY_LINES);
  const keyLines = keyIndices.map((index) => keyLineOf(lines[index]!));
  const details = detailIndices(lines, found, keyIndices)
    .filter((index) => !keyIndices.includes(index))
    .map((index) => keyLineOf(lines[index]!));
  const signature: FailureSignature = {
    signature: hashOf(found.rule.id, [...keyLines, ...details], found.rule.category === 'network'),
    strength: strengthOf(found.rule),
    rule: found.rule.id,
    category: found.rule.category,
    keyLines,
  };
  return { signature, details };
}

/** The lines, beyond the key lines, that tell this failure apart from others of the same rule. */
function detailIndices(
  lines: readonly SnapshotLine[],
  found: KeyLineMatch,
  keyIndices: readonly number[],
): number[] {
  if (found.rule.tier === 'summary') {
    const detail = mostTellingOutput(lines, found.matchIndex, keyIndices);
    return detail === undefined ? [] : [detail];
  }
  if (found.rule.tier !== 'specific') return [];
  const details: number[] = [];
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
    if (after !== undefined && !isAnotherResult(lines[after]!.text, found)) details.push(after);
  }
  return details;
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
function lastFailureReport(lines: readonly SnapshotLine[], last: number): number[] {
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
    const masked = maskVolatile(keyLineOf(lines[index]!).text).replace(/<\w+>/g, ' ');
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

/**
 * A network failure hits whichever download was in flight: the host it could not reach is the cause, the path on it
 * (which package, which repository) is chance, so it is masked.
 */
function hashOf(rule: string, keyLines: readonly KeyLine[], network: boolean): string {
  const hash = createHash('sha256').update(rule);
  for (const { text } of keyLines) {
    const masked = maskVolatile(text);
    hash.update('\n').update(network ? masked.replace(URL_PATH, '$1/<path>') : masked);
  }
  return hash.digest('hex').slice(0, 16);
}

function keyLineOf(line: SnapshotLine): KeyLine {
  const text = line.text.trim();
  return { line: line.line, text: text.length > KEY_LINE_CHARS ? `${text.slice(0, KEY_LINE_CHARS)}…` : text };
}
