/**
 * `npm run bench:dashboard`: latency of the dashboard's list API over a realistic State table.
 *
 * Seeds 10,000 signatures and 100,000 occurrences into DynamoDB Local through the analyzer's own writer
 * (recordOccurrence), in time order with each write's clock at its occurrence time, so stored window counts go
 * stale exactly as in production. Then times the first page of /api/signatures in-process (app.request, JSON
 * included) for each window and with filters, and prints p50/p99.
 *
 * DynamoDB Local runs in memory (on disk it is several times slower to seed). OSDC_BENCH_DATA_DIR=<folder> keeps
 * the seeded table there and reuses it on the next run with the same sizes (OSDC_BENCH_RESEED=1 starts over).
 * Sizes: OSDC_BENCH_SIGNATURES, OSDC_BENCH_OCCURRENCES.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type Occurrence, recordOccurrence } from '../services/analyzer/occurrence-store';
import { refreshRankCounts } from '../services/analyzer/refresh-rank-counts';
import { createDashboardApp } from '../services/dashboard/app';
import { createTables, tableNames } from '../services/local/standins/aws/create-tables';
import { LOCAL_AWS, startLocalDynamo } from '../services/local/standins/aws/dynamodb-local';
import { CATEGORIES, type Category } from '../shared/contract/analysis';

// The SDK's Node 20 end-of-support notice is noise in benchmark output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const SIGNATURES = Number(process.env.OSDC_BENCH_SIGNATURES ?? 10_000);
const OCCURRENCES = Number(process.env.OSDC_BENCH_OCCURRENCES ?? 100_000);
const CONCURRENCY = 32;
const SAMPLES = 100;
const DAY = 86_400_000;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = process.env.OSDC_BENCH_DATA_DIR
  ? path.resolve(repoRoot, process.env.OSDC_BENCH_DATA_DIR)
  : undefined;
const markerFile = dataDir ? path.join(dataDir, 'seeded.json') : undefined;
const REPOS = [
  'pytorch/pytorch',
  'pytorch/vision',
  'pytorch/audio',
  'pytorch/executorch',
  'pytorch/ao',
  'pytorch/torchtitan',
  'pytorch/test-infra',
  'pytorch/xla',
];

/** Deterministic PRNG (mulberry32), so every run seeds the same history. */
function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Every signature once, the rest Zipf-like: a few signatures fail very often, most only a few times. */
function plan(now: Date): Array<{ signature: number; at: Date; variant: number }> {
  const random = prng(42);
  const events: Array<{ signature: number; at: Date; variant: number }> = [];
  for (let index = 0; index < OCCURRENCES; index += 1) {
    const signature =
      index < SIGNATURES ? index : Math.min(SIGNATURES - 1, Math.floor(SIGNATURES ** random() - 1));
    events.push({
      signature,
      at: new Date(now.getTime() - random() * 30 * DAY),
      variant: Math.floor(random() * 1e9),
    });
  }
  return events.sort((a, b) => a.at.getTime() - b.at.getTime());
}

function occurrenceOf(event: { signature: number; at: Date; variant: number }): Occurrence {
  const signature = `bench${event.signature.toString(16).padStart(11, '0')}`;
  const repo = REPOS[event.signature % REPOS.length]!;
  const category = CATEGORIES[event.signature % (CATEGORIES.length - 1)] as Category;
  const isInfra = category === 'infra' || category === 'network';
  const kind = event.variant % 10;
  const prNumber = kind < 7 ? 100_000 + (event.variant % 5_000) : undefined;
  const ref = prNumber
    ? `refs/pull/${prNumber}/merge`
    : kind < 9
      ? 'refs/heads/main'
      : 'refs/heads/release/2.9';
  const summary = `${category} failure ${event.signature}: test_module_${event.signature % 97}.py::test_case_${event.signature} fails with RuntimeError`;
  return {
    reportId: randomUUID(),
    signature,
    strength: 'strong',
    rule: 'pytest-failure',
    category,
    isInfra,
    record: {
      analysis: {
        summary,
        rootCause: `${summary}. `.repeat(6),
        category,
        isInfra,
        confidence: 'medium',
        evidence: Array.from({ length: 5 }, (_, line) => ({
          line: 1000 + line,
          text: `E   RuntimeError: ${line}`,
        })),
        suggestedFix: 'Fix the kernel and re-run the shard. '.repeat(4),
        files: [{ path: `torch/module_${event.signature % 97}.py`, line: 10 }],
      },
      analyst: { kind: 'model', modelId: 'global.anthropic.claude-opus-4-6-v1' },
      signature,
      strength: 'strong',
      rule: 'pytest-failure',
      promptVersion: 'p1',
      createdAt: event.at.toISOString(),
    },
    repo,
    ref,
    ...(prNumber ? { prNumber, prAuthor: `dev${event.variant % 1_000}` } : {}),
    // Pushes and PRs by members; one PR in ten from someone without write access.
    trusted: !prNumber || event.variant % 10 !== 0,
    workflow: 'pull',
    job: `linux-jammy-py3.10 / test (default, ${(event.variant % 5) + 1}, 5)`,
    jobId: event.variant,
    jobUrl: `https://github.com/${repo}/actions/runs/${event.variant}/job/${event.variant}`,
    runId: event.variant,
    runAttempt: 1,
    sha: event.variant.toString(16).padStart(40, '0'),
    at: event.at,
  };
}

