/**
 * The capture's memory is bounded by its budgets, whatever the log: asserted on the buffers it holds (`heldBytes`,
 * each backing buffer counted whole), fed as the reporter's worker feeds it — one reused 64 KiB buffer, `copyInput`.
 */
import { describe, expect, it } from 'vitest';
import { LogCapture } from '../../shared/log/capture';
import { Redactor } from '../../shared/redaction/redactor';

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * What a capture with the default budgets may hold: tail (256 KiB), room for the lines before a window
 * (9 × (8 KiB + 64)), windows (128 KiB), a long line's two windows (16 KiB), rounded up to whole 64 KiB blocks plus
 * the partly filled one and 4 spare blocks: about 0.8 MiB. Abandoning a block at every long line held 3 MiB here.
 */
const HELD_BOUND = 1 * MiB;

/** Feeds `fill` into a capture through one reused buffer, as the worker does; returns the most it held. */
function feedReusingOneBuffer(capture: LogCapture, fill: (buffer: Buffer) => number): number {
  const reused = Buffer.alloc(64 * KiB);
  let most = 0;
  for (let length = fill(reused); length > 0; length = fill(reused)) {
    capture.write(reused.subarray(0, length));
    reused.fill(0x21);
    most = Math.max(most, capture.heldBytes);
  }
  return most;
}

function source(text: Buffer): (buffer: Buffer) => number {
  let at = 0;
  return (buffer) => {
    const length = text.copy(buffer, 0, at, at + buffer.length);
    at += length;
    return length;
  };
}

describe('LogCapture memory', () => {
  it('holds two fixed windows of a 100 MiB line without a newline, and shows its redacted start and end', () => {
    // Prepare
    const secret = 'AKIAQWERTYUIOPASDFGH';
    const before = Buffer.from(`${Array.from({ length: 3000 }, (_, i) => `step ${i} ok`).join('\n')}\n`);
    const end = Buffer.from(` key ${secret} END`);
    const middle = 100 * MiB - end.length;
    const capture = new LogCapture({ copyInput: true, redactor: new Redactor() });
    feedReusingOneBuffer(capture, source(before));
    let written = 0;

    // Act
    const most = feedReusingOneBuffer(capture, (buffer) => {
      const length = Math.min(buffer.length, middle - written);
      buffer.fill(0x61, 0, length);
      written += length;
      return length;
    });
    capture.write(end);
    const snapshot = capture.snapshot();

    // Assess
    expect(most).toBeLessThanOrEqual(HELD_BOUND);
    expect(capture.heldBytes).toBeLessThanOrEqual(HELD_BOUND);
    const line = snapshot.tail.lines.at(-1) ?? '';
    expect(snapshot.totalLines).toBe(3001);
    expect(line).toMatch(/^a{6000,}…\[truncated \d+ bytes\]…a+ key \*\*\* END$/);
    expect(Buffer.byteLength(line)).toBeLessThan(8 * KiB + 64);
    expect(snapshot.tail.lines.join('\n')).not.toContain(secret.slice(4, 12));
  });

  it('holds no more on a log of many long lines than its budgets allow', () => {
    // Prepare: lines of 9–40 KiB (over the 8 KiB cap), each after one or two short lines, some of them errors.
    const rows: string[] = [];
    for (let i = 0, bytes = 0; bytes < 20 * MiB; i++) {
      const row =
        i % 3 === 0
          ? 'y'.repeat(9000 + ((i * 7919) % 32000))
          : i % 17 === 1
            ? `src/a_${i}.cpp:1:1: error: bad ${i}`
            : `step ${i} ok`;
      rows.push(row);
      bytes += row.length + 1;
    }
    const text = Buffer.from(`${rows.join('\n')}\n`);
    const capture = new LogCapture({ copyInput: true });

    // Act
    const most = feedReusingOneBuffer(capture, source(text));
    const snapshot = capture.snapshot();

    // Assess
    expect(most).toBeLessThanOrEqual(HELD_BOUND);
    expect(snapshot.totalLines).toBe(rows.length);
    expect(snapshot.windows.length).toBeGreaterThan(0);
    snapshot.tail.lines.forEach((line, i) => {
      const row = rows[snapshot.tail.firstLine - 1 + i]!;
      if (row.length > 8 * KiB) expect(line).toMatch(/^y{6000,}…\[truncated \d+ bytes\]…y{2000,}$/);
      else expect(line).toBe(row);
    });
  });
});
