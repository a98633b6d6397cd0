import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { LogCapture } from '../../shared/log/capture';
import { CaptureStream } from '../../shared/log/capture-stream';

function chunksOf(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += size)
    chunks.push(bytes.subarray(offset, offset + size));
  return chunks;
}

async function collect(stream: CaptureStream, chunks: readonly Buffer[]): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunks),
    stream,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        out.push(chunk);
        callback();
      },
    }),
  );
  return Buffer.concat(out);
}

describe('Class: CaptureStream', () => {
  it('passes every byte through unchanged and captures the lines', async () => {
    // Prepare
    const input = Buffer.concat([
      Buffer.from('step 1\r\nprogress 10%\rprogress 100%\n'),
      Buffer.from([0xff, 0xfe, 0x0a]),
      Buffer.from('error: the build failed\n'),
    ]);
    const stream = new CaptureStream();

    // Act
    const output = await collect(stream, chunksOf(input, 3));

    // Assess
    expect(output.equals(input)).toBe(true);
    expect(stream.snapshot().tail.lines).toEqual([
      'step 1',
      'progress 10%\rprogress 100%',
      '\uFFFD\uFFFD',
      'error: the build failed',
    ]);
  });

  it('stops taking input while its reader is behind', async () => {
    // Prepare
    const stream = new CaptureStream({ highWaterMark: 16 * 1024 });
    const chunk = Buffer.alloc(8 * 1024, 'a\n');
    let accepted = 0;

    // Act: nobody reads; write until the stage asks us to wait
    while (stream.write(chunk)) accepted += 1;
    const buffered = stream.writableLength + stream.readableLength;
    const drained = new Promise((resolve) => stream.once('drain', resolve));
    stream.pipe(new PassThrough()).resume();
    await drained;

    // Assess
    expect(accepted).toBeLessThan(8);
    expect(buffered).toBeLessThanOrEqual(4 * 16 * 1024);
    expect(stream.writableLength).toBe(0);
  });

  it('keeps passing bytes through when the capture fails', async () => {
    // Prepare
    class BrokenCapture extends LogCapture {
      override write(): void {
        throw new Error('bug in capture');
      }
    }
    const input = Buffer.from('some output\nmore output\n');
    const stream = new CaptureStream({ capture: new BrokenCapture() });

    // Act
    const output = await collect(stream, chunksOf(input, 5));

    // Assess
    expect(output.equals(input)).toBe(true);
    expect(stream.captureFailure).toEqual(new Error('bug in capture'));
  });
});
