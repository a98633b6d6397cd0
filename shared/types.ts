/** Types of the failure-log core, shared by capture, context selection, signature and their callers. */

/** A run of consecutive log lines. `firstLine` is 1-based in the step's log. */
export interface LineBlock {
  readonly firstLine: number;
  readonly lines: readonly string[];
}

/**
 * What the capture stage keeps of a step's output, bounded in size whatever the log's length: the tail and scored
 * error windows from earlier in the stream. Lines are already redacted; they are original text (ANSI and timestamps
 * kept) with the line terminator removed and invalid UTF-8 replaced.
 */
export interface CaptureSnapshot {
  readonly tail: LineBlock;
  /** Non-overlapping windows before the tail, in log order. */
  readonly windows: readonly LineBlock[];
  readonly totalLines: number;
  readonly totalBytes: number;
  /** Number of secrets replaced by `***`. */
  readonly redactions: number;
}

/** One line of a selected context, with its place in the step's log. */
export interface ContextLine {
  readonly line: number;
  readonly text: string;
}

export interface SelectedContext {
  /** Exactly what the model sees: normalised lines, elision markers between segments. Never over the budget. */
  readonly text: string;
  readonly bytes: number;
  /** Inclusive 1-based line ranges, in log order, that the context shows. */
  readonly ranges: ReadonlyArray<{ readonly first: number; readonly last: number }>;
  /** The selected lines with their line numbers (normalised text, as in `text`). */
  readonly lines: readonly ContextLine[];
}

export type SignatureStrength = 'strong' | 'weak';

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
  readonly category: import('./analysis').Category;
  /** The most telling key line first. Normalised text (no ANSI, no timestamps). */
  readonly keyLines: readonly KeyLine[];
}
