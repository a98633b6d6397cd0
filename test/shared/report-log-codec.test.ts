import { randomBytes, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MAX_REPORT_BODY_BYTES } from '../../shared/contract/constants';
import { type FailureReport, parseFailureReport } from '../../shared/contract/failure-report';
import { decodeReportLog, encodeReportLog } from '../../shared/contract/report-log-codec';
import type { CaptureSnapshot } from '../../shared/log/types';

function lines(count: number, make: (n: number) => string): string[] {
  return Array.from({ length: count }, (_, i) => make(i));
}

function snapshotOf(tail: string[], windows: string[][], tailFirstLine = 5000): CaptureSnapshot {
  return {
    tail: { firstLine: tailFirstLine, lines: tail },
    windows: windows.map((block, i) => ({ firstLine: 100 + i * 1000, lines: block })),
    totalLines: tailFirstLine + tail.length - 1,
    totalBytes: 9_999_999,
    redactions: 3,
  };
}

function reportWith(log: FailureReport['log']): FailureReport {
  return {
    v: 1,
    id: randomUUID(),
    resultSecret: randomBytes(32).toString('base64url'),
    repo: 'pytorch/pytorch',
    runId: 30533012812,
    runAttempt: 1,
    job: 'linux-jammy-py3.10-gcc11 / test (default, 1, 5, lf.linux.4xlarge)',
    runnerName: 'arc-runner-abcde-xyz12',
    workflow: 'pull',
    exitCode: 1,
    sha: '050ce9e1226b95d6b5938bdd5e245491f7219fd8',
    ref: 'refs/pull/123456/merge',
    event: 'pull_request',
    prNumber: 123456,
    reportedAt: '2026-07-30T10:39:20.714Z',
    log,
  };
}

/** Random text does not compress: the worst case for the size limit. */
const noise = (n: number) => randomBytes(90).toString('base64') + n;

describe('Function: encodeReportLog', () => {
  it('round-trips a snapshot through gzip+base64', () => {
    // Prepare
    const snapshot = snapshotOf(
      ['##[group]Run tests', 'FAILED test_nn.py::test_conv', 'ünïcödé ✓', ''].concat(['last']),
      [['error: expected ;', '  at foo.c:1'], ['Traceback (most recent call last):']],
    );

    // Act
    const log = encodeReportLog(snapshot);

    // Assess
    expect(log.encoding).toBe('gzip+base64');
    expect(log.tailFirstLine).toBe(5000);
    expect(decodeReportLog(log)).toEqual(snapshot);
  });

  it('shrinks the oldest tail lines first to fit the budget', () => {
    // Prepare
    const snapshot = snapshotOf(lines(2500, noise), [lines(20, noise)]);

    // Act
    const log = encodeReportLog(snapshot, { maxBytes: 150_000 });
    const decoded = decodeReportLog(log);

    // Assess
    expect(JSON.stringify(log).length).toBeLessThanOrEqual(150_000);
    expect(decoded.windows).toEqual(snapshot.windows);
    expect(decoded.tail.lines).toEqual(snapshot.tail.lines.slice(-decoded.tail.lines.length));
    expect(decoded.tail.firstLine).toBe(5000 + 2500 - decoded.tail.lines.length);
    expect(decoded.tail.lines.length).toBeGreaterThan(500);
  });

  it('drops the latest windows once the tail is at its floor', () => {
    // Prepare
    const snapshot = snapshotOf(
      lines(2500, noise),
      Array.from({ length: 12 }, () => lines(60, noise)),
    );

    // Act
    const log = encodeReportLog(snapshot, { maxBytes: 100_000 });
    const decoded = decodeReportLog(log);

    // Assess
    expect(JSON.stringify(log).length).toBeLessThanOrEqual(100_000);
    expect(decoded.windows.length).toBeLessThan(12);
    expect(decoded.windows).toEqual(snapshot.windows.slice(0, decoded.windows.length));
    expect(Buffer.byteLength(decoded.tail.lines.join('\n'))).toBeGreaterThanOrEqual(32 * 1024);
  });

  it('keeps a full report of incompressible text under the queue limit', () => {
    // Prepare: a capture at its default budgets (256 KiB tail, 128 KiB windows) of random text
    const snapshot = snapshotOf(
      lines(2100, noise),
      Array.from({ length: 8 }, () => lines(128, noise)),
    );

    // Act
    const body = JSON.stringify(reportWith(encodeReportLog(snapshot)));

    // Assess
    expect(Buffer.byteLength(body)).toBeLessThan(MAX_REPORT_BODY_BYTES);
    expect(parseFailureReport(body).log.totalLines).toBe(snapshot.totalLines);
  });

  it('throws when not even an empty log fits', () => {
    // Prepare
    const snapshot = snapshotOf(['x'], []);

    // Act
    const act = () => encodeReportLog(snapshot, { maxBytes: 50 });

    // Assess
    expect(act).toThrow(expect.objectContaining({ name: 'ReportLogTooLargeError' }));
  });
});

describe('Function: decodeReportLog', () => {
  it('rejects a decompression bomb', () => {
    // Prepare
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, 'a')).toString('base64');
    const log = { ...encodeReportLog(snapshotOf(['x'], [])), tail: bomb };

    // Act
    const act = () => decodeReportLog(log);

    // Assess
    expect(act).toThrow(expect.objectContaining({ name: 'ReportLogDecodeError' }));
  });

  it('rejects text that is not gzip+base64', () => {
    // Prepare
    const log = { ...encodeReportLog(snapshotOf(['x'], [])), tail: 'not base64!' };
    const notGzip = { ...log, tail: Buffer.from('plain text').toString('base64') };

    // Act
    const acts = [() => decodeReportLog(log), () => decodeReportLog(notGzip)];

    // Assess
    for (const act of acts) expect(act).toThrow(expect.objectContaining({ name: 'ReportLogDecodeError' }));
  });
});
