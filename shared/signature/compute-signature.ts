/**
 * The failure signature: a short hash of the rule that found the failure, its masked key lines and, where those do
 * not tell failures apart, masked detail lines from around them. Jobs that fail for the same reason in another shard,
 * on another runner or on another day get the same signature; a different failing test or error gets another one.
 *
 * The key lines that `findKeyLines` gives do not always tell failures apart; `signatureDetails` picks the lines
 * around them that do, and `explainSignature` lists them.
 */
import { createHash } from 'node:crypto';
import { type SnapshotLine, snapshotLines } from '../log/snapshot-lines';
import type { CaptureSnapshot } from '../log/types';
import { isGenericLine } from '../text/line-genericness';
import { isBoilerplate } from '../text/normalize';
import { failedTestCount } from './failed-test-count';
import { findKeyLines } from './find-key-lines';
import { maskVolatile } from './mask-volatile';
import { type KeyLineOptions, matchRules } from './match-rules';
import { strengthOf } from './rules';
import { signatureDetails } from './signature-details';
import type { FailureSignature, KeyLine } from './types';

/**
 * Hashed first, so that signatures of different versions never meet: an analysis cached for a signature made by
 * other rules (one that a generic line alone made strong) is not reused for a signature made by these. Bump it
 * whenever a change moves signatures of the same log.
 */
export const SIGNATURE_VERSION = 's9';
/** Rule of a log where no rule matched at all: its last line and the last failure report above it are hashed. */
const NO_MATCH_RULE = 'no-match';
/** Key lines beyond this many add nothing to grouping and make near-duplicates diverge. */
const MAX_KEY_LINES = 3;
const KEY_LINE_CHARS = 500;
/** A URL's path after its host, up to the end of its token or quote (hashed text is clipped, which bounds the scan). */
const URL_PATH = /(\b[a-z][\w+.-]*:\/\/[^\s/'"`]+)\/[^\s'"`]*/g;

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

/** What a signature may leave out; production code passes nothing. */
export type SignatureOptions = KeyLineOptions;

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
export function explainSignature(
  lines: readonly SnapshotLine[],
  options: SignatureOptions = {},
): ExplainedSignature {
  const matches = matchRules(lines, options);
  const found = findKeyLines(lines, matches);
  const keyIndices = found ? found.keyIndices.slice(0, MAX_KEY_LINES) : lastWithText(lines);
  const keyLines = keyIndices.map((index) => keyLineOf(lines[index]!));
  const details = signatureDetails(lines, found, keyIndices, matches).map((index) =>
    keyLineOf(lines[index]!),
  );
  const rule = found?.rule.id ?? NO_MATCH_RULE;
  const hashed = [...keyLines, ...details];
  // Nothing to group on when no rule matched, or when every hashed line is one that unrelated failures print alike.
  const strong =
    found !== undefined &&
    strengthOf(found.rule) === 'strong' &&
    hashed.some((line) => !isGenericLine(line.text));
  const signature: FailureSignature = {
    signature: hashOf(rule, hashed, found?.rule.category === 'network', failedTestCount(lines)),
    strength: strong ? 'strong' : 'weak',
    rule,
    category: found?.rule.category ?? 'unknown',
    keyLines,
  };
  return { signature, details };
}

/**
 * A network failure hits whichever download was in flight: the host it could not reach is the cause, the path on it
 * (which package, which repository) is chance, so it is masked. The runner's count of failed tests is hashed unmasked:
 * the same first failure alone and among ten others are different failures.
 */
function hashOf(
  rule: string,
  keyLines: readonly KeyLine[],
  network: boolean,
  failedTests: number | undefined,
): string {
  const hash = createHash('sha256').update(SIGNATURE_VERSION).update('\n').update(rule);
  for (const { text } of keyLines) {
    const masked = maskVolatile(text);
    hash.update('\n').update(network ? masked.replace(URL_PATH, '$1/<path>') : masked);
  }
  if (failedTests !== undefined) hash.update(`\nfailed tests: ${failedTests}`);
  return hash.digest('hex').slice(0, 16);
}

/**
 * A log that no rule understands is keyed on its last line, what the step printed as it ended (not the runner's or
 * the wrapper's exit lines after it).
 */
function lastWithText(lines: readonly SnapshotLine[]): number[] {
  const last = lines.findLastIndex((line) => line.text.trim().length > 0 && !isBoilerplate(line.text));
  return last >= 0 ? [last] : [];
}

function keyLineOf(line: SnapshotLine): KeyLine {
  const text = line.text.trim();
  return { line: line.line, text: text.length > KEY_LINE_CHARS ? `${text.slice(0, KEY_LINE_CHARS)}…` : text };
}
