/** Types of the failure-log core, shared by capture, context selection, signature and their callers. */

/** A run of consecutive log lines. `firstLine` is 1-based in the step's log. */
export interface LineBlock {
  readonly firstLine: number;
  readonly lines: readonly string[];
}

/**
 * What the capture stage keeps of a step's output, bounded in size whatever the log's length: the tail and scored
 * error windows from earlier in the stream. Lines are already redacted and are the text a reader sees: terminal
 * escape codes removed (redaction matches on visible text), timestamps kept, the line terminator removed and
 * invalid UTF-8 replaced.
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
