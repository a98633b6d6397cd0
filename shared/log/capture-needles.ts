/**
 * The keywords the capture looks for in raw bytes before it decodes a line: error keywords (a line without one is
 * only counted) and the markers of lines the redactor must see even when they are not kept.
 */
import { Buffer } from 'node:buffer';

// Keywords that lines the scorer finds strong almost always contain; the scorer then judges the decoded line. The
// scanner takes up to 32 keywords of 3 to 16 bytes in one pass, but every keyword line costs a decode and a score,
// so a keyword earns its place only if the lines it finds matter.
const ERROR_NEEDLES = [
  'rror',
  'RROR',
  'FAIL',
  // `ception`, not `xcept`: Python's `except` is on thousands of harmless lines, and no scorer pattern needs it.
  'ception',
  'fatal',
  'Fatal',
  'FATAL',
  'Timeout',
  'd out',
  'OOM',
  // Verdicts without an error keyword: Rust's `thread 'x' panicked at`, Perl prove's `Dubious, test returned N`
  // (its `Failed n/m subtests` follows inside the window), Lua's `stack traceback:` (after the message).
  "' panic",
  'Dubious',
  'k trac',
];
// Lines the redactor must see even when they are not kept: `::add-mask::` commands (`k::`) and the BEGIN/END lines
// of private keys (`KEY-----`, `BLOCK-----`).
const SECURITY_NEEDLES = ['k::', 'K::', 'Y-----', 'K-----'];

/** Every keyword, for the SIMD scanner. */
export const CAPTURE_NEEDLE_WORDS: readonly string[] = [...ERROR_NEEDLES, ...SECURITY_NEEDLES];
const NEEDLES = CAPTURE_NEEDLE_WORDS.map((needle) => Buffer.from(needle, 'latin1'));

/** A decoded line that may change the redactor's state (a mask command, a private key's edge). */
export const SECURITY_TEXT = /add-mask::|PRIVATE KEY/i;
/** The same keywords on decoded text, for lines assembled from several chunks, so chunking never changes the result. */
export const NEEDLE_TEXT = new RegExp(CAPTURE_NEEDLE_WORDS.map(escapeRegExp).join('|'));

/** Every keyword start in `bytes`, ascending, by one native search per keyword: for chunks too dense to scan. */
export function searchEachNeedle(bytes: Buffer): number[] {
  const starts: number[] = [];
  for (const needle of NEEDLES) {
    for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) starts.push(at);
  }
  return [...new Set(starts)].sort((a, b) => a - b);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}
