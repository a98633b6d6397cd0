import { describe, expect, it } from 'vitest';
import {
  countInWindow,
  expiredBucketNames,
  windowBucketNames,
  windowSeries,
  windowStart,
} from '../../shared/contract/window-counts';

const NOW = new Date('2026-11-25T12:30:00.000Z');

describe('Function: windowBucketNames', () => {
  it('lists the 24 hour buckets ending with the current hour', () => {
    // Act
    const names = windowBucketNames('24h', NOW);

    // Assess
    expect(names).toHaveLength(24);
    expect(names[0]).toBe('h_2026112413');
    expect(names.at(-1)).toBe('h_2026112512');
  });

  it('lists 7 and 30 day buckets ending with today, across a month boundary', () => {
    // Act
    const week = windowBucketNames('7d', NOW);
    const month = windowBucketNames('30d', NOW);

    // Assess
    expect(week).toEqual([
      'd_20261119',
      'd_20261120',
      'd_20261121',
      'd_20261122',
      'd_20261123',
      'd_20261124',
      'd_20261125',
    ]);
    expect(month[0]).toBe('d_20261027');
    expect(month).toHaveLength(30);
  });
});

describe('Function: countInWindow', () => {
  it('sums the buckets inside the window and ignores the others', () => {
    // Prepare
    const buckets = {
      h_2026112412: 5,
      h_2026112413: 2,
      h_2026112512: 1,
      d_20261118: 9,
      d_20261119: 3,
      d_20261125: 4,
    };

    // Act
    const counts = [countInWindow(buckets, '24h', NOW), countInWindow(buckets, '7d', NOW)];

    // Assess
    expect(counts).toEqual([3, 7]);
  });

  it('counts buckets ahead of now, so a slow clock cannot under-count', () => {
    // Act
    const count = countInWindow({ h_2026112513: 2, d_20261126: 1 }, '24h', NOW);

    // Assess
    expect(count).toBe(2);
  });
});

describe('Function: windowSeries', () => {
  it('returns one point per bucket, oldest first, with zeros for gaps', () => {
    // Act
    const series = windowSeries({ d_20261125: 4, d_20261123: 1 }, '7d', NOW);

    // Assess
    expect(series.map((point) => point.count)).toEqual([0, 0, 0, 0, 1, 0, 4]);
  });
});

describe('Function: expiredBucketNames', () => {
  it('expires hour buckets after 2 days and day buckets after 31 days', () => {
    // Act
    const expired = expiredBucketNames(
      ['h_2026112312', 'h_2026112311', 'd_20261025', 'd_20261024', 'total', 'd_bogus'],
      NOW,
    );

    // Assess
    expect(expired).toEqual(['h_2026112311', 'd_20261024']);
  });
});

describe('Function: windowStart', () => {
  it('returns the start of the oldest bucket of each window', () => {
    // Act
    const starts = (['24h', '7d', '30d'] as const).map((window) => windowStart(window, NOW).toISOString());

    // Assess
    expect(starts).toEqual([
      '2026-11-24T13:00:00.000Z',
      '2026-11-19T00:00:00.000Z',
      '2026-10-27T00:00:00.000Z',
    ]);
  });
});
