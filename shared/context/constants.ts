/** The context budget: bytes of log the model sees (≈ 7k tokens at 24 KiB); configuration overrides it at the edge. */
export const DEFAULT_CONTEXT_BUDGET_BYTES = 24 * 1024;
