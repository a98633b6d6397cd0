/**
 * Exceptions outside a recognised test framework.
 *
 * Order: A bare exception line names a type and a message but no test or file: specific, yet the least telling of the
 * specific rules.
 */
import { RERAISED_SUMMARY } from '../reraised-with-cause';
import { nextNonBlank, rakeReasonIsSpecific } from '../rule-key-lines';
import type { SignatureRule } from './signature-rule';

export const EXCEPTION_RULES: readonly SignatureRule[] = [
  // Exceptions outside a recognised test framework.
  {
    id: 'rake-aborted',
    category: 'build',
    tier: 'specific',
    pattern: /^rake aborted!$/,
    confirm: rakeReasonIsSpecific,
    keyLines: nextNonBlank,
  },
  {
    id: 'exception',
    category: 'test',
    tier: 'specific',
    pattern:
      /^(?:Exception in thread "[^"]*" )?(?:[a-z_][\w$]*\.)+[A-Z][\w$]*(?:Error|Exception)\b(?::|$)|^(?:Uncaught |Unhandled )?[A-Z]\w*(?:Error|Exception): \S|^Assertion(?:Error| failed)\b|^\*\* \([\w.]+\) \S|^PHP Fatal error: /,
    unless: RERAISED_SUMMARY,
  },
];
