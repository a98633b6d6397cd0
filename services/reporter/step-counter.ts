/**
 * Counts the script steps of a job, for the report's `stepIndex`: every hook call is a new wrapper process, so the
 * count lives in the job's state folder (emptied by `prepare_job`) as one byte per step, appended atomically.
 */
import { appendFile, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

const FILE = 'steps';

/** Counts this step; resolves with its 1-based index in the job, or `undefined` if the folder is not writable. */
export async function countStep(stateDir: string): Promise<number | undefined> {
  try {
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    const path = join(stateDir, FILE);
    await appendFile(path, '.', { mode: 0o600 });
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}
