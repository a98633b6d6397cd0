/**
 * Secrets a terminal wrapped over consecutive lines. A line exactly as wide as a common wrap width, followed by a
 * non-empty line, may be one line cut in two — a token split in halves, or a key word (`Bearer`, `password=`) on one
 * row and its value on the next: the rows are joined and searched again, and every secret found is redacted in
 * each row it touches. Joining only at wrap widths keeps ordinary consecutive lines apart (a `key=` at the end of
 * one line and a word at the start of the next would otherwise make a false secret).
 */
import { ACTIONS_TIMESTAMP } from '../text/normalize';
import type { SecretRange } from './secret-ranges';

/** Terminal and tool wrap widths: 80-column terminals and their wider kin, PEM/MIME base64 (64, 76), textwrap (70). */
export const WRAP_WIDTHS: ReadonlySet<number> = new Set([
  64, 70, 72, 76, 79, 80, 100, 120, 132, 140, 150, 160, 180, 200, 220, 240, 250, 256,
]);

/** A secret longer than this many wrapped lines is not joined whole (a 16 × 64 = 1 KiB token is far beyond any). */
const MAX_JOINED_LINES = 16;

/**
 * For each line index, the ranges (line coordinates) of the secrets found in the joined rows of a wrapped line.
 */
export function wrappedSecretRanges(
  lines: readonly string[],
  findSecrets: (text: string) => readonly SecretRange[],
): Map<number, SecretRange[]> {
  const found = new Map<number, SecretRange[]>();
  let first = 0;
  while (first < lines.length - 1) {
    let last = first;
    while (
      last < lines.length - 1 &&
      last - first < MAX_JOINED_LINES - 1 &&
      endsAtWrap(lines[last]!) &&
      body(lines[last + 1]!).length > 0
    ) {
      last += 1;
    }
    if (last > first) addJoinedSecrets(lines, first, last, findSecrets, found);
    first = Math.max(first + 1, last);
  }
  return found;
}

function addJoinedSecrets(
  lines: readonly string[],
  first: number,
  last: number,
  findSecrets: (text: string) => readonly SecretRange[],
  found: Map<number, SecretRange[]>,
): void {
  // Each line's piece of the joined text, and where the piece starts in its line (after an Actions timestamp).
  const pieces: Array<{ index: number; from: number; at: number; length: number }> = [];
  let joined = '';
  for (let index = first; index <= last; index++) {
    const line = lines[index]!;
    const from = index === first ? 0 : line.length - body(line).length;
    pieces.push({ index, from, at: joined.length, length: line.length - from });
    joined += line.slice(from);
  }
  for (const secret of findSecrets(joined)) {
    // Also secrets inside one piece: a key word at the end of one row makes its value, alone on the next, a secret.
    for (const piece of pieces) {
      if (secret.start >= piece.at + piece.length || secret.end <= piece.at) continue;
      const start = Math.max(secret.start, piece.at) - piece.at + piece.from;
      const end = Math.min(secret.end, piece.at + piece.length) - piece.at + piece.from;
      const list = found.get(piece.index) ?? [];
      list.push({ start, end, id: secret.id });
      found.set(piece.index, list);
    }
  }
}

/** An Actions timestamp is at most this long (`2026-07-30T10:39:20.7140484Z `, with a BOM). */
const MAX_STAMP_CHARS = 40;
const MIN_WIDTH = Math.min(...WRAP_WIDTHS);
const MAX_WIDTH = Math.max(...WRAP_WIDTHS);

function endsAtWrap(line: string): boolean {
  // Most lines are too short or too long to be a wrapped row: no timestamp regex for them.
  if (line.length < MIN_WIDTH || line.length > MAX_WIDTH + MAX_STAMP_CHARS) return false;
  return WRAP_WIDTHS.has(body(line).length);
}

/** The line without the timestamp GitHub Actions puts before it: the terminal never saw that. */
function body(line: string): string {
  const stamp = ACTIONS_TIMESTAMP.exec(line);
  return stamp ? line.slice(stamp[0].length) : line;
}
