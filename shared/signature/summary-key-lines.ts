/**
 * The key lines of a failure that only a summary reports (`make: *** … Error 2`, `The command "…" exited with 1.`):
 * the most error-looking line of the output just before the first summary of its cascade, else that output's last
 * line (what a `grep`, a size check or a formatter printed before it failed), with the output's first line; a
 * closing line yields to the first failing result row of the command's output, however far above. A tool's closing
 * lines (counts, verdicts, hints: closing-line.ts) point back at that output: they do not end a cascade, rank below
 * every line that looks failed by itself, and the look-back continues above them; one is taken only when the
 * command printed nothing else that looks failed.
 */
import { scoreLine } from '../log/line-score';
import { isBoilerplate } from '../text/normalize';
import { isClosingLine } from './closing-line';
import { firstFailingRow } from './first-failing-row';
import type { RuleMatch } from './match-rules';
import { SIGNATURE_RULES } from './rules';

/** How far back from a summary line its command's output is looked for. */
const PARAGRAPH_LINES = 30;
/** How far above a summary a line printed again between it and the next summary counts as a repetition. */
const REPEAT_LINES = 200;
/** An upper-case failure verdict: the line reports a failed test or check itself. */
const FAIL_WORD = /\bFAIL(?:ED)?\b/;
/** Tool chatter around a failure summary, and Travis's fold and timing markers, which are never the failure. */
const CHATTER =
  /^(?:info\b|npm ERR!|npm WARN|warning\b|Done\.|\(See full trace)|travis_(?:time|fold):(?:start|end)\b/;
const COMMAND_ECHO = /^\s*(?:\$|\+{1,3}) \S/;

/**
 * Indices of the key lines for the summary `last` (the last summary match of the failure), the most telling first.
 *
 * @example
 * summaryKeyLines(texts, matches, travisFailed); // [index of `size limit exceeded`, …, index of the summary]
 */
export function summaryKeyLines(
  texts: readonly string[],
  matches: readonly RuleMatch[],
  last: RuleMatch,
): number[] {
  // The summaries of the failure, filtered once for the three steps below.
  const summaries = matches.filter((match) => SIGNATURE_RULES[match.ruleIndex]!.tier === 'summary');
  const summaryIndices = new Set(summaries.map((match) => match.index));
  const first = firstOfCascade(texts, summaries, last);
  const start = outputBefore(texts, matches, summaryIndices, first.index);
  const end = lastOutputLine(texts, summaryIndices, start, first.index);
  const keyIndices = end !== start ? [end, start, last.index] : [start, last.index];
  // A failure report near the summary stands; a closing line (`Ran all test suites.`, sbt's `Tests unsuccessful`)
  // yields to the first failing result row of the command's output, however far above.
  const row = FAIL_WORD.test(texts[end]!) ? undefined : firstFailingRow(texts, first.index);
  if (row !== undefined) keyIndices.unshift(...row);
  return keyIndices;
}

/**
 * Summaries come in cascades (`npm ERR! code ELIFECYCLE` for each nested script, `ERROR: "lint:css" exited with 1.`,
 * then Travis's `The command "npm run lint" exited with 1.`): the first of them follows the output that matters.
 * Between two summaries of one cascade stand only chatter, closing lines and hints, or the same diagnostics again
 * (a build tool's parallel jobs each print the error that stopped the build, then their own summary).
 */
function firstOfCascade(
  texts: readonly string[],
  summaries: readonly RuleMatch[],
  last: RuleMatch,
): RuleMatch {
  let first = last;
  for (let k = summaries.indexOf(last) - 1; k >= 0; k -= 1) {
    const candidate = summaries[k]!;
    // Built only when a line between the two summaries is not noise of its own (most cascades have none).
    let before: ReadonlySet<string> | undefined;
    const printedBefore = (text: string): boolean => {
      before ??= new Set(
        texts.slice(Math.max(0, candidate.index - REPEAT_LINES), candidate.index).map((line) => line.trim()),
      );
      return before.has(text);
    };
    let onlyNoise = true;
    for (let i = candidate.index + 1; i < first.index && onlyNoise; i += 1) {
      const text = texts[i]!.trim();
      onlyNoise =
        text.length === 0 ||
        CHATTER.test(text) ||
        isBoilerplate(text) ||
        isClosingLine(text) ||
        printedBefore(text);
    }
    if (!onlyNoise) break;
    first = candidate;
  }
  return first;
}

/**
 * The line of a command's output that says most about its failure: the first of the most error-looking ones, else
 * the last line with some text before the summary. With the output's first line, it tells failures of one command
 * apart.
 */
function lastOutputLine(
  texts: readonly string[],
  summaries: ReadonlySet<number>,
  start: number,
  summary: number,
): number {
  let last = start;
  // The last line that does not point back (a hint or a count under the output is not what the command printed).
  let lastOwn: number | undefined;
  let best = start;
  let bestScore = 0;
  for (let i = summary - 1; i >= start; i -= 1) {
    const text = texts[i]!.trim();
    if (!/\w{3}/.test(text) || summaries.has(i) || CHATTER.test(text) || isBoilerplate(text)) continue;
    if (last === start) last = i;
    if (lastOwn === undefined && !isClosingLine(text)) lastOwn = i;
    const score = diagnosticScore(text);
    if (score >= bestScore && score > 0) {
      best = i;
      bestScore = score;
    }
  }
  return bestScore > 0 ? best : (lastOwn ?? last);
}

/**
 * The line where the output of the command that a summary line reports begins: the last paragraph before the
 * summary (skipping blank lines, other summaries and tool chatter), up to a command echo or a blank line.
 */
function outputBefore(
  texts: readonly string[],
  matches: readonly RuleMatch[],
  summaries: ReadonlySet<number>,
  summary: number,
): number {
  // Only other summaries are skipped: a generic `An error occurred …` just before the summary is the cause.
  let floor = Math.max(0, summary - PARAGRAPH_LINES);
  let end = summary - 1;
  while (end >= floor) {
    const text = texts[end]!.trim();
    if (text.length > 0 && !summaries.has(end) && !CHATTER.test(text) && !isBoilerplate(text)) break;
    end -= 1;
  }
  if (end < floor || COMMAND_ECHO.test(texts[end]!)) return summary;
  const failing = new Set(matches.map((match) => match.index));
  const looksFailed = (i: number): boolean => failing.has(i) || diagnosticScore(texts[i]!) > 0;
  let last = end;
  while (last >= floor && !looksFailed(last) && !COMMAND_ECHO.test(texts[last]!)) last -= 1;
  // A closing line points back: what it counts was printed above it, within a paragraph's reach of it.
  const cause =
    last >= floor && isClosingLine(texts[last]!) ? pointedAt(texts, looksFailed, last) : undefined;
  if (cause !== undefined) {
    last = cause;
    floor = Math.max(0, cause - PARAGRAPH_LINES);
  }
  if (last >= floor && looksFailed(last)) {
    let first = last;
    for (let i = last - 1; i >= floor && last - i <= PARAGRAPH_LINES; i -= 1) {
      if (COMMAND_ECHO.test(texts[i]!)) break;
      if (looksFailed(i)) first = i;
      else if (first - i > 2) break;
    }
    return first;
  }
  let start = end;
  while (start > floor && texts[start - 1]!.trim().length > 0 && !COMMAND_ECHO.test(texts[start - 1]!))
    start -= 1;
  return start;
}

/** The nearest line above a closing line that looks failed by itself, up to a command echo; `undefined` if none. */
function pointedAt(
  texts: readonly string[],
  looksFailed: (i: number) => boolean,
  closing: number,
): number | undefined {
  for (let i = closing - 1; i >= Math.max(0, closing - PARAGRAPH_LINES); i -= 1) {
    if (COMMAND_ECHO.test(texts[i]!)) return undefined;
    if (looksFailed(i) && !isClosingLine(texts[i]!)) return i;
  }
  return undefined;
}

/**
 * A diagnostic's location before its message: `src/a.c:12:3: …`, `(./docs/x.md): …`, `A.cs(20,40): …`. Tested on
 * the line's start only (the path's parts overlap, and the log is attacker-controlled).
 */
const LOCATED_CHARS = 240;
/** A closing line's score: below any line that looks failed by itself. */
const CLOSING_SCORE = 0.5;
const LOCATED = /^\(?\.{0,2}\/?[\w.-]+(?:\/[\w.@-]+)*\.\w+\)?(?::\d+(?::\d+)?|\(\d+(?:,\d+)?\))?\)?: \S/;

/**
 * How much a line of a command's output looks like its failure: the log scorer's figure, and at least a little for a
 * located message, which names what failed where a tool's own verdict only counts it. A closing line that says error
 * ranks below every other such line: it is taken only when the command printed nothing else that looks failed.
 */
function diagnosticScore(text: string): number {
  const score = scoreLine(text);
  if (isClosingLine(text)) return score > 0 ? CLOSING_SCORE : 0;
  return Math.max(score, LOCATED.test(text.trim().slice(0, LOCATED_CHARS)) ? 1 : 0);
}
