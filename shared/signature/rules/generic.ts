/**
 * The last resort: a line that says error, then the runner's own annotation.
 *
 * Order: Generic rules make weak signatures, which are never shared across jobs; the annotation is last because the
 * runner prints one for every failed step.
 */
import type { SignatureRule } from './signature-rule';

export const GENERIC_RULES: readonly SignatureRule[] = [
  // The last resort: a line that says error, then the runner's own annotation.
  {
    id: 'generic-error',
    category: 'unknown',
    tier: 'generic',
    pattern: /\b(?:error|ERROR|Error|FAILED|FAILURE|Failed|failed|fatal|FATAL)\b/,
    unless:
      /\b(?:0|no) (?:errors?|failures?|failed)\b|\b(?:errors?|failures?|failed):? 0\b|-Werror|-Wno-error|\berror\.(?:h|c|cc|cpp|o|py|js|ts|rb|go)\b|\bignor(?:e|ing|ed)\b.*\berror|\bif (?:error|failed)\b|: error$/i,
  },
  {
    id: 'actions-error',
    category: 'unknown',
    tier: 'generic',
    pattern: /^(?:##\[error\]|::error(?: [^:]*)?::)\S/,
  },
];
