import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { DeadlineExceededError, withDeadline } from '../../services/reporter/with-deadline';

describe('Function: withDeadline', () => {
  it('resolves with the value of work that finishes in time', async () => {
    // Act
    const outcome = await withDeadline(1000, async () => 'sent');

    // Assess
    expect(outcome).toEqual({ ok: true, value: 'sent' });
  });

  it('resolves with the error of work that fails, without rejecting', async () => {
    // Prepare
    const error = new Error('AccessDenied');

    // Act
    const outcome = await withDeadline(1000, () => Promise.reject(error));

    // Assess
    expect(outcome).toEqual({ ok: false, timedOut: false, error });
  });

  it('answers at the deadline when the work ignores the abort signal, and aborts the signal', async () => {
    // Prepare
    let seen: AbortSignal | undefined;
    const started = performance.now();

    // Act
    const outcome = await withDeadline(100, (signal) => {
      seen = signal;
      return new Promise(() => undefined);
    });

    // Assess
    const elapsed = performance.now() - started;
    expect(outcome.ok).toBe(false);
    expect(outcome.ok === false && outcome.timedOut).toBe(true);
    expect(outcome.ok === false && outcome.error).toBeInstanceOf(DeadlineExceededError);
    expect(seen?.aborted).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(95);
    expect(elapsed).toBeLessThan(400);
  });

  it('resolves when synchronous work throws', async () => {
    // Act
    const outcome = await withDeadline(1000, () => {
      throw new TypeError('bad');
    });

    // Assess
    expect(outcome.ok).toBe(false);
  });

  it('clears its timer once the work is done, so it never keeps the process alive', async () => {
    // Prepare
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const before = timers();

    // Act
    await withDeadline(60_000, () => sleep(1));

    // Assess
    expect(timers()).toBe(before);
  });
});
