import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeadlineExceededError, withDeadline } from '../../services/reporter/with-deadline';

describe('Function: withDeadline', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

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
    // Prepare: the test's clock, so "at the deadline" means exactly that, however busy the machine is
    vi.useFakeTimers();
    let seen: AbortSignal | undefined;
    let outcome: Awaited<ReturnType<typeof withDeadline>> | undefined;

    // Act
    void withDeadline(100, (signal) => {
      seen = signal;
      return new Promise(() => undefined);
    }).then((settled) => {
      outcome = settled;
    });
    await vi.advanceTimersByTimeAsync(99);
    const before = outcome;
    await vi.advanceTimersByTimeAsync(1);
    vi.useRealTimers();

    // Assess
    expect(before).toBeUndefined();
    expect(seen?.aborted).toBe(true);
    expect(outcome?.ok).toBe(false);
    expect(outcome?.ok === false && outcome.timedOut).toBe(true);
    expect(outcome?.ok === false && outcome.error).toBeInstanceOf(DeadlineExceededError);
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
