import { describe, expect, it } from 'vitest';
import {
  drawModelLatency,
  OPUS_4_6_ON_BEDROCK,
  seededRandom,
} from '../../services/local/standins/bedrock/realistic-latency';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
}

describe('Function: drawModelLatency (Opus 4.6 on Bedrock)', () => {
  it('draws the documented distribution: ~14 s median, a slow tail, ~3 % throttled', () => {
    // Prepare
    const random = seededRandom(1);

    // Act
    const draws = Array.from({ length: 5000 }, () => drawModelLatency(OPUS_4_6_ON_BEDROCK, random));

    // Assess
    const answered = draws.filter((draw) => !draw.throttled).map((draw) => draw.ms);
    const throttledShare = (draws.length - answered.length) / draws.length;
    expect(throttledShare).toBeGreaterThan(0.02);
    expect(throttledShare).toBeLessThan(0.04);
    expect(percentile(answered, 50)).toBeGreaterThan(11_000);
    expect(percentile(answered, 50)).toBeLessThan(17_000);
    expect(percentile(answered, 99)).toBeGreaterThan(30_000);
    expect(Math.min(...answered)).toBeGreaterThan(5000);
  });

  it('scales every delay and repeats itself for the same seed', () => {
    // Act
    const full = drawModelLatency(OPUS_4_6_ON_BEDROCK, seededRandom(7));
    const tenth = drawModelLatency(OPUS_4_6_ON_BEDROCK, seededRandom(7), 0.1);

    // Assess
    expect(tenth.ms).toBeCloseTo(full.ms / 10, 6);
    expect(tenth.outputTokens).toBe(full.outputTokens);
  });
});
