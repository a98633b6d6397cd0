/**
 * Finds the failure in a log: which rule describes it and which lines are its key lines. Context selection uses
 * the result as its first anchor and the signature hashes it, so both agree on what the failure is.
 *
 * Priority alone is not enough: a log often holds an early, harmless match of a high-priority rule (a `curl: (22)`
 * in a setup script that retried, a traceback a test printed on purpose) long before the real failure. So only
 * matches in the *failure region* compete: a bounded span of lines ending at the last specific match, after the
 * last command that is known to have succeeded. Within the region the highest-priority rule wins and its first
 * match in the last cluster of its matches gives the key lines (the first error of a compiler cascade, the first
 * failing test of a run); when that same line repeats later in the cluster (retries, reruns) the last repetition is
 * the one that failed the step (compared by key line: a `Traceback` header always repeats). When only a summary
 * matched (`make: *** … Error 2`, `The command "…" exited with 1.`), the key lines come from the output the summary
 * points back at (summary-key-lines.ts). Two exceptions to "last specific match": an `exception` line loses to a
 * test framework's failure report of the same command (or, where no rule knows the runner, to a failing result row
 * more than a failure region above it), and a network error long before the failure summary counts as survived.
 */

import type { SnapshotLine } from '../log/snapshot-lines';
import { firstStepExit, travisCommandEcho } from '../text/line-genericness';
import { firstFailingRowOfLog, firstOddVerdictRow } from './first-failing-row';
import { maskVolatile } from './mask-volatile';
import { matchRules, type RuleMatch } from './match-rules';
import { SIGNATURE_RULES, type SignatureRule } from './rules';
import { summaryKeyLines } from './summary-key-lines';

/** How far before the last specific match other matches still count as the same failure. */
const REGION_LINES = 400;
/** Matches of one rule this far apart belong to different clusters. */
const CLUSTER_GAP_LINES = 200;
/** Annotations this close belong to one burst. */
const BURST_GAP_LINES = 3;
/** Travis prints this after each command; everything before a successful command belongs to it. */
const COMMAND_SUCCEEDED = /^The command ".*" exited with 0\.$/;
/** Travis's line after each command of the script phase, whatever its exit. */
const COMMAND_ENDED = /^The command ".*" (?:exited with \d+|failed)/;

/** Rules that match a test framework's own report of a failed test. */
const TEST_REPORT_RULES: ReadonlySet<string> = new Set(
  SIGNATURE_RULES.filter((rule) => rule.category === 'test' && rule.tier === 'specific')
    .map((rule) => rule.id)
    .filter(
      (id) =>
        !['python-traceback', 'exception', 'crash-signal', 'sanitizer', 'test-driver-failure'].includes(id),
    ),
);

export interface KeyLineMatch {
  readonly rule: SignatureRule;
  /** Indices into the lines given to `findKeyLines`, the most telling first. */
  readonly keyIndices: readonly number[];
  /** The line the rule matched (a traceback's header, a summary), where the failure's report starts or ends. */
  readonly matchIndex: number;
}

/**
 * The rule and key lines of the failure, or `undefined` when no rule matches at all.
 *
 * @example
 * const found = findKeyLines(snapshotLines(snapshot));
 * found?.rule.id; // 'pytest-failure'
 */
export function findKeyLines(
  lines: readonly SnapshotLine[],
  allMatches = matchRules(lines),
): KeyLineMatch | undefined {
  const matches = inFirstFailingCommand(lines, allMatches);
  if (matches.length === 0) return undefined;
  const texts = lines.map((line) => line.text);
  const tierOf = (match: RuleMatch): SignatureRule['tier'] => SIGNATURE_RULES[match.ruleIndex]!.tier;
  const lastSpecific = matches.findLast((match) => tierOf(match) === 'specific');
  const lastSummary = matches.findLast((match) => tierOf(match) === 'summary');
  // Downloads fail and are retried all the time in setup; a network error long before the step's failure summary
  // was survived, and the summary's own output is the better guess.
  const recovered =
    lastSpecific !== undefined &&
    lastSummary !== undefined &&
    SIGNATURE_RULES[lastSpecific.ruleIndex]!.category === 'network' &&
    lines[lastSummary.index]!.line - lines[lastSpecific.index]!.line > REGION_LINES;
  if (lastSpecific && !recovered) {
    const found = specificFailure(lines, texts, matches, lastSpecific);
    if (found.rule.id !== 'exception') return found;
    // Exceptions are also logged by code that handles them; a test framework's failure report is the stronger word.
    const lastTest = matches.findLast((match) => TEST_REPORT_RULES.has(SIGNATURE_RULES[match.ruleIndex]!.id));
    if (lastTest) return specificFailure(lines, texts, matches, lastTest);
    // Where no rule knows the runner, its report is still a result row marked as failed. Right above the exception,
    // the row is the exception's own test and the exception says how it failed; an exception logged further below
    // than a failure region came from code that handled it (a server's log during later tests), and the row leads.
    const row = firstFailingRowOfLog(texts);
    const apart = row !== undefined && lines[found.matchIndex]!.line - lines[row]!.line > REGION_LINES;
    return apart ? { ...found, keyIndices: [row, ...found.keyIndices] } : found;
  }
  if (lastSummary) {
    const rule = SIGNATURE_RULES[lastSummary.ruleIndex]!;
    return { rule, keyIndices: summaryKeyLines(texts, matches, lastSummary), matchIndex: lastSummary.index };
  }
  const generic =
    matches.findLast((match) => SIGNATURE_RULES[match.ruleIndex]!.id !== 'actions-error') ??
    firstOfBurst(matches);
  // A table of verdict rows (`PASS: …` × 20, then `REGRESSION: … failed`) names its failure in its odd row.
  const odd = firstOddVerdictRow(texts, generic.index + 1);
  const key = odd ?? generic.index;
  return { rule: SIGNATURE_RULES[generic.ruleIndex]!, keyIndices: [key], matchIndex: key };
}

