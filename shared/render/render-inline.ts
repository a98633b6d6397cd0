/**
 * Renders an analysis as job-log text: one `::group::` block that opens with an `::error` annotation. The single
 * renderer of the inline surface, used by the reporter in runner pods, the analyzer's local pipeline and
 * `osdc-rca analyze`.
 *
 * The analysis is derived from an attacker-controlled log, and the runner interprets workflow commands in whatever
 * the hook prints. So every field is sanitised here even though the analyzer sanitised it already: no control or
 * bidi characters, no line that the runner could read as a command (`::…` after leading spaces, `##[` anywhere),
 * and capped lengths.
 */
import type { AnalysisRecord } from '../contract/analysis';
import { stripAnsi } from '../text/normalize';
import { originSentence } from './describe-origin';

export interface RenderInlineOptions {
  /** The report this analysis answers, shown so people can find it on the dashboard. */
  readonly reportId?: string;
  /** Whether the analysis was cached from an earlier failure with the same signature: then it says where from. */
  readonly fromCache?: boolean;
}

export const INLINE_LIMITS = {
  summary: 200,
  paragraph: 1500,
  paragraphLines: 20,
  evidence: 8,
  evidenceLine: 300,
  files: 10,
  path: 200,
} as const;

const TITLE = 'OSDC failure analysis';

/**
 * @example
 * process.stdout.write(renderInline(record, { reportId }));
 */
export function renderInline(record: AnalysisRecord, options: RenderInlineOptions = {}): string {
  const { analysis, analyst } = record;
  const summary = toOneLine(analysis.summary, INLINE_LIMITS.summary) || 'No summary';
  const lines: string[] = [
    `::group::[OSDC] Failure analysis: ${escapeData(summary)}`,
    `::error title=${escapeProperty(`${TITLE} (${toOneLine(analysis.category, 20)})`)}::${escapeData(summary)}`,
    `Category: ${toOneLine(analysis.category, 20)} · confidence: ${toOneLine(analysis.confidence, 10)}`,
  ];
  if (analysis.isInfra) {
    lines.push('Looks like an infrastructure problem, not a problem with the change or the workflow.');
  }
  lines.push('Root cause:', ...toIndented(analysis.rootCause));

  const evidence = analysis.evidence.slice(0, INLINE_LIMITS.evidence);
  if (evidence.length > 0) {
    lines.push('Evidence:');
    for (const item of evidence) {
      const where = typeof item.line === 'number' && Number.isInteger(item.line) ? `line ${item.line}: ` : '';
      lines.push(`  ${where}${toOneLine(item.text, INLINE_LIMITS.evidenceLine)}`);
    }
  }
  lines.push('Suggested fix:', ...toIndented(analysis.suggestedFix));

  const files = analysis.files
    .slice(0, INLINE_LIMITS.files)
    .map((file) => {
      const path = toOneLine(file.path, INLINE_LIMITS.path);
      return typeof file.line === 'number' && Number.isInteger(file.line) ? `${path}:${file.line}` : path;
    })
    .filter(Boolean);
  if (files.length > 0) lines.push(`Files: ${files.join(', ')}`);

  const by =
    analyst.kind === 'model'
      ? `Analysis by ${toOneLine(analyst.modelId, 100)}`
      : `Offline rules analyst, no model (${toOneLine(analyst.reason, 200)})`;
  if (options.fromCache) lines.push(toOneLine(originSentence(record.origin), 500));
  const report = options.reportId ? `; report ${toOneLine(options.reportId, 64)}` : '';
  lines.push(`${by}${report}. It can be wrong: check the evidence.`, '::endgroup::');
  return `${lines.map(neutralizeCommands).join('\n')}\n`;
}

// C0 (except tab and newline), DEL, C1, line/paragraph separators, and the bidi and zero-width characters that hide
// or reorder text. Stripped before the command check, so they cannot disguise a `::` either.
const UNSAFE_CHARACTERS =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** Visible text only: no escape sequences, no control characters, tabs as spaces. */
export function sanitizeInlineText(text: string): string {
  return stripAnsi(String(text)).replace(/\r\n?/g, '\n').replace(UNSAFE_CHARACTERS, '');
}

function toOneLine(text: string, max: number): string {
  return cap(sanitizeInlineText(text).replace(/\s+/g, ' ').trim(), max);
}

function toIndented(text: string): string[] {
  const paragraph = cap(sanitizeInlineText(text).trim(), INLINE_LIMITS.paragraph);
  const lines = paragraph
    .split('\n')
    .map((line) => line.replace(/\t/g, '  ').trimEnd())
    .filter((line, index, all) => line.length > 0 || (index > 0 && all[index - 1] !== ''));
  const shown = lines.slice(0, INLINE_LIMITS.paragraphLines);
  if (lines.length > shown.length) shown.push('…');
  return (shown.length > 0 ? shown : ['(none given)']).map((line) => `  ${line}`);
}

function cap(text: string, max: number): string {
  if (text.length <= max) return text;
  // Do not cut a surrogate pair in half.
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 2)) ? max - 2 : max - 1;
  return `${text.slice(0, end)}…`;
}

/**
 * The runner reads `::command` after leading whitespace and `##[command]` anywhere in a line; our own command lines
 * (`::group::`, `::error`, `::endgroup::`) are the only ones let through.
 */
function neutralizeCommands(line: string, index: number, all: readonly string[]): string {
  const own = index === 0 || index === 1 || index === all.length - 1;
  const body = own ? line : line.replace(/^(\s*):(?=:)/, '$1: ');
  return body.replaceAll('##[', '# #[');
}

/** Escaping of a workflow command's data (the text after the final `::`). */
export function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** Escaping of a workflow command's property value (`title=…`). */
function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
