/**
 * What holds for the rest of a job, kept as small files in the job's state folder (emptied by `prepare_job`): every
 * hook call is a new wrapper process, so "said once per job" and "the results table keeps failing" live on disk.
 * A flag is set by one atomic exclusive create, so two hook calls never both think they were first; a tally is one
 * byte appended per event, as the step counter does.
 */
import { appendFile, mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export type JobFlag =
  /** The reason the reporter is off was printed in this job's log. */
  'off-notice-said';

export type JobTally =
  /** Rounds of Results-table reads in this job that failed or ran out of their deadline. */
  'results-read-failures';

/**
 * Failed reads after which the job stops reading the Results table: one slow read on a busy runner does not turn the
 * inline analysis off, and a hung or unreachable table costs the job at most this many read deadlines in total.
 */
export const MAX_RESULTS_READ_FAILURES = 2;

export class JobFlags {
  constructor(readonly dir: string) {}

  /** Sets the flag; resolves true only for the one call that set it first. False as well when the folder is unusable. */
  async claim(flag: JobFlag): Promise<boolean> {
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      await writeFile(this.pathOf(flag), '', { flag: 'wx', mode: 0o600 });
      return true;
    } catch {
      return false;
    }
  }

  /** Counts one more event. */
  async tally(name: JobTally): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      await appendFile(this.pathOf(name), '.', { mode: 0o600 });
    } catch {
      // Not counted: at worst the job reads a hung table a little longer, each read under its own deadline.
    }
  }

  async count(name: JobTally): Promise<number> {
    try {
      return (await stat(this.pathOf(name))).size;
    } catch {
      return 0;
    }
  }

  /** The Results table failed often enough in this job that later hook calls should not read it again. */
  async resultsUnreachable(): Promise<boolean> {
    return (await this.count('results-read-failures')) >= MAX_RESULTS_READ_FAILURES;
  }

  private pathOf(name: JobFlag | JobTally): string {
    return join(this.dir, `${name}.flag`);
  }
}
