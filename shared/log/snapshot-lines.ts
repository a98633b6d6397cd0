/**
 * The lines of a capture snapshot in log order, each with its 1-based line number and its normalised text. Context
 * selection and the failure signature both start from this one flattening, so they agree on numbering.
 */
import { normalizeLine } from '../text/normalize';
import type { CaptureSnapshot, LineBlock } from './types';

export interface SnapshotLine {
  /** 1-based line number in the step's log. */
  readonly line: number;
  /** Normalised text: no ANSI, no Actions timestamp, last CR segment only. */
  readonly text: string;
}

/**
 * Flattens windows and tail, in log order. Windows that overlap the tail or each other (a capture should not produce
 * them, a hand-built snapshot might) contribute each line number once.
 */
export function snapshotLines(snapshot: CaptureSnapshot): SnapshotLine[] {
  const blocks: LineBlock[] = [...snapshot.windows, snapshot.tail].sort((a, b) => a.firstLine - b.firstLine);
  const lines: SnapshotLine[] = [];
  let next = 1;
  for (const block of blocks) {
    block.lines.forEach((raw, offset) => {
      const line = block.firstLine + offset;
      if (line < next) return;
      lines.push({ line, text: normalizeLine(raw) });
      next = line + 1;
    });
  }
  return lines;
}

/** A whole log as a snapshot with no windows, for callers that hold the full text (tests, fixtures). */
export function snapshotOfText(lines: readonly string[], totalBytes = 0): CaptureSnapshot {
  return {
    tail: { firstLine: 1, lines },
    windows: [],
    totalLines: lines.length,
    totalBytes,
    redactions: 0,
  };
}
