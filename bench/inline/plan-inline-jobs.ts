/**
 * The jobs bench:inline replays, shaped like PyTorch's OSDC jobs: build and lint jobs whose failing step is the last
 * (`cleanup_job` 1–5 s later), test jobs (`_linux-test.yml`'s `test-osdc`) with three `always()` steps after `Test`,
 * and passing jobs. Failures are first-seen signatures, shard siblings failing at about the same time (same signature,
 * not yet analysed) and repeats of a signature analysed earlier (cached).
 */
import { statSync } from 'node:fs';
import { computeSignature } from '../../shared/signature/compute-signature';
import { loadCidiff, loadLogChunks, loadPytorchFixtures, readLog } from '../shared-data';
import { snapshotOfLog } from '../snapshot-of-log';

export type InlineJobKind = 'first-seen' | 'sibling' | 'repeat' | 'passing';

export interface InlineJob {
  readonly index: number;
  readonly kind: InlineJobKind;
  /** Offset from the start of the run at which the job's first step starts, ms. */
  readonly startAtMs: number;
  /** The failing step's output; absent for a passing job. */
  readonly logPath: string | undefined;
  /** Durations of the steps after the failing one (a test job's `always()` steps), ms. */
  readonly laterStepsMs: readonly number[];
  /** Pause between the job's last step and `cleanup_job`, ms. */
  readonly cleanupAfterMs: number;
  readonly shape: 'build' | 'test' | 'passing';
}

export interface PlanOptions {
  readonly failing: number;
  readonly spreadMs: number;
  readonly random: () => number;
}

interface PoolLog {
  readonly path: string;
  readonly signature: string;
  readonly strong: boolean;
}

/** Larger logs only cost this shared machine CPU; the wait does not depend on the log's size. */
const MAX_LOG_BYTES = 256 * 1024;
/** Shares of the failing jobs; the rest are first-seen. 30 % of all jobs pass. */
const REPEAT_SHARE = 0.3;
const SIBLING_SHARE = 0.1;
const PASSING_SHARE = 0.3;
/** A repeat comes this long after its first occurrence at least: its analysis is done and cached by then. */
const REPEAT_AFTER_MS = 90_000;

/** Real failing logs with distinct signatures, each first-seen once. */
export function loadLogPool(): PoolLog[] {
  const seen = new Set<string>();
  const pool: PoolLog[] = [];
  for (const log of [...loadPytorchFixtures(), ...loadCidiff(), ...loadLogChunks()]) {
    if (statSync(log.path).size > MAX_LOG_BYTES) continue;
    const signature = computeSignature(snapshotOfLog(readLog(log)));
    if (seen.has(signature.signature)) continue;
    seen.add(signature.signature);
    pool.push({ path: log.path, signature: signature.signature, strong: signature.strength === 'strong' });
  }
  return pool;
}

export function planInlineJobs(pool: readonly PoolLog[], options: PlanOptions): InlineJob[] {
  const { random } = options;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const between = (low: number, high: number) => low + (high - low) * random();
  const repeats = Math.round(options.failing * REPEAT_SHARE);
  const siblings = Math.round(options.failing * SIBLING_SHARE);
  const firstSeen = options.failing - repeats - siblings;
  if (firstSeen > pool.length)
    throw new RangeError(`only ${pool.length} distinct failing logs for ${firstSeen}`);

  const jobs: Array<Omit<InlineJob, 'index'>> = [];
  const failingShape = (): Pick<InlineJob, 'laterStepsMs' | 'cleanupAfterMs' | 'shape'> =>
    random() < 0.4
      ? {
          shape: 'test',
          // Upload test statistics, upload artifacts, teardown: always() steps after Test.
          laterStepsMs: [between(3000, 10_000), between(4000, 20_000), between(1000, 3000)],
          cleanupAfterMs: between(1000, 3000),
        }
      : { shape: 'build', laterStepsMs: [], cleanupAfterMs: between(1000, 5000) };

  const firsts = [...pool].sort(() => random() - 0.5).slice(0, firstSeen);
  const firstJobs = firsts.map((log) => ({
    kind: 'first-seen' as const,
    startAtMs: between(0, options.spreadMs),
    logPath: log.path,
    strong: log.strong,
    ...failingShape(),
  }));
  jobs.push(...firstJobs);
  const strongFirsts = firstJobs.filter((job) => job.strong);
  for (let count = 0; count < siblings; count += 1) {
    const first = pick(strongFirsts);
    jobs.push({
      ...first,
      kind: 'sibling',
      startAtMs: first.startAtMs + between(0, 8000),
      ...failingShape(),
    });
  }
  const early = strongFirsts.filter((job) => job.startAtMs < options.spreadMs - REPEAT_AFTER_MS / 2);
  for (let count = 0; count < repeats; count += 1) {
    const first = pick(early.length > 0 ? early : strongFirsts);
    const startAtMs = first.startAtMs + REPEAT_AFTER_MS + between(0, 30_000);
    jobs.push({ ...first, kind: 'repeat', startAtMs, ...failingShape() });
  }
  const passing = Math.round((options.failing * PASSING_SHARE) / (1 - PASSING_SHARE));
  for (let count = 0; count < passing; count += 1) {
    jobs.push({
      kind: 'passing',
      startAtMs: between(0, options.spreadMs),
      logPath: undefined,
      shape: 'passing',
      laterStepsMs: [between(1000, 5000)],
      cleanupAfterMs: between(1000, 5000),
    });
  }
  return jobs
    .sort((a, b) => a.startAtMs - b.startAtMs)
    .map(({ kind, startAtMs, logPath, laterStepsMs, cleanupAfterMs, shape }, index) => ({
      index,
      kind,
      startAtMs,
      logPath,
      laterStepsMs,
      cleanupAfterMs,
      shape,
    }));
}
