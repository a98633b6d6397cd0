/**
 * Sanitises an analysis before anyone sees it. The model read an attacker-controlled log (anyone can open a PR), so
 * its answer may carry whatever the log told it to write: HTML, tracking images, @mentions that notify people,
 * phishing links, markdown that breaks out of a code block, or a wall of text. Everything that renders an analysis
 * (check run, job log, dashboard) gets it through here.
 */
import type { ContextLine } from '../context/types';
import type { Analysis, Evidence, FileRef } from '../contract/analysis';
import { normalizeLine } from '../text/normalize';
import { SHELL_PIPE_REMOVED, safetyPasses, VOUCHING_REMOVED } from './safety-passes';
import { INVISIBLE, SANITIZE_PASSES } from './sanitize-passes';

export const ANALYSIS_LIMITS = {
  summary: 200,
  rootCause: 2000,
  suggestedFix: 2000,
  evidence: 20,
  evidenceText: 500,
  files: 50,
  path: 300,
} as const;

/** Evidence shorter than this says too little to be checked against the context (`error`, `1`). */
const MIN_EVIDENCE_CHARS = 8;

export interface SanitizeAnalysisOptions {
  /**
   * The lines the analyst saw. Evidence that does not appear in one of them is dropped, and kept evidence gets the
   * line number of the line it came from (a model's own line numbers are not trusted).
   */
  readonly contextLines: readonly ContextLine[];
  /** The repository (`owner/name`) the answer is about: links outside its own GitHub pages are removed. */
  readonly repo?: string | undefined;
}

export interface SanitizeTextOptions {
  /** The repository (`owner/name`) the text is about: links outside its own GitHub pages are removed. */
  readonly repo?: string | undefined;
}

/**
 * @example
 * const safe = sanitizeAnalysis(modelOutput, { contextLines: context.lines });
 */
export function sanitizeAnalysis(analysis: Analysis, options: SanitizeAnalysisOptions): Analysis {
  const clean = (text: string) => sanitizeText(text, options);
  return {
    summary: cap(toOneLine(clean(analysis.summary)), ANALYSIS_LIMITS.summary),
    rootCause: cap(clean(analysis.rootCause), ANALYSIS_LIMITS.rootCause),
    category: analysis.category,
    isInfra: analysis.isInfra,
    confidence: analysis.confidence,
    evidence: keepEvidenceInContext(analysis.evidence, options.contextLines)
      .slice(0, ANALYSIS_LIMITS.evidence)
      .map((item) => ({
        ...item,
        text: cap(toOneLine(clean(item.text)), ANALYSIS_LIMITS.evidenceText),
      }))
      // A log line that vouches for safety is the log's own claim; quoting it as evidence would repeat it.
      .filter((item) => !item.text.includes(VOUCHING_REMOVED) && !item.text.includes(SHELL_PIPE_REMOVED)),
    suggestedFix: cap(clean(analysis.suggestedFix), ANALYSIS_LIMITS.suggestedFix),
    files: sanitizeFiles(analysis.files),
  };
}

/**
 * Makes free text inert in markdown and plain text in one pass (and a second pass changes nothing): no HTML tags, no
 * images, links only to github.com (only to the repository's own pages when `repo` is given), no @mentions, no code
 * fences, no invisible or control characters; and it cannot vouch for safety (safety-passes.ts).
 */
export function sanitizeText(text: string, options: SanitizeTextOptions = {}): string {
  const passes = [...SANITIZE_PASSES, ...safetyPasses(options.repo)];
  return passes.reduce((current, pass) => pass.apply(current), text);
}

function keepEvidenceInContext(
  evidence: readonly Evidence[],
  contextLines: readonly ContextLine[],
): Evidence[] {
  const kept: Evidence[] = [];
  const seen = new Set<string>();
  for (const item of evidence) {
    const wanted = normalizeLine(item.text).trim();
    if (wanted.length < MIN_EVIDENCE_CHARS || seen.has(wanted)) continue;
    // The whole line beats the line the model named, which beats any line that merely contains the text.
    const match =
      contextLines.find((line) => line.text.trim() === wanted) ??
      contextLines.find((line) => line.line === item.line && line.text.includes(wanted)) ??
      contextLines.find((line) => line.text.includes(wanted));
    if (!match) continue;
    seen.add(wanted);
    kept.push({ line: match.line, text: wanted });
  }
  return kept;
}

function sanitizeFiles(files: readonly FileRef[]): FileRef[] {
  const kept: FileRef[] = [];
  for (const file of files) {
    const path = file.path.replace(INVISIBLE, '').trim();
    // A path is only ever shown or used as an annotation target: anything path-like but odd is dropped, not fixed.
    if (!path || path.length > ANALYSIS_LIMITS.path || /[\s<>`[\]()]|:\/\//.test(path)) continue;
    if (path.split('/').includes('..')) continue;
    kept.push(file.line === undefined ? { path } : { path, line: file.line });
    if (kept.length >= ANALYSIS_LIMITS.files) break;
  }
  return kept;
}

function toOneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function cap(text: string, limit: number): string {
  const trimmed = text.trim();
  if (trimmed.length <= limit) return trimmed;
  return `${trimmed.slice(0, limit - 1).trimEnd()}…`;
}
