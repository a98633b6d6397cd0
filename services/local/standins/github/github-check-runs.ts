/**
 * Check-run semantics of the stand-in, as GitHub documents them beyond the JSON schema: a conclusion completes the
 * run, completing needs a conclusion, annotations accumulate over updates, and listing by ref shows only the latest
 * run of each name unless asked for all.
 */
import type { SchemaIssue } from './github-schemas';
import type { CheckRunAnnotation, RecordedCheckRun, RunStatus } from './github-types';

export interface CheckRunBody {
  readonly name?: string;
  readonly head_sha?: string;
  readonly details_url?: string;
  readonly external_id?: string;
  readonly status?: RunStatus;
  readonly started_at?: string;
  readonly conclusion?: string;
  readonly completed_at?: string;
  readonly output?: {
    readonly title?: string;
    readonly summary?: string;
    readonly text?: string;
    readonly annotations?: readonly CheckRunAnnotation[];
  };
}

/** Rules the schema does not express; `current` is the check run being updated, if any. */
export function checkRunRuleIssues(body: CheckRunBody, current?: RecordedCheckRun): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const completing = body.status === 'completed' || body.completed_at !== undefined;
  if (completing && body.conclusion === undefined && !current?.conclusion) {
    issues.push({
      path: '/conclusion',
      message: 'is required if you provide completed_at or a status of completed',
    });
  }
  if (body.conclusion === 'stale') {
    issues.push({ path: '/conclusion', message: 'cannot be set to stale; only GitHub can set this' });
  }
  body.output?.annotations?.forEach((annotation, index) => {
    const hasColumns = annotation.start_column !== undefined || annotation.end_column !== undefined;
    if (hasColumns && annotation.start_line !== annotation.end_line) {
      issues.push({
        path: `/output/annotations/${index}`,
        message: 'start_column and end_column are only allowed when start_line equals end_line',
      });
    }
  });
  return issues;
}

export function createCheckRunState(
  id: number,
  repo: string,
  body: CheckRunBody,
  now: string,
): RecordedCheckRun {
  const concluded = body.conclusion !== undefined;
  return {
    id,
    repo,
    name: body.name ?? '',
    head_sha: body.head_sha ?? '',
    status: concluded ? 'completed' : (body.status ?? 'queued'),
    conclusion: body.conclusion ?? null,
    started_at: body.started_at ?? now,
    completed_at: concluded ? (body.completed_at ?? now) : null,
    external_id: body.external_id ?? null,
    details_url: body.details_url ?? null,
    output: {
      title: body.output?.title ?? null,
      summary: body.output?.summary ?? null,
      text: body.output?.text ?? null,
      annotations: [...(body.output?.annotations ?? [])],
    },
    updates: 0,
  };
}

export function updateCheckRunState(
  current: RecordedCheckRun,
  body: CheckRunBody,
  now: string,
): RecordedCheckRun {
  const conclusion = body.conclusion ?? current.conclusion;
  const completed = body.conclusion !== undefined || body.status === 'completed';
  return {
    ...current,
    name: body.name ?? current.name,
    details_url: body.details_url ?? current.details_url,
    external_id: body.external_id ?? current.external_id,
    started_at: body.started_at ?? current.started_at,
    status: completed ? 'completed' : (body.status ?? current.status),
    conclusion,
    completed_at: completed ? (body.completed_at ?? current.completed_at ?? now) : current.completed_at,
    output: body.output
      ? {
          title: body.output.title ?? current.output.title,
          summary: body.output.summary ?? current.output.summary,
          text: body.output.text ?? current.output.text,
          annotations: [...current.output.annotations, ...(body.output.annotations ?? [])],
        }
      : current.output,
    updates: current.updates + 1,
  };
}

export interface CheckRunFilter {
  readonly checkName: string | undefined;
  readonly status: string | undefined;
  /** GitHub's default `filter=latest`: only the most recent check run of each name. */
  readonly latestOnly: boolean;
}

/** The check runs `GET /repos/{owner}/{repo}/commits/{ref}/check-runs` lists, newest first as GitHub lists them. */
export function filterCheckRuns(
  checkRuns: readonly RecordedCheckRun[],
  filter: CheckRunFilter,
): RecordedCheckRun[] {
  const newestFirst = [...checkRuns]
    .filter((checkRun) => filter.checkName === undefined || checkRun.name === filter.checkName)
    .filter((checkRun) => filter.status === undefined || checkRun.status === filter.status)
    .sort((a, b) => b.id - a.id);
  if (!filter.latestOnly) return newestFirst;
  const seen = new Set<string>();
  return newestFirst.filter((checkRun) => {
    if (seen.has(checkRun.name)) return false;
    seen.add(checkRun.name);
    return true;
  });
}
