/**
 * Normalisation of log lines for matching. The original text stays available for display; rules, masking and the
 * model's context work on the normalised form.
 */

import { genericKindOf } from './line-genericness';

// CSI sequences (colours, cursor moves), OSC sequences (titles, hyperlinks) and lone escapes.
const ANSI =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;

// `2026-07-30T10:39:20.7140484Z ` as GitHub Actions prefixes every line.
export const ACTIONS_TIMESTAMP = /^\uFEFF?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z ?/;

const GROUP_MARKER = /^(?:##\[(?:group|endgroup)\]|::(?:group|endgroup)::)/;

/** The runner's debug and command echoes; the wrappers' exit lines are in `line-genericness.ts`. */
const RUNNER_ECHO = /^##\[(?:debug|command)\]/;

/** Removes ANSI escape sequences. */
export function stripAnsi(text: string): string {
  return text.includes('\u001b') || text.includes('\u009b') ? text.replace(ANSI, '') : text;
}

/**
 * The text of one raw line as the rules and the model see it: no ANSI, no Actions timestamp, no trailing CR, and the
 * last segment of CR-only progress output (`50%\r100%` → `100%`), as a terminal would show it.
 */
export function normalizeLine(raw: string): string {
  let line = raw;
  // Several trailing CRs (`\r\r\n` from a pty under another pty) end the line too; they must not blank it.
  let end = line.length;
  while (end > 0 && line.charCodeAt(end - 1) === 13) end -= 1;
  if (end < line.length) line = line.slice(0, end);
  const cr = line.lastIndexOf('\r');
  if (cr >= 0) {
    const timestamp = line.match(ACTIONS_TIMESTAMP)?.[0] ?? '';
    line = timestamp + line.slice(cr + 1);
  }
  line = stripAnsi(line);
  line = line.replace(ACTIONS_TIMESTAMP, '');
  return line.trimEnd();
}

/**
 * Lines that carry no information about the cause: group markers, the runner's echoes and the runner's, container
 * hooks' and OSDC wrapper's own exit lines (`genericKindOf` … `'wrapper'`). They are kept in the log but never chosen
 * as key lines or evidence.
 */
export function isBoilerplate(normalized: string): boolean {
  return (
    GROUP_MARKER.test(normalized) || RUNNER_ECHO.test(normalized) || genericKindOf(normalized) === 'wrapper'
  );
}

/** Splits a whole log into lines the way CI tools count them (`\r\n`, `\n`; a lone `\r` stays in its line). */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
