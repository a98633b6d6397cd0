import { describe, expect, it } from 'vitest';
import { LogCapture } from '../../shared/log/capture';
import type { CaptureSnapshot } from '../../shared/log/types';
import { Redactor } from '../../shared/redaction/redactor';

/** A realistic build log line; `n` keeps lines distinct so line-number mistakes show. */
function fillerLine(n: number): string {
  return `2026-07-30T10:39:${String(n % 60).padStart(2, '0')}.7140484Z [${n}/90000] Building CXX object caffe2/CMakeFiles/torch_cpu.dir/aten/src/ATen/native/op_${n}.cpp.o`;
}

function buildLog(count: number, errors: ReadonlyMap<number, string> = new Map()): string[] {
  return Array.from({ length: count }, (_, i) => errors.get(i + 1) ?? fillerLine(i + 1));
}

function capture(
  text: string | Uint8Array,
  options: ConstructorParameters<typeof LogCapture>[0] = {},
  chunk = 65536,
) {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const logCapture = new LogCapture(options);
  for (let offset = 0; offset < bytes.length; offset += chunk)
    logCapture.write(bytes.subarray(offset, offset + chunk));
  logCapture.end();
  return logCapture.snapshot();
}

/** Every kept line must be the source line with that number. */
function expectLinesAt(snapshot: CaptureSnapshot, source: readonly string[]): void {
  for (const block of [...snapshot.windows, snapshot.tail]) {
    block.lines.forEach((line, i) => {
      expect(line).toBe(source[block.firstLine - 1 + i]);
    });
  }
}

