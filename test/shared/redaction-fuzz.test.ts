import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../shared/redaction/redactor';
import {
  keptByCapture,
  leakedPieces,
  PLACEMENTS,
  type Placement,
  plantSecret,
  SECRET_SHAPES,
  seededRandom,
} from '../support/planted-secrets';

// Fixed seed and run count: deterministic in CI, a few seconds on a busy machine (12,000 runs × 4 seeds passed).
const FUZZ = { seed: 1616, numRuns: 400 } as const;

const plantedCase = fc.record({
  shape: fc.integer({ min: 0, max: SECRET_SHAPES.length - 1 }),
  placement: fc.constantFrom<Placement>(...PLACEMENTS),
  seed: fc.integer(),
  // Where the capture's input is cut into chunks: anywhere, through escape codes and secrets too.
  chunks: fc.array(fc.integer({ min: 1, max: 9000 }), { minLength: 1, maxLength: 12 }),
});

function describeCase(shape: number, placement: Placement, seed: number): string {
  return `${SECRET_SHAPES[shape]!.kind}, ${placement}, seed ${seed}`;
}

describe('Redaction (fuzz): planted secrets of every known shape', () => {
  it('leaves no 8-character piece of a secret in what the redactor returns', () => {
    fc.assert(
      fc.property(plantedCase, ({ shape, placement, seed }) => {
        // Prepare
        const { log, secret, values } = plantSecret(SECRET_SHAPES[shape]!, placement, seededRandom(seed));
        const redactor = new Redactor({ values });

        // Act
        const out = redactor.redactLines(log.split('\n')).join('\n');

        // Assess
        expect(leakedPieces(out, secret), describeCase(shape, placement, seed)).toEqual([]);
        expect(out).not.toContain('\u001b');
      }),
      FUZZ,
    );
  });

  it('leaves no 8-character piece of a secret in what the capture keeps, however the stream is chunked', () => {
    fc.assert(
      fc.property(plantedCase, ({ shape, placement, seed, chunks }) => {
        // Prepare
        const { log, secret, values } = plantSecret(SECRET_SHAPES[shape]!, placement, seededRandom(seed));

        // Act
        const { kept, redactions } = keptByCapture(log, values, (i) => chunks[i % chunks.length]!);

        // Assess
        expect(leakedPieces(kept, secret), describeCase(shape, placement, seed)).toEqual([]);
        expect(kept).not.toContain('\u001b');
        // A secret in a long line's dropped middle is never kept, so nothing needs masking there.
        expect(redactions > 0 || placement === 'long-line').toBe(true);
      }),
      FUZZ,
    );
  });
});
