/**
 * Loader for the labelled logs in ../shared/data (outside the repository, never copied into it): LogChunks (Travis),
 * CiDiff (GitHub Actions and Jenkins) and the PyTorch log-classifier fixtures. Every label is converted to line
 * numbers in our own numbering (`splitLines`: `\n` and `\r\n` end a line, a lone `\r` does not), so benchmarks can
 * compare by line number instead of guessing by text.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeLine, splitLines } from '../shared/text/normalize';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const sharedDataDir = path.resolve(repoRoot, '..', 'shared', 'data');

export type DatasetName = 'logchunks' | 'cidiff' | 'pytorch-fixtures';

export interface LabelRange {
  /** 1-based, inclusive, in `splitLines` numbering. */
  readonly first: number;
  readonly last: number;
}

export interface LabelledLog {
  readonly dataset: DatasetName;
  readonly id: string;
  readonly repo: string;
  readonly path: string;
  /** The labelled failure: one range (LogChunks, PyTorch) or CiDiff's error ranges. */
  readonly ranges: readonly LabelRange[];
  /**
   * Every place the labelled chunk occurs (LogChunks locates its label text by searching the log, so when the same
   * text repeats — a retried command, a rerun — the first occurrence is recorded though any of them is the label).
   * These are the other occurrences, each a candidate for `ranges`; empty for the other data sets.
   */
  readonly otherOccurrences: readonly LabelRange[];
  /** CiDiff's `other_cases` have annotations that look shifted; benchmarks report them apart. */
  readonly suspect: boolean;
  /** LogChunks' label text, for grouping. */
  readonly labelText: string;
}

/** Prints why the benchmark cannot run and exits 0: the data is optional, its absence is not a failure. */
export function requireSharedData(): void {
  if (!existsSync(path.join(sharedDataDir, 'logchunks', 'index.jsonl'))) {
    console.log(
      `No labelled logs at ${sharedDataDir} (expected ../shared/data next to the repository): skipping.`,
    );
    process.exit(0);
  }
}

export function readLog(log: LabelledLog): Buffer {
  return readFileSync(log.path);
}

function readIndex(dataset: DatasetName): Array<Record<string, unknown>> {
  const file = path.join(sharedDataDir, dataset, 'index.jsonl');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export function loadLogChunks(): LabelledLog[] {
  return readIndex('logchunks').map((row) => {
    const file = path.join(sharedDataDir, 'logchunks', String(row.log_path));
    const range = { first: Number(row.chunk_line_start), last: Number(row.chunk_line_end) };
    const labelText = String(row.label_chunk);
    const otherOccurrences =
      Number(row.chunk_occurrences) > 1
        ? findOtherOccurrences(readFileSync(file, 'utf8'), labelText, range)
        : [];
    return {
      dataset: 'logchunks',
      id: String(row.id),
      repo: String(row.repo),
      path: file,
      ranges: [range],
      otherOccurrences,
      suspect: false,
      labelText,
    };
  });
}

/**
 * Where else a label's text occurs: the places where the log's non-blank normalised lines read like the label's
 * (the first label line may be the end of a log line, as in the data set's own search).
 */
function findOtherOccurrences(log: string, label: string, first: LabelRange): LabelRange[] {
  const clean = (text: string): string => normalizeLine(text).trim();
  const wanted = label
    .split(/\r?\n/)
    .map(clean)
    .filter((text) => text.length > 0);
  const lines = splitLines(log).map(clean);
  const span = first.last - first.first;
  const found: LabelRange[] = [];
  if (wanted.length === 0) return found;
  for (let start = 0; start < lines.length; start += 1) {
    if (start + 1 === first.first || !lines[start]!.endsWith(wanted[0]!)) continue;
    let at = start + 1;
    let matched = 1;
    while (matched < wanted.length && at < lines.length && at <= start + span) {
      if (lines[at]!.length > 0) {
        if (lines[at] !== wanted[matched]) break;
        matched += 1;
      }
      at += 1;
    }
    if (matched === wanted.length) found.push({ first: start + 1, last: start + 1 + span });
  }
  return found;
}

export function loadCidiff(): LabelledLog[] {
  return readIndex('cidiff').map((row) => {
    const file = path.join(sharedDataDir, 'cidiff', String(row.log_path));
    const toOurs = javaToSplitLines(readFileSync(file, 'latin1'));
    const ranges = (row.label_ranges as Array<[number, number]>).map(([first, last]) => ({
      first: toOurs[first - 1] ?? first,
      last: toOurs[last - 1] ?? last,
    }));
    return {
      dataset: 'cidiff',
      id: String(row.id),
      repo: String(row.repo),
      path: file,
      ranges,
      otherOccurrences: [],
      suspect: row.gt_alignment_suspect === true,
      labelText: String(row.label_chunk),
    };
  });
}

export function loadPytorchFixtures(): LabelledLog[] {
  return readIndex('pytorch-fixtures').map((row) => ({
    dataset: 'pytorch-fixtures',
    id: String(row.id),
    repo: String(row.repo),
    path: path.join(sharedDataDir, 'pytorch-fixtures', String(row.log_path)),
    ranges: [{ first: Number(row.label_line), last: Number(row.label_line) }],
    otherOccurrences: [],
    suspect: false,
    labelText: String(row.label_chunk),
  }));
}

/**
 * Maps CiDiff's line numbers (Java `readLine`: `\r\n`, `\r` and `\n` all end a line) to ours: entry `j - 1` is the
 * `splitLines` line that holds Java line `j`.
 */
function javaToSplitLines(text: string): number[] {
  const map: number[] = [];
  let ours = 1;
  let i = 0;
  map.push(ours);
  while (i < text.length) {
    const char = text.charCodeAt(i);
    if (char === 10) {
      ours += 1;
      if (i + 1 < text.length) map.push(ours);
    } else if (char === 13) {
      if (text.charCodeAt(i + 1) === 10) {
        i += 1;
        ours += 1;
        if (i + 1 < text.length) map.push(ours);
      } else if (i + 1 < text.length) map.push(ours);
    }
    i += 1;
  }
  return map;
}

/** Lines of a log file as the capture would number them. */
export function logLines(buffer: Buffer): string[] {
  return splitLines(buffer.toString('utf8'));
}
