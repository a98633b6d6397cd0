/** Sizes of the capture's bounded memory; the reporter's configuration overrides them at the edge. */

/** Bytes of the log's end that the capture keeps. */
export const DEFAULT_TAIL_BYTES = 256 * 1024;
/** Bytes of scored error windows from earlier in the log that the capture keeps. */
export const DEFAULT_WINDOW_BYTES = 128 * 1024;