async function seed(client: DynamoDBClient, tableName: string, now: Date): Promise<void> {
  const events = plan(now);
  const started = Date.now();
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < events.length) {
      const event = events[next++]!;
      await recordOccurrence(client, tableName, occurrenceOf(event), event.at);
      done += 1;
      if (done % 5_000 === 0) {
        const seconds = (Date.now() - started) / 1000;
        console.log(
          `  seeded ${done}/${events.length} (${Math.round(done / seconds)}/s, ${seconds.toFixed(0)} s)`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  console.log(`  seeding took ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(app: ReturnType<typeof createDashboardApp>, label: string): Promise<void> {
  const cases: Array<[string, string]> = [
    ['24h', '?window=24h'],
    ['7d', '?window=7d'],
    ['30d', '?window=30d'],
    ['7d repo=pytorch/vision', '?window=7d&repo=pytorch/vision'],
    ['7d category=oom', '?window=7d&category=oom'],
    ['7d branch=main', '?window=7d&branch=main'],
    ['24h q=module_13.py', '?window=24h&q=module_13.py'],
    ['30d q=module_13.py', '?window=30d&q=module_13.py'],
  ];
  console.log(
    `\nfirst page of /api/signatures (limit 50), ${label}; ${SAMPLES} requests each after 5 warm-up`,
  );
  console.log('case                      p50 ms   p99 ms   rows  queries  items read');
  for (const [name, search] of cases) {
    const times: number[] = [];
    let last: { items: unknown[]; stats: { queries: number; itemsRead: number } } | undefined;
    for (let sample = 0; sample < SAMPLES + 5; sample += 1) {
      const started = performance.now();
      const response = await app.request(`/api/signatures${search}`);
      last = (await response.json()) as typeof last;
      if (response.status !== 200) throw new Error(`${name}: HTTP ${response.status}`);
      if (sample >= 5) times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    console.log(
      `${name.padEnd(24)} ${percentile(times, 50).toFixed(1).padStart(7)} ${percentile(times, 99).toFixed(1).padStart(8)} ` +
        `${String(last?.items.length).padStart(6)} ${String(last?.stats.queries).padStart(8)} ${String(last?.stats.itemsRead).padStart(11)}`,
    );
  }
}

async function main(): Promise<void> {
  const wanted = { signatures: SIGNATURES, occurrences: OCCURRENCES };
  let marker: { signatures: number; occurrences: number; now: string } | undefined;
  if (dataDir && markerFile) {
    if (existsSync(markerFile) && process.env.OSDC_BENCH_RESEED !== '1') {
      marker = JSON.parse(readFileSync(markerFile, 'utf8'));
      if (marker?.signatures !== wanted.signatures || marker.occurrences !== wanted.occurrences)
        marker = undefined;
    }
    if (!marker) rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
  }

  const dynamo = await startLocalDynamo(dataDir ? { dataDir } : {});
  console.log(`dashboard bench: ${dynamo.engine} at ${dynamo.endpoint}`);
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: dynamo.endpoint });
  const names = tableNames('bench');
  try {
    let now: Date;
    if (marker) {
      now = new Date(marker.now);
      console.log(`reusing the table seeded at ${marker.now} (OSDC_BENCH_RESEED=1 to seed again)`);
    } else {
      now = new Date();
      await createTables(client, names);
      console.log(`seeding ${SIGNATURES} signatures, ${OCCURRENCES} occurrences through recordOccurrence…`);
      await seed(client, names.State, now);
    }

    const app = createDashboardApp({ client, tableName: names.State, now: () => now });
    if (!marker) {
      await measure(app, 'before any rank refresh (stored counts as the writers left them)');
      // The analyzer refreshes rank counts after its batches; its last pass ran a few minutes before this request.
      const started = performance.now();
      const refreshed = await refreshRankCounts(client, names.State, new Date(now.getTime() - 5 * 60_000));
      console.log(
        `\nrank refresh (${refreshed.windows.join(', ')}): ${refreshed.itemsRead} index items read, ` +
          `${refreshed.updated} counts lowered, ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      if (markerFile) writeFileSync(markerFile, JSON.stringify({ ...wanted, now: now.toISOString() }));
    }
    await measure(app, 'after the rank refresh');
  } finally {
    client.destroy();
    await dynamo.stop();
  }
}

await main();
