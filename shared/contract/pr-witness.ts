/**
 * The `prAuthors` set of a signature's summary item (State table, docs/data-model.md): one entry per PR the signature
 * was seen on, with the PR's author as GitHub gave it, `owner/name#N@login`. The analyzer writes it, the check run and
 * the dashboard count distinct authors from it, so one author opening PRs #11–#14 is one witness, not four.
 */

/** The entry of one PR; logins are case-insensitive on GitHub. */
export function prWitness(repo: string, prNumber: number, author: string): string {
  return `${repo}#${prNumber}@${author.toLowerCase()}`;
}

/** Whose witness does not count: a job's own PR and its own author. */
export interface WitnessExclusion {
  readonly repo: string;
  readonly prNumber?: number | undefined;
  readonly prAuthor?: string | undefined;
}

/**
 * Distinct authors among the witnesses, leaving out `except`'s own PR and author.
 *
 * @example
 * distinctPrAuthors(['o/r#11@eve', 'o/r#12@eve', 'o/r#13@bob']); // 2
 */
export function distinctPrAuthors(witnesses: readonly string[], except?: WitnessExclusion): number {
  const ownPr = except?.prNumber === undefined ? undefined : `${except.repo}#${except.prNumber}`;
  const ownAuthor = except?.prAuthor?.toLowerCase();
  const authors = new Set<string>();
  for (const witness of witnesses) {
    const at = witness.lastIndexOf('@');
    if (at <= 0) continue;
    const author = witness.slice(at + 1);
    if (witness.slice(0, at) === ownPr || author === ownAuthor) continue;
    authors.add(author);
  }
  return authors.size;
}
