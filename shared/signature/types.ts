/** Types of the failure signature: the key lines of a failure and the hash that groups repeated failures. */
import type { Category, SignatureStrength } from '../contract/analysis';

export type { SignatureStrength };

export interface KeyLine {
  /** 1-based line number in the step's log. */
  readonly line: number;
  readonly text: string;
}

export interface FailureSignature {
  /** Short hash of the rule id and the masked key lines. */
  readonly signature: string;
  readonly strength: SignatureStrength;
  /** Id of the rule that found the key lines, e.g. `python-traceback`, `generic-error`. */
  readonly rule: string;
  /** The analysis category the rule implies (build, test, network, infra, …). */
  readonly category: Category;
  /** The most telling key line first. Normalised text (no ANSI, no timestamps). */
  readonly keyLines: readonly KeyLine[];
}
