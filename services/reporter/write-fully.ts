/** Writes text to a stream and resolves once it is flushed, so a wrapper that exits right after does not cut it off. */
import type { Writable } from 'node:stream';

export function writeFully(stream: Writable, text: string): Promise<void> {
  if (text.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    try {
      // A closed stdout must not turn a step's own result into a crash: the callback gets the error instead.
      stream.write(text, () => resolve());
    } catch {
      resolve();
    }
  });
}
