/**
 * The offline rules analyst: an honest analysis built only from what the signature rules found, for when no model
 * may or can be asked (no Bedrock locally, a budget spent, a model failure). It never guesses beyond the key lines
 * and always says that no model was used.
 */
import type { Analysis, Category, FileRef } from '../contract/analysis';
import { shortenWorkspacePaths } from '../log/workspace-paths';
import type { FailureSignature } from './types';

const MAX_EVIDENCE = 5;
const MAX_FILES = 10;
const SUMMARY_LINE_CHARS = 150;

const CATEGORY_LABELS: Record<Category, string> = {
  build: 'Build failure',
  test: 'Test failure',
  lint: 'Lint failure',
  dependency: 'Dependency problem',
  network: 'Network problem',
  infra: 'Infrastructure problem',
  timeout: 'Timeout',
  oom: 'Out of memory',
  cancelled: 'Cancelled',
  unknown: 'Step failed',
};

const FIX_HINTS: Record<Category, string> = {
  build: 'Fix the compile or link error shown in the key line, then rebuild.',
  test: 'Run the failing test locally and fix the assertion or the code it tests; if it passes on retry, it may be flaky.',
  lint: 'Run the linter locally and apply the fixes it reports.',
  dependency: 'Check the named package or version: pin it, fix the requirement, or update the lock file.',
  network: 'Usually transient: re-run the job. If it keeps failing, check the named host or mirror.',
  infra:
    'This looks like a runner or cluster problem, not the change: re-run the job and tell the CI infrastructure team if it repeats.',
  timeout:
    'Find the step or test that hangs or got slower; raise the timeout only if the slowdown is expected.',
  oom: 'Reduce memory use (fewer parallel jobs, smaller batches) or run on a larger runner.',
  cancelled: 'The job was cancelled; re-run it if that was not intended.',
  unknown: 'Read the key lines above and the log around them; no specific rule matched this failure.',
};

/** Categories whose failures usually come from the machine or the network rather than from the change. */
const INFRA_CATEGORIES: ReadonlySet<Category> = new Set(['infra', 'network']);

// `path/to/file.py:12`, `file.cpp:12:5`, Python's `File "path/to/file.py", line 12`.
// Absolute paths too: compilers print `/var/lib/jenkins/workspace/aten/…/Padding.cpp:118:23`; the check run maps
// workspace paths to repository paths and drops the rest.
const FILE_LINE = /(?:^|[\s"'(])(\/?(?:[\w.-]+\/)*[\w.-]+\.[A-Za-z]{1,6}):(\d+)\b/g;
const PYTHON_FRAME = /File "([^"]+)", line (\d+)/g;

/**
 * @example
 * const analysis = analyzeWithRules(signature, { reason: 'daily model budget exhausted' });
 */
export function analyzeWithRules(
  signature: FailureSignature,
  options: { readonly reason: string },
): Analysis {
  const keyLines = signature.keyLines.slice(0, MAX_EVIDENCE);
  const first = keyLines[0] ? tidy(keyLines[0].text) : undefined;
  const label = CATEGORY_LABELS[signature.category];
  const strong = signature.strength === 'strong';
  const summary = first ? `${label}: ${clip(first, SUMMARY_LINE_CHARS)}` : `${label} (no key line found)`;
  const found = first
    ? `Rule \`${signature.rule}\` matched ${signature.keyLines.length === 1 ? 'this key line' : `${signature.keyLines.length} key lines; the first is`}: ${clip(first, 300)}`
    : `Rule \`${signature.rule}\` matched, but no key line was found.`;
  return {
    summary,
    rootCause: [
      `No model was used (${options.reason}); this analysis comes from the offline rules only.`,
      found,
      strong
        ? `The rule classifies it as: ${label.toLowerCase()}.`
        : 'Only a generic error rule matched, so the cause is uncertain.',
    ].join('\n'),
    category: signature.category,
    isInfra: INFRA_CATEGORIES.has(signature.category),
    confidence: strong ? 'medium' : 'low',
    evidence: keyLines.map((keyLine) => ({ line: keyLine.line, text: keyLine.text })),
    suggestedFix: FIX_HINTS[signature.category],
    files: filesIn(keyLines.map((keyLine) => keyLine.text)),
  };
}

function filesIn(lines: readonly string[]): FileRef[] {
  const files = new Map<string, FileRef>();
  for (const line of lines) {
    for (const pattern of [PYTHON_FRAME, FILE_LINE]) {
      for (const match of line.matchAll(pattern)) {
        const path = match[1]!;
        const lineNumber = Number(match[2]);
        if (lineNumber < 1 || /^\d+(?:\.\d+)*$/.test(path)) continue;
        files.set(`${path}:${lineNumber}`, { path, line: lineNumber });
      }
    }
  }
  return [...files.values()].slice(0, MAX_FILES);
}

/** Drops the rulers around headings such as pytest's `____ TestNN.test_x ____`, which say nothing in a title. */
function tidy(text: string): string {
  const untrimmed = shortenWorkspacePaths(text);
  return untrimmed.replace(/^[\s_=*#~-]{3,}|[\s_=*#~-]{3,}$/g, '').trim() || untrimmed.trim();
}

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
