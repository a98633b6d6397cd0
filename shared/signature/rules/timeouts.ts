/**
 * Timeouts, cancellation and performance gates.
 *
 * Order: These say how a step ended rather than why; a more specific line above wins.
 */
import type { SignatureRule } from './signature-rule';

export const TIMEOUT_RULES: readonly SignatureRule[] = [
  // Timeouts and cancellation.
  {
    id: 'timeout',
    category: 'timeout',
    tier: 'specific',
    pattern:
      /\btimed out after\b|\bTimeout of \d+ms exceeded\b|\bexceeded the maximum execution time\b|\bNo output has been received in the last\b|\bCommand took >\S+|\bcontext deadline exceeded\b|\btimetrap_timeout\b|\bTimeoutError\b|\bTimeoutException\b/i,
  },
  {
    id: 'cancelled',
    category: 'cancelled',
    tier: 'specific',
    pattern: /^The operation was canceled\.$|^The job was canceled\b|^The run was canceled\b/,
  },
  {
    // A performance gate (benchmark, binary size, instruction count) that compares a measurement with its expected
    // value: `REGRESSION: benchmark (…) failed, actual result 39636 is 10.19% higher than expected`.
    id: 'perf-regression',
    category: 'test',
    tier: 'specific',
    pattern:
      /^(?:PERFORMANCE )?REGRESSION\b.*\b(?:failed|higher|lower|slower)\b|\b\d+(?:\.\d+)?% (?:higher|slower|worse|larger|bigger) than (?:expected|(?:the )?baseline|allowed)\b/,
  },
];
