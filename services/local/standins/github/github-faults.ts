/** Fault injection for the GitHub stand-in: the next matching requests get a scripted error instead of the API. */
import type { GitHubFault } from './github-types';

export interface ScriptedFailure {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

interface PendingFault {
  readonly fault: GitHubFault;
  readonly pattern: RegExp;
  remaining: number;
}

const SECONDARY_RATE_LIMIT_MESSAGE =
  'You have exceeded a secondary rate limit and have been temporarily blocked from content creation. ' +
  'Please retry your request again later.';

export class GitHubFaults {
  readonly #pending: PendingFault[] = [];

  add(fault: GitHubFault): void {
    this.#pending.push({ fault, pattern: toPattern(fault.pathPattern), remaining: fault.times ?? 1 });
  }

  /** The scripted failure for this request, consuming one use of the first matching fault. */
  take(method: string, path: string): ScriptedFailure | undefined {
    const index = this.#pending.findIndex(
      ({ fault, pattern }) =>
        (fault.method === undefined || fault.method.toUpperCase() === method.toUpperCase()) &&
        pattern.test(path),
    );
    const pending = this.#pending[index];
    if (!pending) return undefined;
    pending.remaining -= 1;
    if (pending.remaining <= 0) this.#pending.splice(index, 1);
    const { fault } = pending;
    return {
      status: fault.status,
      headers: fault.headers ?? {},
      body: fault.body ?? defaultBody(fault.status),
    };
  }

  /** Faults not yet used up. */
  pending(): number {
    return this.#pending.reduce((sum, pending) => sum + pending.remaining, 0);
  }

  clear(): void {
    this.#pending.length = 0;
  }
}

function toPattern(pattern: string | RegExp): RegExp {
  if (pattern instanceof RegExp) return pattern;
  const source = pattern
    .split(/(\*\*|\*)/)
    .map((part) =>
      part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`);
}

function defaultBody(status: number): unknown {
  const documentation_url = 'https://docs.github.com/rest';
  if (status === 403 || status === 429) {
    return {
      message: SECONDARY_RATE_LIMIT_MESSAGE,
      documentation_url:
        'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits',
    };
  }
  if (status === 422) return { message: 'Validation Failed', errors: [], documentation_url, status: '422' };
  if (status === 404) return { message: 'Not Found', documentation_url, status: '404' };
  if (status >= 500) return { message: 'Server Error' };
  return { message: `HTTP ${status}`, documentation_url };
}
