import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FailureMarkers } from '../../services/reporter/failure-markers';

const ID_A = '11111111-1111-4111-8111-111111111111';
const ID_B = '22222222-2222-4222-8222-222222222222';
const SECRET = 'k'.repeat(43);

describe('Class: FailureMarkers', () => {
  let root: string;
  let dir: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'osdc-rca-markers-'));
    dir = join(root, 'state');
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('lists nothing, without creating the folder, for a job that never failed', async () => {
    // Act
    const listed = await new FailureMarkers(dir).list();

    // Assess
    expect(listed).toEqual([]);
    expect(await readdir(root)).toEqual([]);
  });

  it('lists added markers oldest first and forgets removed ones', async () => {
    // Prepare
    const markers = new FailureMarkers(dir);
    const now = Date.now();
    await markers.add({ reportId: ID_B, resultSecret: SECRET, createdAt: now - 10 });
    await markers.add({ reportId: ID_A, resultSecret: SECRET, createdAt: now - 20 });

    // Act
    const before = await markers.list(now);
    await markers.remove(ID_A);
    const after = await markers.list(now);

    // Assess
    expect(before.map((marker) => marker.reportId)).toEqual([ID_A, ID_B]);
    expect(after.map((marker) => marker.reportId)).toEqual([ID_B]);
  });

  it('drops stale and unreadable markers', async () => {
    // Prepare
    const markers = new FailureMarkers(dir);
    const now = Date.now();
    await markers.add({ reportId: ID_A, resultSecret: SECRET, createdAt: now - 25 * 60 * 60 * 1000 });
    await writeFile(join(dir, `${ID_B}.marker.json`), '{not json');

    // Act
    const listed = await markers.list(now);

    // Assess
    expect(listed).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses report ids that are not UUIDs, so no id can name a path', async () => {
    // Act
    const added = await new FailureMarkers(dir).add({
      reportId: '../../etc/passwd',
      resultSecret: SECRET,
      createdAt: Date.now(),
    });

    // Assess
    expect(added).toBe(false);
    expect(await readdir(root)).toEqual([]);
  });

  it('keeps the report secret for the later step and refuses a marker without a usable one', async () => {
    // Prepare
    const markers = new FailureMarkers(dir);

    // Act
    const kept = await markers.add({ reportId: ID_A, resultSecret: SECRET, createdAt: Date.now() });
    const refused = await markers.add({ reportId: ID_B, resultSecret: 'short', createdAt: Date.now() });

    // Assess
    expect([kept, refused]).toEqual([true, false]);
    expect(await markers.list()).toEqual([expect.objectContaining({ reportId: ID_A, resultSecret: SECRET })]);
  });

  it('clears every marker when a new job starts', async () => {
    // Prepare
    const markers = new FailureMarkers(dir);
    await markers.add({ reportId: ID_A, resultSecret: SECRET, createdAt: Date.now() });

    // Act
    await markers.clear();

    // Assess
    expect(await markers.list()).toEqual([]);
  });

  it('reports failure instead of throwing when the folder cannot be written', async () => {
    // Prepare
    const file = join(root, 'a-file');
    await writeFile(file, '');

    // Act
    const added = await new FailureMarkers(join(file, 'state')).add({
      reportId: ID_A,
      resultSecret: SECRET,
      createdAt: Date.now(),
    });

    // Assess
    expect(added).toBe(false);
  });
});
