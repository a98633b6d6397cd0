/**
 * Which failing logs `npm start` replays, and as which jobs. Real logs come from ../shared/data when it is there
 * (the PyTorch fixtures first, then CiDiff's GitHub Actions logs), otherwise from the repository's `examples/`.
 * The first sample fails on main and on two PRs (a broken trunk), the second on three unrelated PRs (a flaky
 * failure), the rest once each, so the dashboard and the check runs show deduplication at work.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface ReplayJob {
  readonly repo: string;
  readonly runId: number;
  readonly jobName: string;
  readonly jobId: number;
  readonly runnerName: string;
  readonly headSha: string;
  /** What `GITHUB_SHA` is: the head commit on push, the PR's merge commit on pull_request. */
  readonly sha: string;
  readonly ref: string;
  readonly event: 'push' | 'pull_request';
  readonly prNumber?: number;
  readonly workflow: string;
}

export interface ReplaySample {
  readonly name: string;
  readonly logPath: string;
  readonly jobs: readonly ReplayJob[];
}

export type SampleSource = 'shared-data' | 'examples';

const PREFERRED_FIXTURES = [
  'pytest_failures_section',
  'pip_wheel_build_failure',
  'python_importerror_name',
  'docker_manifest_unknown',
  'gh_api_rate_limit',
  'lintrunner_general_failure',
];
const CIDIFF_SAMPLES = 2;
const REPO = 'pytorch/pytorch';

/** Logs to replay: `examples/*.log`, or real ones from the shared data folder. */
export function findSampleLogs(
  source: SampleSource,
  repoRoot: string,
): Array<{ name: string; logPath: string }> {
  if (source === 'examples') {
    const folder = path.join(repoRoot, 'examples');
    return readdirSync(folder)
      .filter((file) => file.endsWith('.log'))
      .sort()
      .map((file) => ({ name: file.replace(/\.log$/, ''), logPath: path.join(folder, file) }));
  }
  const data = sharedDataDir(repoRoot);
  const fixtures = readIndex(path.join(data, 'pytorch-fixtures'));
  const byId = new Map(fixtures.map((row) => [row.id, row]));
  const chosen = PREFERRED_FIXTURES.flatMap((id) => {
    const row = byId.get(id);
    return row ? [{ name: id, logPath: path.join(data, 'pytorch-fixtures', row.log_path) }] : [];
  });
  const cidiff = readIndex(path.join(data, 'cidiff'))
    .filter((row) => row.ci_system === 'GitHub Actions')
    .slice(0, CIDIFF_SAMPLES)
    .map((row) => ({ name: row.id, logPath: path.join(data, 'cidiff', row.log_path) }));
  return [...chosen, ...cidiff];
}

export function sharedDataDir(repoRoot: string): string {
  return path.resolve(repoRoot, '..', 'shared', 'data');
}

export function sharedDataIsPresent(repoRoot: string): boolean {
  return existsSync(path.join(sharedDataDir(repoRoot), 'pytorch-fixtures', 'index.jsonl'));
}

/** Turns sample logs into jobs: repeats for the first two, one job for each of the others. */
export function planReplay(samples: ReadonlyArray<{ name: string; logPath: string }>): ReplaySample[] {
  let runId = 9_000_000_000;
  let jobId = 50_000_000_000;
  let pr = 140_000;
  const job = (sample: number, where: { prNumber?: number; shard: number }): ReplayJob => {
    runId += 1;
    jobId += 1;
    const onPr = where.prNumber !== undefined;
    return {
      repo: REPO,
      runId,
      jobName: `test (default, ${where.shard}, 5, linux.4xlarge)`,
      jobId,
      runnerName: `linux-4xlarge-${sample}-${where.shard}-${runId % 10_000}`,
      headSha: fakeSha(runId),
      sha: onPr ? fakeSha(runId + 7_777_777) : fakeSha(runId),
      ref: onPr ? `refs/pull/${where.prNumber}/merge` : 'refs/heads/main',
      event: onPr ? 'pull_request' : 'push',
      prNumber: where.prNumber,
      workflow: 'pull',
    };
  };
  return samples.map((sample, index) => {
    const jobs =
      index === 0
        ? [
            job(index, { shard: 1 }),
            job(index, { prNumber: ++pr, shard: 2 }),
            job(index, { prNumber: ++pr, shard: 3 }),
          ]
        : index === 1
          ? [1, 2, 3].map((shard) => job(index, { prNumber: ++pr, shard }))
          : [job(index, { prNumber: ++pr, shard: 1 })];
    return { ...sample, jobs };
  });
}

function fakeSha(seed: number): string {
  let hex = '';
  let value = seed;
  while (hex.length < 40) {
    value = (value * 1_103_515_245 + 12_345) % 2 ** 31;
    hex += value.toString(16).padStart(8, '0');
  }
  return hex.slice(0, 40);
}

interface IndexRow {
  readonly id: string;
  readonly log_path: string;
  readonly ci_system?: string;
}

function readIndex(folder: string): IndexRow[] {
  const index = path.join(folder, 'index.jsonl');
  if (!existsSync(index)) return [];
  return readFileSync(index, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as IndexRow);
}
