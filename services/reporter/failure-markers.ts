/**
 * Failure markers: one small file per report sent in this job, so that later hook calls (which are new wrapper
 * processes) know there is an analysis to print. They share the job's state folder with the step counter.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RESULT_SECRET_PATTERN } from '../../shared/contract/result-key';

export interface FailureMarker {
  readonly reportId: string;
  /** The report's secret: the result is read under its hash. The folder and file are the runner user's only. */
  readonly resultSecret: string;
  /**
   * Epoch ms, written once the report was sent: the inline wait's deadline counts from here. Markers older than a
   * day are stale leftovers of another job and are dropped unread.
   */
  readonly createdAt: number;
  /** Where the check run will be, for the line printed when the analysis is not ready in time. */
  readonly repo?: string;
  readonly sha?: string;
  readonly prNumber?: number;
}

const SUFFIX = '.marker.json';
const MAX_AGE_MS = 24 * 60 * 60 * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** These end up in a link in the job log: only the shapes GitHub uses. */
const REPO = /^[\w.-]{1,100}\/[\w.-]{1,100}$/;
const SHA = /^[0-9a-f]{40}$/;

/**
 * Reads, writes and deletes the markers of one folder. Every operation swallows file-system errors: a marker that
 * cannot be written only means the analysis is not printed inline (it is still on the PR's checks).
 */
export class FailureMarkers {
  constructor(readonly dir: string) {}

  async add(marker: FailureMarker): Promise<boolean> {
    if (!UUID.test(marker.reportId) || !RESULT_SECRET_PATTERN.test(marker.resultSecret)) return false;
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      await writeFile(this.pathOf(marker.reportId), JSON.stringify(marker), { mode: 0o600 });
      return true;
    } catch {
      return false;
    }
  }

  /** The live markers, oldest first; stale or unreadable ones are deleted on the way. */
  async list(now = Date.now()): Promise<FailureMarker[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const markers: FailureMarker[] = [];
    for (const name of names) {
      if (!name.endsWith(SUFFIX)) continue;
      const marker = await this.read(name);
      if (marker && now - marker.createdAt < MAX_AGE_MS) markers.push(marker);
      else await rm(join(this.dir, name), { force: true }).catch(() => undefined);
    }
    return markers.sort((a, b) => a.createdAt - b.createdAt);
  }

  async remove(reportId: string): Promise<void> {
    if (!UUID.test(reportId)) return;
    await rm(this.pathOf(reportId), { force: true }).catch(() => undefined);
  }

  /** Forgets every marker, e.g. when a new job starts on a reused runner. */
  async clear(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true }).catch(() => undefined);
  }

  private pathOf(reportId: string): string {
    return join(this.dir, `${reportId}${SUFFIX}`);
  }

  private async read(name: string): Promise<FailureMarker | undefined> {
    try {
      const value = JSON.parse(await readFile(join(this.dir, name), 'utf8')) as Partial<FailureMarker>;
      if (typeof value.reportId !== 'string' || !UUID.test(value.reportId)) return undefined;
      if (typeof value.createdAt !== 'number') return undefined;
      if (typeof value.resultSecret !== 'string' || !RESULT_SECRET_PATTERN.test(value.resultSecret))
        return undefined;
      return {
        reportId: value.reportId,
        resultSecret: value.resultSecret,
        createdAt: value.createdAt,
        ...(typeof value.repo === 'string' && REPO.test(value.repo) ? { repo: value.repo } : {}),
        ...(typeof value.sha === 'string' && SHA.test(value.sha) ? { sha: value.sha } : {}),
        ...(typeof value.prNumber === 'number' && Number.isSafeInteger(value.prNumber)
          ? { prNumber: value.prNumber }
          : {}),
      };
    } catch {
      return undefined;
    }
  }
}
