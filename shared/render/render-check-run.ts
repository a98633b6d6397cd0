/**
 * Renders an analysis as a GitHub check run: title, summary markdown and file:line annotations, within GitHub's
 * limits (summary ≤ 65,535 bytes, ≤ 50 annotations per request). The record is sanitised already; this module
 * still never lets log text out of a code span or block, since evidence is quoted verbatim.
 */

import type { AnalysisRecord } from '../contract/analysis';
import { toRepositoryPath } from '../log/workspace-paths';
import { describeOrigin } from './describe-origin';
import { sanitizeText } from './sanitize-analysis';

export const CHECK_RUN_LIMITS = {
  summaryBytes: 65_535,
  titleChars: 200,
  annotations: 50,
  annotationMessageChars: 1000,
} as const;

/**
 * The dedup facts a check run states ("seen N times in 7 days; on main: yes/no; on PRs by M other authors"), as
 * GitHub confirmed them: on main only from trusted pushes, other PRs counted by distinct authors other than this PR's.
 */
/** Other PR authors who hit the same failure before a check run calls it likely unrelated to this PR. */
export const LIKELY_UNRELATED_AUTHORS = 2;

export interface DedupFacts {
  readonly seenLast7d: number;
  readonly onMain: boolean;
  /** Distinct authors, other than this PR's, of the other PRs the signature was seen on. */
  readonly otherPrAuthors: number;
}

export interface RenderCheckRunInput {
  readonly record: AnalysisRecord;
  readonly repo: string;
  /** The job's page, e.g. `https://github.com/o/r/actions/runs/1/job/2`. */
  readonly jobUrl: string | undefined;
  /** The step's number in the job log's anchors (`#step:<n>:<line>`), when known. */
  readonly stepIndex: number | undefined;
  readonly facts: DedupFacts | undefined;
  /** The analysis was reused from an earlier failure with the same signature (its origin says where). */
  readonly fromCache: boolean;
}

export interface CheckRunAnnotation {
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly annotation_level: 'notice' | 'warning' | 'failure';
  readonly title: string;
  readonly message: string;
}

export interface RenderedCheckRun {
  readonly title: string;
  readonly summary: string;
  readonly annotations: readonly CheckRunAnnotation[];
}

/**
 * @example
 * const { title, summary, annotations } = renderCheckRun({ record, repo, jobUrl, stepIndex, facts, fromCache });
 */
export function renderCheckRun(input: RenderCheckRunInput): RenderedCheckRun {
  const { record } = input;
  const title = clip(
    oneLine(record.analysis.summary, input.repo) || 'Failure analysis',
    CHECK_RUN_LIMITS.titleChars,
  );
  return {
    title,
    summary: fitSummary(input),
    annotations: renderAnnotations(input),
  };
}

/** The job log anchor of a line: `<jobUrl>#step:<n>:<line>`. */
export function jobLogLineUrl(
  jobUrl: string,
  stepIndex: number | undefined,
  line: number | undefined,
): string {
  return stepIndex === undefined || line === undefined ? jobUrl : `${jobUrl}#step:${stepIndex}:${line}`;
}

function fitSummary(input: RenderCheckRunInput): string {
  let evidenceLimit = input.record.analysis.evidence.length;
  let summary = renderSummary(input, evidenceLimit);
  // Caps in the sanitiser keep this far below the limit; shedding evidence is the fallback should they change.
  while (byteLength(summary) > CHECK_RUN_LIMITS.summaryBytes && evidenceLimit > 0) {
    evidenceLimit = Math.floor(evidenceLimit / 2);
    summary = renderSummary(input, evidenceLimit);
  }
  return byteLength(summary) > CHECK_RUN_LIMITS.summaryBytes ? truncateBytes(summary) : summary;
}

