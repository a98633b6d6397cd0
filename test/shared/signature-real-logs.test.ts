import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotOfText } from '../../shared/log/snapshot-lines';
import { computeSignature } from '../../shared/signature/compute-signature';
import { splitLines } from '../../shared/text/normalize';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const dataDir = path.resolve(repoRoot, '..', 'shared', 'data');
const fixtures = path.join(dataDir, 'pytorch-fixtures', 'logs');
const exists = existsSync(fixtures);
if (!exists) console.log(`signature-real-logs: ${dataDir} is absent, skipping the tests on real logs`);
const logchunksIndex = path.join(dataDir, 'logchunks', 'index.jsonl');
const logchunksExist = existsSync(logchunksIndex);
if (!logchunksExist)
  console.log(`signature-real-logs: ${logchunksIndex} is absent, skipping the LogChunks tests`);

const signatureOf = (text: string) => computeSignature(snapshotOfText(splitLines(text)));
const read = (name: string) => readFileSync(path.join(fixtures, `${name}.log`), 'utf8');

/** Another run of the same job: other times, temp paths, ports, addresses and shard, and the log shifted down. */
function perturb(text: string): string {
  const changed = text
    .replace(/(\d{4}-\d\d-\d\dT)\d\d:\d\d:\d\d\.\d+Z/g, '$123:59:58.1234567Z')
    .replace(/\b(\d+(?:\.\d+)?)(s|ms)\b/g, '7$2')
    .replace(/\/tmp\/[\w.-]+/g, '/tmp/tmp.Zq81')
    .replace(/0x[0-9a-f]+/g, '0xdeadbeef1')
    .replace(/:(\d{4,5})\b/g, ':61234')
    .replace(/\b(\d)\/(\d)\b/g, '$2/$2');
  return `2026-01-01T00:00:00.0000000Z extra line\n2026-01-01T00:00:00.0000000Z another\n${changed}`;
}

describe.skipIf(!exists)('Function: computeSignature on real PyTorch logs', () => {
  const names = exists
    ? readFileSync(path.join(dataDir, 'pytorch-fixtures', 'index.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { id: string }).id)
    : [];

  it.each(names)('keeps the signature of %s under perturbation', (name) => {
    // Prepare
    const text = read(name);

    // Act
    const before = signatureOf(text);
    const after = signatureOf(perturb(text));

    // Assess
    expect(after.signature).toBe(before.signature);
    expect(after.keyLines[0]!.line).toBe(before.keyLines[0]!.line + 2);
  });

  it('changes the signature when a different test fails', () => {
    // Prepare
    const text = read('pytest_failures_section');

    // Act
    const other = text.replaceAll('test_cauchy_kstest_cpu_bfloat16', 'test_geometric_kstest_cpu_float16');

    // Assess
    expect(signatureOf(other).signature).not.toBe(signatureOf(text).signature);
  });

  it('changes the signature when the error differs', () => {
    // Prepare
    const text = read('python_importerror_name');

    // Act
    const other = text.replaceAll('python_constant_richcompare_impl', 'python_len_impl');

    // Assess
    expect(signatureOf(other).signature).not.toBe(signatureOf(text).signature);
  });
});

interface LogChunk {
  readonly id: string;
  readonly repo: string;
  readonly text: string;
  readonly label: string;
}

/**
 * Repositories whose failures are told apart only by the signature's detail lines: Emacs backtraces under a bare
 * exit code, sbt's message-less exceptions, Common Test's time limits, Jest and ScalaTest results.
 */
const DETAIL_REPOSITORIES = [
  'purcell/emacs.d',
  'scala/scala',
  'processone/ejabberd',
  'postcss/autoprefixer',
  'twitter/finagle',
];

function readLogChunks(repos: readonly string[]): LogChunk[] {
  return readFileSync(logchunksIndex, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { id: string; repo: string; log_path: string; label_chunk: string })
    .filter((row) => repos.includes(row.repo))
    .map((row) => ({
      id: row.id,
      repo: row.repo,
      text: readFileSync(path.join(dataDir, 'logchunks', row.log_path), 'utf8'),
      label: row.label_chunk,
    }));
}

/** The labelled failure with numbers, hex and paths masked, as the grouping benchmark compares labels. */
function labelKey(label: string): string {
  return label
    .replace(/(?:[A-Za-z]:)?(?:[\\/][^\s\\/:'"]+)+[\\/]?/g, '<path>')
    .replace(/\b(?=[0-9a-f]*\d)[0-9a-f]{6,}\b/gi, '<hex>')
    .replace(/\d+/g, '0')
    .replace(/\s+/g, ' ')
    .trim();
}

describe.skipIf(!logchunksExist)('Function: computeSignature on real Travis logs', () => {
  const logs = logchunksExist ? readLogChunks(DETAIL_REPOSITORIES) : [];
  const signatures = new Map(logs.map((log) => [log.id, signatureOf(log.text).signature]));

  it.each(logs.map((log) => log.id))('keeps the signature of %s under perturbation', (id) => {
    // Prepare
    const log = logs.find((entry) => entry.id === id)!;

    // Act
    const after = signatureOf(perturb(log.text));

    // Assess
    expect(after.signature).toBe(signatures.get(id));
  });

  it.each(['purcell/emacs.d', 'scala/scala', 'processone/ejabberd'])(
    'gives different labelled failures of %s different signatures',
    (repo) => {
      // Prepare
      const ofRepo = logs.filter((log) => log.repo === repo);

      // Act
      const merged = ofRepo.flatMap((a, i) =>
        ofRepo
          .slice(i + 1)
          .filter(
            (b) => signatures.get(a.id) === signatures.get(b.id) && labelKey(a.label) !== labelKey(b.label),
          )
          .map((b) => `${a.id} / ${b.id}`),
      );

      // Assess
      expect(ofRepo.length).toBeGreaterThan(1);
      expect(merged).toEqual([]);
    },
  );
});
