/**
 * Keeps a delivery's claim on its report alive while the delivery works. A live delivery can wait a long time for
 * its turn at GitHub (one content-creating request per second per process); if its claim ran out meanwhile, a
 * redelivery would take over and both would post a check run.
 */
import { ReportBusyError } from './errors';

export interface ClaimKeeper {
  /** False once another delivery has taken the claim over. */
  readonly held: boolean;
  stop(): void;
}

export interface KeepClaimOptions {
  /** Renews the claim; rejects with ReportBusyError when another delivery holds it now. */
  readonly renew: () => Promise<unknown>;
  readonly everyMs: number;
  /** A renewal that failed for another reason; the next one may still succeed before the claim runs out. */
  readonly onError: (error: unknown) => void;
}

export function keepClaim(options: KeepClaimOptions): ClaimKeeper {
  let held = true;
  let renewing = false;
  const timer = setInterval(() => {
    if (renewing || !held) return;
    renewing = true;
    options
      .renew()
      .catch((error: unknown) => {
        if (error instanceof ReportBusyError) held = false;
        else options.onError(error);
      })
      .finally(() => {
        renewing = false;
      });
  }, options.everyMs);
  // A Lambda invocation ends when its handler resolves; the renewals must never keep a local process alive either.
  timer.unref();
  return {
    get held() {
      return held;
    },
    stop: () => clearInterval(timer),
  };
}