function specificFailure(
  lines: readonly SnapshotLine[],
  texts: readonly string[],
  matches: readonly RuleMatch[],
  end: RuleMatch,
): KeyLineMatch {
  const lastLine = lines[end.index]!.line;
  const region = matches.filter(
    (match) => match.index <= end.index && lastLine - lines[match.index]!.line <= REGION_LINES,
  );
  const specific = region.filter((match) => SIGNATURE_RULES[match.ruleIndex]!.tier === 'specific');
  let best = end.ruleIndex;
  for (const match of specific) best = Math.min(best, match.ruleIndex);
  const ofRule = specific.filter((match) => match.ruleIndex === best);
  let first = ofRule.length - 1;
  while (
    first > 0 &&
    lines[ofRule[first]!.index]!.line - lines[ofRule[first - 1]!.index]!.line <= CLUSTER_GAP_LINES
  ) {
    first -= 1;
  }
  const rule = SIGNATURE_RULES[best]!;
  const keysOf = (index: number): readonly number[] =>
    rule.keyLines ? rule.keyLines(texts, index) : [index];
  // A retry prints the same failure again; compared by key line, since headers (`Traceback …`) always repeat.
  const chosen = ofRule[first]!.index;
  const masked = maskVolatile(texts[keysOf(chosen)[0]!]!);
  const retry = ofRule
    .slice(first + 1)
    .findLast((match) => maskVolatile(texts[keysOf(match.index)[0]!]!) === masked);
  const index = retry?.index ?? chosen;
  return { rule, keyIndices: keysOf(index), matchIndex: index };
}

/**
 * Matches that belong to the first failing command, when the log says where commands end (Travis prints `The
 * command "…" exited with N.` after each): after the last command that succeeded before it, up to its own summary.
 * Later commands often fail only because the first one did. When the first failing command printed nothing specific
 * (a retry wrapper's own messages, output lost to the capture), the log up to the last command's end is searched.
 */
function inFirstFailingCommand(lines: readonly SnapshotLine[], matches: RuleMatch[]): RuleMatch[] {
  const firstFailed = matches.find(
    (match) => SIGNATURE_RULES[match.ruleIndex]!.id === 'travis-command-failed',
  );
  if (!firstFailed) return inFirstFailingStep(lines, matches);
  let boundary = -1;
  for (let i = firstFailed.index - 1; i >= 0; i -= 1) {
    if (COMMAND_SUCCEEDED.test(lines[i]!.text)) {
      boundary = i;
      break;
    }
  }
  const echo = travisCommandEcho((index) => lines[index]!.text, firstFailed.index, boundary);
  const own = matches.filter(
    (match) => match.index > Math.max(boundary, echo ?? -1) && match.index <= firstFailed.index,
  );
  if (own.some((match) => SIGNATURE_RULES[match.ruleIndex]!.tier === 'specific')) return own;
  // Commands echoed before the failing one ran to their end: their errors were survived (a retried download). Output
  // after the last command's summary is the after-script phase's, which runs whatever the build's outcome.
  const lastCommand = lines.findLastIndex((line) => COMMAND_ENDED.test(line.text));
  return matches.filter((match) => match.index > (echo ?? -1) && match.index <= lastCommand);
}

/**
 * Matches printed before a GitHub Actions job's first failing step ended (`##[error]Process completed with exit code
 * 1.`): the steps after it (`if: always()` uploads, cleanups, post steps) fail because it did, or print noise (an
 * artifact upload denied). As for Travis, when that step printed nothing a rule recognises, the whole log counts.
 */
function inFirstFailingStep(lines: readonly SnapshotLine[], matches: RuleMatch[]): RuleMatch[] {
  const exit = firstStepExit(lines.map((line) => line.text));
  if (exit === undefined) return matches;
  const own = matches.filter((match) => match.index < exit);
  return own.some((match) => SIGNATURE_RULES[match.ruleIndex]!.tier !== 'generic') ? own : matches;
}

/**
 * The runner's annotations come in bursts (`##[error]The runner has received a shutdown signal…`, then `##[error]The
 * operation was canceled.`): the first of the last burst is the cause, the others its consequences.
 */
function firstOfBurst(matches: readonly RuleMatch[]): RuleMatch {
  let first = matches.length - 1;
  while (first > 0 && matches[first]!.index - matches[first - 1]!.index <= BURST_GAP_LINES) first -= 1;
  return matches[first]!;
}
