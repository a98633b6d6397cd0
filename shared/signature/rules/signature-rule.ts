/** The shape of a signature rule and the strength of the signature it makes. */
import type { Category } from '../../contract/analysis';
import type { SignatureStrength } from '../types';

export type RuleTier = 'specific' | 'summary' | 'generic';

export interface SignatureRule {
  readonly id: string;
  readonly category: Category;
  readonly tier: RuleTier;
  /** Matches a key line (normalised text). */
  readonly pattern: RegExp;
  /** A line matching `pattern` and `unless` is not a failure (`0 errors`, `-Werror`). */
  readonly unless?: RegExp;
  /** A check on the surrounding lines, for shapes that one line cannot tell apart (rustc's `error:` vs any tool's). */
  readonly confirm?: (lines: readonly string[], index: number) => boolean;
  /**
   * The key lines of a match at `index`, the most telling first; indices into `lines`. Defaults to the matched line.
   * Extractors look at most a bounded number of lines away.
   */
  readonly keyLines?: (lines: readonly string[], index: number) => readonly number[];
}

export function strengthOf(rule: SignatureRule): SignatureStrength {
  return rule.tier === 'generic' ? 'weak' : 'strong';
}
