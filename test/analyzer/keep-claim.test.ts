import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReportBusyError } from '../../services/analyzer/errors';
import { keepClaim } from '../../services/analyzer/keep-claim';

describe('Function: keepClaim', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('renews the claim on every tick until stopped', async () => {
    // Prepare
    vi.useFakeTimers();
    const renew = vi.fn(async () => undefined);
    const keeper = keepClaim({ renew, everyMs: 1000, onError: () => {} });

    // Act
    await vi.advanceTimersByTimeAsync(3500);
    keeper.stop();
    await vi.advanceTimersByTimeAsync(5000);

    // Assess
    expect(renew).toHaveBeenCalledTimes(3);
    expect(keeper.held).toBe(true);
  });

  it('reports the claim lost once another delivery holds it, and stops renewing', async () => {
    // Prepare
    vi.useFakeTimers();
    const renew = vi.fn(async () => {
      throw new ReportBusyError('r-1');
    });
    const keeper = keepClaim({ renew, everyMs: 1000, onError: () => {} });

    // Act
    await vi.advanceTimersByTimeAsync(3500);
    keeper.stop();

    // Assess
    expect(keeper.held).toBe(false);
    expect(renew).toHaveBeenCalledTimes(1);
  });

  it('keeps the claim and reports other renewal errors, trying again on the next tick', async () => {
    // Prepare
    vi.useFakeTimers();
    const errors: unknown[] = [];
    const renew = vi.fn(async () => {
      throw new Error('throttled');
    });
    const keeper = keepClaim({ renew, everyMs: 1000, onError: (error) => errors.push(error) });

    // Act
    await vi.advanceTimersByTimeAsync(2500);
    keeper.stop();

    // Assess
    expect(keeper.held).toBe(true);
    expect(errors).toHaveLength(2);
  });
});
