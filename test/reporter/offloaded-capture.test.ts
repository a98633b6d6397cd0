import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OffloadedCapture, OffloadedCaptureError } from '../../services/reporter/offloaded-capture';
import { LogCapture } from '../../shared/log/capture';
import { Redactor } from '../../shared/redaction/redactor';
import { BUNDLE_PATH, ensureBundle } from './support/reporter-bundle';

/** A build log with a failure every few thousand lines, numbered so that line-number mistakes show. */
function buildLog(lines: number): Buffer {
  const text = Array.from({ length: lines }, (_, i) =>
    i % 4001 === 4000
      ? `aten/src/ATen/native/op_${i}.cpp:12:5: error: no member named 'foo' in 'at::Tensor'`
      : `2026-07-30T10:39:20.7140484Z [${i + 1}/${lines}] Building CXX object caffe2/CMakeFiles/op_${i}.cpp.o`,
  );
  return Buffer.from(`${text.join('\n')}\nFAILED: build.ninja exited with status 1\n`);
}

async function feed(capture: OffloadedCapture, bytes: Buffer, chunk = 65536): Promise<void> {
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    await capture.write(bytes.subarray(offset, offset + chunk));
  }
}

function inlineSnapshot(bytes: Buffer, secretValues: string[] = []) {
  const capture = new LogCapture({ redactor: new Redactor({ values: secretValues }) });
  for (let offset = 0; offset < bytes.length; offset += 65536)
    capture.write(bytes.subarray(offset, offset + 65536));
  return capture.snapshot();
}

describe('Class: OffloadedCapture', () => {
  let scratch: string;
  beforeAll(() => {
    ensureBundle();
    scratch = mkdtempSync(join(tmpdir(), 'osdc-rca-offloaded-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('captures a small output without starting a thread', async () => {
    // Prepare
    const capture = new OffloadedCapture({ workerScript: BUNDLE_PATH });
    const log = buildLog(500);

    // Act
    await feed(capture, log);
    const snapshot = capture.snapshot();
    capture.close();

    // Assess
    expect(capture.offloaded).toBe(false);
    expect(snapshot).toEqual(inlineSnapshot(log));
  });

  it('captures a large output on its worker thread exactly as the inline capture does', async () => {
    // Prepare
    const capture = new OffloadedCapture({ workerScript: BUNDLE_PATH, ringBytes: 256 * 1024 });
    const log = buildLog(120_000);

    // Act
    await feed(capture, log);
    const snapshot = capture.snapshot();
    capture.close();

    // Assess
    expect(capture.offloaded).toBe(true);
    expect(snapshot.totalLines).toBe(120_001);
    expect(snapshot.windows.length).toBeGreaterThan(3);
    expect(snapshot).toEqual(inlineSnapshot(log));
  });

  it('answers snapshots mid-stream, each with everything written so far', async () => {
    // Prepare
    const capture = new OffloadedCapture({ workerScript: BUNDLE_PATH, startAfterBytes: 1024 });
    const log = buildLog(40_000);
    const half = log.lastIndexOf(10, log.length >> 1) + 1;

    // Act
    await feed(capture, log.subarray(0, half));
    const early = capture.snapshot();
    await feed(capture, log.subarray(half));
    const late = capture.snapshot();
    capture.close();

    // Assess
    expect(early.totalBytes).toBe(half);
    expect(late.totalBytes).toBe(log.length);
    expect(late.totalLines).toBe(40_001);
  });

  it("redacts the step's secret values in the worker", async () => {
    // Prepare
    const secret = 'hunter2-but-much-longer-7f3a9c';
    const capture = new OffloadedCapture({ workerScript: BUNDLE_PATH, secretValues: [secret] });
    const log = Buffer.concat([
      buildLog(30_000),
      Buffer.from(`error: login failed with password ${secret}\n`),
    ]);

    // Act
    await feed(capture, log);
    const snapshot = capture.snapshot();
    capture.close();

    // Assess
    expect(capture.offloaded).toBe(true);
    const kept = JSON.stringify(snapshot);
    expect(kept).not.toContain(secret);
    expect(kept).toContain('login failed with password ***');
    expect(snapshot.redactions).toBeGreaterThan(0);
  });

  it('lets output flow and reports the failure when its worker cannot start', async () => {
    // Prepare
    const capture = new OffloadedCapture({ workerScript: join(scratch, 'missing.cjs'), stallMs: 500 });

    // Act
    await feed(capture, buildLog(60_000));

    // Assess
    expect(() => capture.snapshot()).toThrow(OffloadedCaptureError);
    expect(capture.failure).toBeDefined();
  });

  it('gives up on a worker that stops taking bytes, within its stall limit', async () => {
    // Prepare
    const stuck = join(scratch, 'stuck.cjs');
    writeFileSync(stuck, 'setInterval(() => {}, 1000);');
    const capture = new OffloadedCapture({ workerScript: stuck, ringBytes: 64 * 1024, stallMs: 300 });
    const started = Date.now();

    // Act
    await feed(capture, buildLog(60_000));
    const elapsed = Date.now() - started;

    // Assess
    // A capture that kept waiting would hold the feed for ever; 300 ms and a busy machine's slowness fit well inside.
    expect(elapsed).toBeLessThan(10_000);
    expect(() => capture.snapshot()).toThrow(/no progress|exited/);
  });
});