function renderSummary(input: RenderCheckRunInput, evidenceLimit: number): string {
  const { analysis, analyst } = input.record;
  const lines: string[] = [
    `**Cause:** ${paragraph(analysis.summary, input.repo)}`,
    '',
    paragraph(analysis.rootCause, input.repo),
    '',
  ];
  const evidence = analysis.evidence.slice(0, evidenceLimit);
  if (evidence.length > 0) {
    lines.push('**Evidence**', '');
    for (const item of evidence) {
      const link =
        input.jobUrl && item.line !== undefined
          ? ` ([line ${item.line}](${jobLogLineUrl(input.jobUrl, input.stepIndex, item.line)}))`
          : '';
      lines.push(`- ${codeSpan(item.text)}${link}`);
    }
    lines.push('');
  }
  lines.push(`**Suggested fix:** ${paragraph(analysis.suggestedFix, input.repo)}`, '');
  lines.push(
    `**Category:** ${analysis.category} · **${analysis.isInfra ? 'Infrastructure' : 'Code or workflow'}** · **Confidence:** ${analysis.confidence}`,
  );
  lines.push(
    analyst.kind === 'model'
      ? `**Analyst:** model \`${oneLine(analyst.modelId)}\``
      : `**Analyst:** offline rules, no model was used (${paragraph(analyst.reason)})`,
  );
  if (input.fromCache) lines.push(reuseLine(input.record));
  if (input.facts) lines.push('', dedupLine(input.facts));
  if (input.jobUrl) lines.push('', `[Job log](${input.jobUrl})`);
  lines.push(
    '',
    `Signature \`${input.record.signature}\` (${input.record.strength}, rule \`${input.record.rule}\`)`,
  );
  return lines.join('\n');
}

function dedupLine(facts: DedupFacts): string {
  const times = facts.seenLast7d === 1 ? 'once' : `${facts.seenLast7d} times`;
  const authors = facts.otherPrAuthors === 1 ? '1 other author' : `${facts.otherPrAuthors} other authors`;
  const line = `**Seen** ${times} in 7 days; on main: ${facts.onMain ? 'yes' : 'no'}; on PRs by ${authors}`;
  if (facts.onMain) return `${line} → likely a broken trunk, not caused by this PR.`;
  // One other author could be one attacker with a fork; two independent authors is the flaky-test pattern.
  if (facts.otherPrAuthors >= LIKELY_UNRELATED_AUTHORS) return `${line} → likely not caused by this PR.`;
  return `${line}.`;
}

/** Where a reused answer came from: the ref or PR, commit and job it was first analysed on, and its trust. */
function reuseLine(record: AnalysisRecord): string {
  if (!record.origin) {
    return 'Reused from an earlier failure with the same signature (where it was first analysed is not recorded).';
  }
  const origin = describeOrigin(record.origin);
  const place =
    origin.placeKind === 'PR'
      ? `PR ${origin.placeName}`
      : `${origin.placeKind} ${codeSpan(origin.placeName)}`;
  const job = origin.jobUrl ? ` ([job](${origin.jobUrl}))` : '';
  return (
    `Reused from an earlier failure with the same signature, first analysed on ${place} at commit ` +
    `\`${origin.commit}\`${job}; ${origin.reach}.`
  );
}

function renderAnnotations(input: RenderCheckRunInput): CheckRunAnnotation[] {
  const { analysis } = input.record;
  const message = clip(
    `${oneLine(analysis.summary, input.repo)}\n\n${paragraph(analysis.suggestedFix, input.repo)}`,
    CHECK_RUN_LIMITS.annotationMessageChars,
  );
  const seen = new Set<string>();
  const annotations: CheckRunAnnotation[] = [];
  for (const file of analysis.files) {
    const path = toRepositoryPath(file.path);
    if (!path || file.line === undefined) continue;
    const key = `${path}:${file.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    annotations.push({
      path,
      start_line: file.line,
      end_line: file.line,
      annotation_level: 'warning',
      title: clip(`OSDC: ${analysis.category}`, 255),
      message,
    });
    if (annotations.length >= CHECK_RUN_LIMITS.annotations) break;
  }
  return annotations;
}

/** Free text from the analysis: sanitised again (cheap, idempotent) so no caller can skip it. */
function paragraph(text: string, repo?: string): string {
  return sanitizeText(text, { repo }).trim();
}

function oneLine(text: string, repo?: string): string {
  return paragraph(text, repo).replace(/\s+/g, ' ');
}

/** A code span that no backtick run inside the text can close early (CommonMark: a longer fence). */
function codeSpan(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence} ${flat} ${fence}`;
}

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

const encoder = new TextEncoder();

function byteLength(text: string): number {
  return encoder.encode(text).length;
}

function truncateBytes(text: string): string {
  const marker = '\n\n…(truncated)';
  const budget = CHECK_RUN_LIMITS.summaryBytes - byteLength(marker);
  const bytes = encoder.encode(text).subarray(0, budget);
  // Cutting inside a multi-byte character leaves U+FFFD; drop it.
  return `${new TextDecoder().decode(bytes).replace(/\uFFFD$/, '')}${marker}`;
}
