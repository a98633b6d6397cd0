/**
 * The ordered rule set that finds key failure lines. Earlier rules are more specific and win over later ones found
 * in the same part of the log; `tier` says how much a match tells: `specific` rules name the failure (a test id, a
 * compiler diagnostic, an exception), `summary` rules only say that some command failed (`make: *** … Error 2`,
 * Travis's `The command "…" exited with 1.`), `generic` rules are the last resort (`##[error]…`, any line saying
 * error). Only general CI knowledge goes here, never repository-specific strings.
 *
 * Every pattern runs on each normalised line of a log that an attacker may control: keep them linear (no nested
 * quantifiers, no unbounded lookbehind) and anchored where possible.
 */
import { BUILD_RULES } from './builds';
import { DEPENDENCY_RULES } from './dependencies';
import { EXCEPTION_RULES } from './exceptions';
import { GENERIC_RULES } from './generic';
import { INFRA_RULES } from './infra';
import { LINT_RULES } from './lint';
import type { SignatureRule } from './signature-rule';
import { SUMMARY_RULES } from './summaries';
import { TEST_RUNNER_RULES } from './test-runners';
import { TIMEOUT_RULES } from './timeouts';
import { TRACEBACK_RULES } from './tracebacks';

export { type RuleTier, type SignatureRule, strengthOf } from './signature-rule';

/**
 * The rules, most specific first, family by family (each family's file says why it stands where it does). A rule's
 * place in this list is its priority among matches in the failure region; see `findKeyLines` for how position and
 * priority combine.
 */
export const SIGNATURE_RULES: readonly SignatureRule[] = [
  ...INFRA_RULES,
  ...TEST_RUNNER_RULES,
  ...TRACEBACK_RULES,
  ...BUILD_RULES,
  ...LINT_RULES,
  ...DEPENDENCY_RULES,
  ...TIMEOUT_RULES,
  ...EXCEPTION_RULES,
  ...SUMMARY_RULES,
  ...GENERIC_RULES,
];