describe('Class: LogCapture', () => {
  it('keeps a short log whole with its line count and size', () => {
    // Prepare
    const text = 'first\r\nsecond\nthird';

    // Act
    const snapshot = capture(text);

    // Assess
    expect(snapshot).toEqual({
      tail: { firstLine: 1, lines: ['first', 'second', 'third'] },
      windows: [],
      totalLines: 3,
      totalBytes: Buffer.byteLength(text),
      redactions: 0,
    });
  });

  it('keeps the last whole lines within the tail budget, numbered from 1', () => {
    // Prepare
    const source = buildLog(2000);

    // Act
    const snapshot = capture(`${source.join('\n')}\n`, { tailBytes: 4096 });

    // Assess
    expect(snapshot.totalLines).toBe(2000);
    expect(snapshot.tail.lines.at(-1)).toBe(source[1999]);
    expect(Buffer.byteLength(snapshot.tail.lines.join('\n'))).toBeLessThanOrEqual(4096);
    expect(snapshot.tail.lines.length).toBeGreaterThan(20);
    expectLinesAt(snapshot, source);
  });

  it('keeps a window of 8 lines before and 40 after an early error (its diagnostics), with its line numbers', () => {
    // Prepare
    const error = "op_17.cpp:12:5: error: 'at::Tensor' has no member named 'foo'";
    const source = buildLog(5000, new Map([[1000, error]]));

    // Act
    const snapshot = capture(`${source.join('\n')}\n`, { tailBytes: 8192 });

    // Assess
    expect(snapshot.windows).toHaveLength(1);
    expect(snapshot.windows[0]?.firstLine).toBe(992);
    expect(snapshot.windows[0]?.lines).toHaveLength(8 + 1 + 40);
    expect(snapshot.windows[0]?.lines[8]).toBe(error);
    expectLinesAt(snapshot, source);
  });

  it('gives the same snapshot whatever the chunk sizes', () => {
    // Prepare
    const errors = new Map([
      [300, 'FAILED test/test_nn.py::TestNN::test_conv - AssertionError: tensors differ'],
      [1500, 'Traceback (most recent call last):'],
      [1503, 'RuntimeError: CUDA error: device-side assert triggered'],
    ]);
    const text = `${buildLog(3000, errors).join('\r\n')}\r\nlast line without newline ünïcödé`;

    // Act
    const snapshots = [5, 7, 4093, 65536, 1 << 20].map((chunk) => capture(text, { tailBytes: 16384 }, chunk));

    // Assess
    for (const snapshot of snapshots.slice(1)) expect(snapshot).toEqual(snapshots[0]);
    expect(snapshots[0]?.windows.map((w) => w.firstLine)).toEqual([292, 1495]);
    expect(snapshots[0]?.tail.lines.at(-1)).toBe('last line without newline ünïcödé');
  });

  it('stays within its budgets on a 50 MiB stream and keeps the first error', () => {
    // Prepare
    const errors = new Map<number, string>();
    for (let line = 100; line < 30000; line += 97)
      errors.set(line, `src/file_${line}.c:1:1: error: expected ';'`);
    const block = Buffer.from(`${buildLog(30000, errors).join('\n')}\n`);
    const logCapture = new LogCapture({ tailBytes: 256 * 1024, windowBytes: 128 * 1024 });
    let written = 0;

    // Act
    while (written < 50 * 1024 * 1024) {
      logCapture.write(block);
      written += block.length;
    }
    const snapshot = logCapture.snapshot();

    // Assess
    const windowBytes = snapshot.windows.reduce((sum, w) => sum + Buffer.byteLength(w.lines.join('\n')), 0);
    expect(windowBytes).toBeLessThanOrEqual(128 * 1024);
    expect(Buffer.byteLength(snapshot.tail.lines.join('\n'))).toBeLessThanOrEqual(256 * 1024);
    expect(snapshot.windows[0]?.firstLine).toBe(92);
    expect(snapshot.totalBytes).toBe(written);
    expect(snapshot.totalLines).toBe((written / block.length) * 30000);
  });

  it('truncates a long line around a marker and keeps counting lines after it', () => {
    // Prepare
    const long = `START${'x'.repeat(100_000)}END`;
    const text = `before\n${long}\nafter\n`;

    // Act
    const snapshot = capture(text, { maxLineBytes: 1024 }, 4096);

    // Assess
    const kept = snapshot.tail.lines[1] ?? '';
    expect(snapshot.tail.lines).toHaveLength(3);
    expect(snapshot.tail.lines[2]).toBe('after');
    expect(kept.startsWith('STARTxxx')).toBe(true);
    expect(kept.endsWith('xxxEND')).toBe(true);
    expect(kept).toMatch(/…\[truncated \d+ bytes\]…/);
    expect(Buffer.byteLength(kept)).toBeLessThan(1100);
    const skipped = Number(/truncated (\d+) bytes/.exec(kept)?.[1]);
    expect(
      Buffer.byteLength(kept) -
        Buffer.byteLength(/…\[truncated \d+ bytes\]…/.exec(kept)?.[0] ?? '') +
        skipped,
    ).toBe(long.length);
  });

  it('keeps CR-only progress output as one capped line, even unfinished', () => {
    // Prepare
    const progress = Array.from({ length: 400_000 }, (_, i) => `\rDownloading ${i}/400000`).join('');
    const text = `line one\n${progress}`;

    // Act
    const snapshot = capture(text, { maxLineBytes: 8192 });

    // Assess
    expect(snapshot.totalLines).toBe(2);
    expect(snapshot.tail.lines).toHaveLength(2);
    expect(Buffer.byteLength(snapshot.tail.lines[1] ?? '')).toBeLessThan(8300);
    expect(snapshot.tail.lines[1]?.endsWith('\rDownloading 399999/400000')).toBe(true);
  });

  it('replaces invalid UTF-8 and decodes characters split across chunks', () => {
    // Prepare
    const bytes = Buffer.concat([Buffer.from('bad \xff\xfe byte\n', 'latin1'), Buffer.from('€ 日本 ✓\n')]);

    // Act
    const snapshot = capture(bytes, {}, 1);

    // Assess
    expect(snapshot.tail.lines).toEqual(['bad \uFFFD\uFFFD byte', '€ 日本 ✓']);
  });

  it('evicts the lowest-scoring windows first but spares the first and the last ones', () => {
    // Prepare: ten errors far apart; windows (8 + 1 + 40 lines of 130 bytes) hold room for about five
    const errors = new Map<number, string>();
    for (let i = 0; i < 10; i++) {
      const line = 200 + i * 200;
      errors.set(
        line,
        i === 5 ? 'FATAL ERROR: Segmentation fault (core dumped)' : `warning treated as error: e${i}`,
      );
    }
    const source = buildLog(4000, errors);

    // Act
    const snapshot = capture(`${source.join('\n')}\n`, { tailBytes: 8192, windowBytes: 5 * 49 * 130 });

    // Assess
    const triggers = snapshot.windows.map((w) => w.firstLine + 8);
    expect(triggers).toContain(200);
    expect(triggers).toContain(400);
    expect(triggers).toContain(1200);
    expect(triggers).toContain(2000);
    expect(triggers.length).toBeLessThan(10);
    expectLinesAt(snapshot, source);
  });

  it.each([
    "thread 'grid_reset' panicked at 'Ref test failed; grid doesn't match', alacritty_terminal/tests/ref.rs:125:9",
    '[12:45:05] t9502-gitweb-standalone-parse-output.sh ............ Dubious, test returned 1 (wstat 256, 0x100)',
    '  stack traceback:',
  ])('opens a window on a verdict without an error keyword: %s', (verdict) => {
    // Prepare
    const source = buildLog(5000, new Map([[1000, verdict]]));

    // Act
    const snapshot = capture(`${source.join('\n')}\n`, { tailBytes: 8192 });

    // Assess
    expect(snapshot.windows).toHaveLength(1);
    expect(snapshot.windows[0]?.lines[8]).toBe(verdict);
    expectLinesAt(snapshot, source);
  });

  it('caps each window so that windows of long lines do not crowd each other out', () => {
    // Prepare: six failures among 1,000-byte lines (PHP run-tests diffs); a window of 49 such lines is 49 KB
    const errors = new Map<number, string>();
    for (let i = 0; i < 6; i++)
      errors.set(300 + i * 300, `FAIL Bug #${i} invalid pointer [ext/pdo/tests/bug${i}.phpt]`);
    const source = Array.from(
      { length: 2400 },
      (_, i) =>
        errors.get(i + 1) ?? `${String(i % 40).padStart(3, '0')}+ ${fillerLine(i + 1).padEnd(1000, '.')}`,
    );

    // Act
    const snapshot = capture(`${source.join('\n')}\n`, { tailBytes: 8192 });

    // Assess
    const kept = (line: number): boolean =>
      snapshot.windows.some((w) => line >= w.firstLine && line < w.firstLine + w.lines.length);
    expect([...errors.keys()].filter(kept)).toEqual([...errors.keys()]);
    expectLinesAt(snapshot, source);
  });

  it('redacts kept lines with masks announced in lines it did not keep', () => {
    // Prepare
    const source = buildLog(3000, new Map([[10, '::add-mask::s3cr3t-Value-42']]));
    source[2990] = 'curl -u admin:s3cr3t-Value-42 https://example.com';
    const redactor = new Redactor();

    // Act
    const snapshot = capture(`${source.join('\n')}\n`, { tailBytes: 4096, redactor });

    // Assess
    expect(snapshot.tail.lines.join('\n')).not.toContain('s3cr3t-Value-42');
    expect(snapshot.tail.lines).toContain('curl -u admin:*** https://example.com');
    expect(snapshot.redactions).toBe(1);
  });

  it('redacts the body of a private key whose BEGIN line scrolled out of the tail', () => {
    // Prepare
    const body = Array.from(
      { length: 60 },
      (_, i) => `MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC${String(i).padStart(13, '7')}`,
    );
    const source = [
      ...buildLog(100),
      '-----BEGIN RSA PRIVATE KEY-----',
      ...body,
      '-----END RSA PRIVATE KEY-----',
      'done',
    ];

    // Act
    const snapshot = capture(`${source.join('\n')}\n`, { tailBytes: 2048 });

    // Assess
    const tail = snapshot.tail.lines;
    expect(tail.join('\n')).not.toContain('MIIEvQIBADAN');
    expect(tail.slice(-2)).toEqual(['-----END RSA PRIVATE KEY-----', 'done']);
    expect(tail.filter((line) => line === '***').length).toBe(tail.length - 2);
  });

  it('keeps its own copies with copyInput, so a writer may reuse its buffer', () => {
    // Prepare
    const errors = new Map(
      Array.from({ length: 40 }, (_, i) => [i * 997 + 500, `src/op_${i}.cpp:1:1: error: bad ${i}`]),
    );
    const source = buildLog(40_000, errors);
    const bytes = Buffer.from(`${source.join('\n')}\n`);
    const reused = Buffer.alloc(65536);
    const copying = new LogCapture({ copyInput: true, tailBytes: 32 * 1024 });

    // Act
    for (let offset = 0; offset < bytes.length; offset += reused.length) {
      const length = bytes.copy(reused, 0, offset, offset + reused.length);
      copying.write(reused.subarray(0, length));
      reused.fill(0x21);
    }
    const snapshot = copying.snapshot();

    // Assess
    expect(snapshot).toEqual(capture(bytes, { tailBytes: 32 * 1024 }));
    expect(snapshot.windows.length).toBeGreaterThan(3);
    expectLinesAt(snapshot, source);
  });

  it('finds keyword lines in chunks too dense for the scanner, as in smaller chunks', () => {
    // Prepare
    const dense = `${Array.from({ length: 12_000 }, (_, i) => `OOM OOM ${i}`).join('\n')}\n${'x\n'.repeat(200_000)}`;

    // Act
    const whole = capture(dense, {}, dense.length);
    const chunked = capture(dense, {}, 4096);

    // Assess
    expect(whole).toEqual(chunked);
    expect(whole.windows.length).toBeGreaterThan(0);
  });

  it('rejects writes after end', () => {
    // Prepare
    const logCapture = new LogCapture();
    logCapture.end();

    // Act
    const act = () => logCapture.write(Buffer.from('late\n'));

    // Assess
    expect(act).toThrow(expect.objectContaining({ name: 'CaptureEndedError' }));
  });
});
