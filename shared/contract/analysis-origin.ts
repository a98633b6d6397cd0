/**
 * Where an analysis was first made: the job GitHub confirmed it for and the trust scope it may be reused in. Stored in
 * the analysis record, so every surface that shows a reused answer can say where it came from.
 */
import { z } from 'zod';

export const AnalysisOriginSchema = z.object({
  /** `owner/name`, from the run. */
  repo: z.string(),
  /** The trust scope the answer is cached under: `repo`, `pr:<N>` or `ref:<ref>`. */
  scope: z.string(),
  /** Made in a trusted context: a push to the default or a protected branch, or a PR by someone with write access. */
  trusted: z.boolean(),
  /** The git ref of the run, from GitHub (`refs/heads/main`, `refs/pull/12/merge`). */
  ref: z.string(),
  prNumber: z.number().int().positive().optional(),
  /** The run's head commit, from GitHub. */
  headSha: z.string(),
  /** The job's page on GitHub. */
  jobUrl: z.string(),
});
export type AnalysisOrigin = z.infer<typeof AnalysisOriginSchema>;
