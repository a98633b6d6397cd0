/**
 * Where private key blocks start and end in a step's log, so that lines kept for later are redacted with the state
 * they had when they streamed by (a line inside `-----BEGIN … PRIVATE KEY-----` is secret whatever it looks like).
 */
export class KeyBlockEdges {
  /** Lines where a private key block starts (`inside: true`) or ends. */
  readonly #edges: Array<{ line: number; inside: boolean }> = [];

  /** From `line` on, the log is inside (or outside) a key block. */
  record(line: number, inside: boolean): void {
    this.#edges.push({ line, inside });
  }

  /**
   * Forgets edges before `oldest`, the first line that may still be kept; older edges fold into the state they
   * leave, so memory stays bounded whatever the log's length.
   */
  prune(oldest: number): void {
    const edges = this.#edges;
    if (edges.length < 2) return;
    let fold = 0;
    while (fold + 1 < edges.length && edges[fold + 1]!.line <= oldest) fold += 1;
    if (fold > 0) edges.splice(0, fold);
  }

  /** Whether `line` is inside a key block. */
  insideAt(line: number): boolean {
    let inside = false;
    for (const edge of this.#edges) {
      if (edge.line > line) break;
      inside = edge.inside;
    }
    return inside;
  }
}
