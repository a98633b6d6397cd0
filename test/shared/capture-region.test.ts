import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaptureRegion } from '../../shared/log/capture-region';

const BLOCK_BYTES = 64 * 1024;

type Step =
  | { readonly kind: 'append'; readonly length: number }
  | { readonly kind: 'cut'; readonly bytes: number }
  | { readonly kind: 'drop'; readonly keep: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('append' as const), length: fc.integer({ min: 1, max: 40_000 }) }),
  fc.record({ kind: fc.constant('cut' as const), bytes: fc.integer({ min: 0, max: 20_000 }) }),
  fc.record({ kind: fc.constant('drop' as const), keep: fc.integer({ min: 0, max: 100_000 }) }),
);

describe('Class: CaptureRegion', () => {
  it('keeps writing into its current block after cutting its end', () => {
    // Prepare
    const region = new CaptureRegion({ copyAll: true });
    const line = Buffer.alloc(1000, 0x61);

    // Act: what a capture does when line after line turns out too long: keep 1,000 bytes, take 500 back.
    for (let i = 0; i < 50; i++) {
      region.append(line, 0, line.length);
      region.truncateEnd(region.end - 500);
    }

    // Assess
    expect(region.end).toBe(25_000);
    expect(region.heldBytes).toBe(BLOCK_BYTES);
  });

  it.each([
    { mode: 'copying every byte', copyAll: true },
    { mode: 'keeping large chunks by reference', copyAll: false },
  ])('reads back exactly the bytes appended and not cut or dropped, $mode', ({ copyAll }) => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
        // Prepare
        const region = new CaptureRegion({ copyAll });
        let written = Buffer.alloc(0);
        let next = 0;

        for (const { kind, ...arg } of steps) {
          // Act
          if (kind === 'append' && 'length' in arg) {
            const chunk = Buffer.alloc(arg.length);
            for (let i = 0; i < chunk.length; i++) chunk[i] = next++ % 251;
            region.append(chunk, 0, chunk.length);
            written = Buffer.concat([written, chunk]);
            // A writer in copying mode reuses its buffer: nothing may still point into it.
            if (copyAll) chunk.fill(0xff);
          } else if (kind === 'cut' && 'bytes' in arg) {
            const newEnd = Math.max(region.start, region.end - arg.bytes);
            region.truncateEnd(newEnd);
            written = written.subarray(0, newEnd);
          } else if ('keep' in arg) {
            region.dropBefore(region.end - arg.keep);
          }

          // Assess
          expect(region.end).toBe(written.length);
          expect(region.start).toBeLessThanOrEqual(region.end);
          const read = Buffer.from(region.read(region.start, region.end));
          expect(read.equals(written.subarray(region.start))).toBe(true);
        }
      }),
      { seed: 1716, numRuns: 150 },
    );
  });
});
