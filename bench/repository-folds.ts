/**
 * Groups and folds for repository-grouped cross-validation on ../shared/data: a rule, weight or table is judged on
 * logs of repositories it was not written or fitted from.
 *
 * The group of a log is its `repository` (index.jsonl's `repo`): LogChunks has 43 repositories of 10 logs each,
 * CiDiff 22 (Terraform's 15 GitHub Actions logs, then Jenkins projects of one or two). The PyTorch fixtures all come
 * from pytorch/pytorch, so one repository would be one group and say nothing; per SOURCE.txt each fixture is a
 * different failure class of PyTorch's own log classifier, and unseen PyTorch logs are other classes, so there the
 * group is the fixture (`pytorch/pytorch#<fixture>`).
 */
import { createHash } from 'node:crypto';
import type { LabelledLog } from './shared-data';

/** Folds for anything learned: fitted on the other folds' repositories, judged on this fold's. */
export const FOLDS = 5;

/**
 * The cross-validation group of a log.
 *
 * @example
 * groupOf(log); // 'jgm/pandoc', or 'pytorch/pytorch#test_file_timeout' for a PyTorch fixture
 */
export function groupOf(log: LabelledLog): string {
  return log.dataset === 'pytorch-fixtures' ? `${log.repo}#${log.id}` : log.repo;
}

/** The fold of a group: a stable hash, so every run and every benchmark splits the same way. */
export function foldOf(group: string): number {
  return createHash('sha256').update(group).digest().readUInt32BE(0) % FOLDS;
}
