/**
 * The failure signature: a short hash of the rule that found the failure and its masked key lines. Jobs that fail
 * for the same reason in another shard, on another runner or on another day get the same signature; a different
 * failing test or a different error gets another one.
 */
import { createHash } from 'node:crypto';
import { findKeyLines } from './find-key-lines';
import { maskVolatile } from './mask-volatile';
import { strengthOf } from './signature-rules';
import { type SnapshotLine, snapshotLines } from './snapshot-lines';
import type { CaptureSnapshot, FailureSignature, KeyLine } from './types';

/** Signature of a log where no rule matched at all: nothing to group on, so it is weak. */
const NO_MATCH_RULE = 'no-match';
/** Key lines beyond this many add nothing to grouping and make near-duplicates diverge. */
const MAX_KEY_LINES = 3;
const KEY_LINE_CHARS = 500;

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
  const found = findKeyLines(lines);
  if (!found) {
    const last = lines.findLast((line) => line.text.trim().length > 0);
    const keyLines: KeyLine[] = last ? [{ line: last.line, text: clip(last.text.trim()) }] : [];
    return {
      signature: hashOf(NO_MATCH_RULE, keyLines),
      strength: 'weak',
      rule: NO_MATCH_RULE,
      category: 'unknown',
      keyLines,
    };
  }
  const keyLines = found.keyIndices
    .slice(0, MAX_KEY_LINES)
    .map((index) => lines[index]!)
    .map((line) => ({ line: line.line, text: clip(line.text.trim()) }));
  return {
    signature: hashOf(found.rule.id, keyLines),
    strength: strengthOf(found.rule),
    rule: found.rule.id,
    category: found.rule.category,
    keyLines,
  };
}

function hashOf(rule: string, keyLines: readonly KeyLine[]): string {
  const hash = createHash('sha256').update(rule);
  for (const { text } of keyLines) hash.update('\n').update(maskVolatile(text));
  return hash.digest('hex').slice(0, 16);
}

function clip(text: string): string {
  return text.length > KEY_LINE_CHARS ? `${text.slice(0, KEY_LINE_CHARS)}…` : text;
}
