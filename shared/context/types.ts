/** Types of context selection: what the model is shown of a step's log. */

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
