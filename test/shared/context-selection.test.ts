import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { selectContext } from '../../shared/context/context-selection';
import { SCORE_PATTERNS } from '../../shared/log/line-score';
import { snapshotOfText } from '../../shared/log/snapshot-lines';
import type { CaptureSnapshot } from '../../shared/log/types';
import { SIGNATURE_RULES } from '../../shared/signature/rules';
import { splitLines } from '../../shared/text/normalize';

const examples = path.resolve(import.meta.dirname, '..', '..', 'examples');
const bytesOf = (text: string) => Buffer.byteLength(text, 'utf8');

function bigLog(): string[] {
  const lines: string[] = [];
  for (let i = 0; i < 3000; i += 1) lines.push(`2026-07-30T10:00:00.0000000Z compiling unit ${i} of 5000 ok`);
  lines.push(
    "2026-07-30T10:00:01.0000000Z src/net/socket.cc:88:4: error: use of undeclared identifier 'sock_fd'",
  );
  for (let i = 0; i < 40; i += 1) lines.push(`  note ${i}: detail of the diagnostic`);
  for (let i = 0; i < 3000; i += 1) lines.push(`uploading artifact part ${i}: 💾 done`);
  return lines;
}

describe('Function: selectContext', () => {
  it.each([512, 2048, 8192, 24 * 1024])('never exceeds a budget of %i bytes', (budgetBytes) => {
    // Prepare
    const snapshot = snapshotOfText(bigLog());

    // Act
    const context = selectContext(snapshot, { budgetBytes });

    // Assess
    expect(bytesOf(context.text)).toBeLessThanOrEqual(budgetBytes);
    expect(context.bytes).toBe(bytesOf(context.text));
  });

  it('keeps the key line and the end of the log, in log order, with elision markers', () => {
    // Prepare
    const snapshot = snapshotOfText(bigLog());

    // Act
    const context = selectContext(snapshot, { budgetBytes: 8 * 1024 });

    // Assess
    expect(context.text).toContain("src/net/socket.cc:88:4: error: use of undeclared identifier 'sock_fd'");
    expect(context.lines.at(-1)!.line).toBe(6041);
    expect(context.text).toMatch(/^… [\d,]+ lines omitted …$/m);
    const numbers = context.lines.map((line) => line.line);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(context.text).not.toContain('2026-07-30T');
  });

  it('reports the line ranges it shows', () => {
    // Prepare
    const snapshot = snapshotOfText(bigLog());

    // Act
    const context = selectContext(snapshot, { budgetBytes: 8 * 1024 });

    // Assess
    const inRanges = context.lines.every(({ line }) =>
      context.ranges.some((r) => line >= r.first && line <= r.last),
    );
    expect(inRanges).toBe(true);
    expect(context.ranges.some((range) => range.first <= 3001 && range.last >= 3001)).toBe(true);
  });

  it('collapses runs of lines that differ only in digits', () => {
    // Prepare
    const lines = [
      'Receiving objects:  1% (1/500)',
      ...Array.from({ length: 100 }, (_, i) => `Receiving objects: ${i}% (${i * 5}/500)`),
      'fatal: early EOF',
    ];

    // Act
    const context = selectContext(snapshotOfText(lines), { budgetBytes: 24 * 1024 });

    // Assess
    expect(context.lines.length).toBeLessThan(10);
    expect(context.text).toContain('fatal: early EOF');
  });

  it('numbers lines from the snapshot windows and tail', () => {
    // Prepare
    const snapshot: CaptureSnapshot = {
      windows: [
        {
          firstLine: 120,
          lines: ['Traceback (most recent call last):', '  File "x.py", line 1', 'ValueError: bad'],
        },
      ],
      tail: { firstLine: 900, lines: ['cleanup', '##[error]Process completed with exit code 1.'] },
      totalLines: 901,
      totalBytes: 50_000,
      redactions: 0,
    };

    // Act
    const context = selectContext(snapshot, { budgetBytes: 4096 });

    // Assess
    expect(context.ranges).toEqual([
      { first: 120, last: 122 },
      { first: 900, last: 901 },
    ]);
    expect(context.text.split('\n')[0]).toBe('… 119 lines omitted …');
  });

  it('cuts very long lines without splitting a UTF-8 character', () => {
    // Prepare
    const lines = ['é'.repeat(20_000), 'error: boom'];

    // Act
    const context = selectContext(snapshotOfText(lines), { budgetBytes: 2048 });

    // Assess
    expect(context.text).toContain('bytes cut]');
    expect(context.text).not.toContain('\uFFFD');
    expect(bytesOf(context.text)).toBeLessThanOrEqual(2048);
  });

  it('shows small examples whole', () => {
    for (const file of ['pytest-failure.log', 'cpp-compile-error.log', 'osdc-pod-start-failure.log']) {
      // Prepare
      const snapshot = snapshotOfText(splitLines(readFileSync(path.join(examples, file), 'utf8')));

      // Act
      const context = selectContext(snapshot);

      // Assess
      expect(context.lines.length).toBe(snapshot.totalLines);
    }
  });

  it('shows a long test failure report before exceptions logged near the end', () => {
    // Prepare
    const report: string[] = ['There were 5 failures:', ''];
    for (let n = 1; n <= 5; n += 1) {
      report.push(
        `${n}) DB_test::test_case_${n}`,
        'RuntimeException: Undefined property: $_is_unbuffered',
        '',
      );
      for (const frame of ['db', 'schema', 'skeleton', 'query', 'builder', 'testcase', 'runner', 'suite']) {
        report.push(
          `/home/travis/build/o/r/tests/mocks/${frame}.php:${n}`,
          `/home/travis/build/o/r/system/${frame}.php:${n}`,
        );
      }
      report.push('');
    }
    // Exceptions that a cache logs and survives, worded differently line to line so that they are not collapsed.
    const stores = ['alpha', 'beta', 'gamma', 'delta', 'omega'];
    const noise = Array.from(
      { length: 3000 },
      (_, i) => `CacheException: flush of store ${stores[i % stores.length]} failed, retrying`,
    );
    const lines = [...Array.from({ length: 200 }, (_, i) => `test ${i} ok`), ...report, ...noise, 'Done.'];

    // Act
    const context = selectContext(snapshotOfText(lines), { budgetBytes: 24 * 1024 });

    // Assess
    for (let n = 1; n <= 5; n += 1) expect(context.text).toContain(`${n}) DB_test::test_case_${n}`);
  });

  it('keeps the output before a command failure summary', () => {
    // Prepare
    const before = Array.from({ length: 3000 }, (_, i) => `Latexmk: Run number ${i} of rule 'pdflatex'`);
    // Distinct words, so that the run is not collapsed as lines that differ only in digits.
    const output = Array.from(
      { length: 20 },
      (_, i) => `Overfull \\hbox (2.26pt too wide) in section ${String.fromCharCode(97 + i).repeat(3)}`,
    );
    const after = Array.from({ length: 2000 }, (_, i) => `uploading cache part ${i} of 2000`);
    const lines = [...before, ...output, 'The command "latexmk -pdf std" exited with 1.', ...after];

    // Act
    const context = selectContext(snapshotOfText(lines), { budgetBytes: 8 * 1024 });

    // Assess
    const shown = new Set(context.lines.map((line) => line.line));
    for (let line = 3001; line <= 3021; line += 1) expect(shown.has(line)).toBe(true);
  });
  it('shows the diagnostics after the first error of each kind at a small budget', () => {
    // Prepare
    const build = Array.from({ length: 2000 }, (_, i) => `compiling unit ${i} of 5000 ok`);
    // Distinct notes, so that the run is not collapsed as lines that differ only in digits.
    const notes = Array.from(
      { length: 30 },
      (_, i) =>
        `                 from header_${String.fromCharCode(97 + (i % 26)).repeat(1 + Math.floor(i / 26))}.h`,
    );
    // Output that is neither collapsed nor scored, so that the tail cannot reach back to the first error.
    const word = (i: number): string =>
      String.fromCharCode(97 + (i % 26)) + String.fromCharCode(97 + (Math.floor(i / 26) % 26));
    const middle = Array.from({ length: 2000 }, (_, i) => `running check ${word(i)} of the suite`);
    const traceback = [
      'Traceback (most recent call last):',
      '  File "run_tests.py", line 12, in <module>',
      '    main()',
      'RuntimeError: 3 checks failed',
    ];
    const lines = [
      ...build,
      "src/io/subprocess.h:21:29: error: unknown type name 'fd_set'",
      ...notes,
      ...middle,
      ...traceback,
      ...Array.from({ length: 500 }, (_, i) => `uploading cache part ${word(i)}`),
    ];

    // Act
    const context = selectContext(snapshotOfText(lines), { budgetBytes: 8 * 1024 });

    // Assess
    const shown = new Set(context.lines.map((line) => line.line));
    for (let line = 2001; line <= 2031; line += 1) expect(shown.has(line)).toBe(true);
    expect(context.text).toContain('RuntimeError: 3 checks failed');
  });
  it('spends no window on the lines every failed job prints', () => {
    // Prepare: a retry wrapper's `Got exit code 1` early on, the failure at the end; filler lines differ in letters,
    // so that no run of them collapses.
    const word = (i: number) =>
      [i % 10, Math.floor(i / 10) % 10, Math.floor(i / 100)].map((d) => 'abcdefghij'[d]);
    const lines = [
      ...Array.from({ length: 200 }, (_, i) => `setting up fixture ${word(i).join('')}`),
      'download attempt one',
      'Got exit code 1',
      'download attempt two',
      ...Array.from({ length: 400 }, (_, i) => `running case ${word(i).join('')} of many`),
      "src/net/socket.cc:88:4: error: use of undeclared identifier 'sock_fd'",
      ...Array.from({ length: 20 }, (_, i) => `linking target ${word(i).join('')}`),
    ];

    // Act
    const context = selectContext(snapshotOfText(lines), { budgetBytes: 2048 });

    // Assess
    expect(context.text).toContain("error: use of undeclared identifier 'sock_fd'");
    expect(context.text).not.toContain('download attempt one');
  });

  it('leaves out the rules and scorer patterns it is told to, as the cross-validation needs', () => {
    // Prepare: a compiler diagnostic in the middle of a long log of distinct lines (no run to collapse), found by
    // the compiler rule and the scorer.
    const word = (n: number) => n.toString(26).replace(/\d/g, (digit) => 'qrstuvwxyz'[Number(digit)]!);
    const filler = (from: number) =>
      Array.from({ length: 1500 }, (_, i) => `compiling unit ${word(from + i)} ok`);
    const snapshot = snapshotOfText([
      ...filler(0),
      "src/net/socket.cc:88:4: error: use of undeclared identifier 'sock_fd'",
      ...filler(5000),
    ]);
    const diagnostic = 1501;
    const shows = (context: ReturnType<typeof selectContext>) =>
      context.ranges.some((range) => range.first <= diagnostic && diagnostic <= range.last);

    // Act
    const full = selectContext(snapshot, { budgetBytes: 2048 });
    const blind = selectContext(snapshot, {
      budgetBytes: 2048,
      withoutRules: new Set(SIGNATURE_RULES.map((rule) => rule.id)),
      withoutScorePatterns: new Set(SCORE_PATTERNS.keys()),
    });

    // Assess
    expect(shows(full)).toBe(true);
    expect(shows(blind)).toBe(false);
  });
});
