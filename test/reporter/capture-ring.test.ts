import { describe, expect, it } from 'vitest';
import { CaptureRing, Slot } from '../../services/reporter/capture-ring';

const bytes = (text: string) => Buffer.from(text, 'latin1');

describe('Class: CaptureRing', () => {
  it('hands out written bytes in order, across the end of its buffer', () => {
    // Prepare
    const ring = new CaptureRing(1024);
    ring.write(new Uint8Array(1000));
    ring.release(ring.peek(1024).length);

    // Act
    const copied = ring.write(bytes(`${'a'.repeat(24)}${'b'.repeat(40)}`));
    const first = Buffer.from(ring.peek(1024)).toString('latin1');
    ring.release(first.length);
    const second = Buffer.from(ring.peek(1024)).toString('latin1');

    // Assess
    expect(copied).toBe(64);
    expect(first).toBe('a'.repeat(24));
    expect(second).toBe('b'.repeat(40));
  });

  it('takes only what fits and the rest once bytes are released', () => {
    // Prepare
    const ring = new CaptureRing(1024);
    const input = new Uint8Array(1500).fill(7);

    // Act
    const before = ring.write(input);
    ring.release(ring.peek(500).length);
    const after = ring.write(input, before);

    // Assess
    expect(before).toBe(1024);
    expect(after).toBe(476);
    expect(ring.used).toBe(1000);
  });

  it('keeps its counts right when they wrap around 2^32', () => {
    // Prepare
    const ring = new CaptureRing(1024);
    Atomics.store(ring.control, Slot.WRITTEN, 2 ** 31 - 10);
    Atomics.store(ring.control, Slot.READ, 2 ** 31 - 10);

    // Act
    ring.write(bytes('x'.repeat(100)));

    // Assess
    expect(ring.used).toBe(100);
    expect(ring.drain()).toEqual(new Uint8Array(bytes('x'.repeat(100))));
    expect(ring.used).toBe(0);
  });

  it('is one ring whether made here or from the shared buffer of another thread', () => {
    // Prepare
    const producer = new CaptureRing(2048);
    const consumer = new CaptureRing(producer.buffer);

    // Act
    producer.write(bytes('FAILED test_conv2d\n'));

    // Assess
    expect(Buffer.from(consumer.drain()).toString()).toBe('FAILED test_conv2d\n');
    expect(producer.used).toBe(0);
  });

  it('rejects a capacity that is not a power of two within bounds', () => {
    expect(() => new CaptureRing(1000)).toThrow(RangeError);
    expect(() => new CaptureRing(512)).toThrow(/between 1 KiB and 1 GiB/);
  });
});
