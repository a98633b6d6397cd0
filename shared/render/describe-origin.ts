/**
 * Where a reused answer came from, for every surface that shows one (check run, job log, dashboard): the ref or PR it
 * was first analysed on, the commit, the job, and whether it was made in a trusted context. The origin is what GitHub
 * confirmed, but a branch name is still chosen by whoever pushed it, so every piece is reduced to inert characters.
 */
import type { AnalysisOrigin } from '../contract/analysis-origin';

export interface OriginDescription {
  /** `branch main`, `PR #12` or `ref refs/tags/v1.0`. */
  readonly place: string;
  /** The place's kind and its name alone (`branch`, `main`), for surfaces that mark names up. */
  readonly placeKind: 'branch' | 'PR' | 'ref';
  readonly placeName: string;
  /** The first 12 hex digits of the commit. */
  readonly commit: string;
  /** The job's page, only when it is a job page on github.com. */
  readonly jobUrl: string | undefined;
  readonly trusted: boolean;
  /** Who may be shown this answer, in words. */
  readonly reach: string;
}

const REF_CHARACTERS = /[^\w./+-]/g;
const JOB_URL = /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/actions\/runs\/\d+\/job\/\d+$/;

/**
 * @example
 * describeOrigin({ scope: 'repo', trusted: true, ref: 'refs/heads/main', headSha: 'abc…', jobUrl })
 * // { place: 'branch main', commit: 'abc…', jobUrl, trusted: true, reach: 'made in a trusted context, …' }
 */
export function describeOrigin(origin: AnalysisOrigin): OriginDescription {
  const [placeKind, placeName] = placeOf(origin);
  return {
    place: placeKind === 'PR' ? `PR ${placeName}` : `${placeKind} ${placeName}`,
    placeKind,
    placeName,
    commit: /^[0-9a-f]{7,64}$/i.test(origin.headSha) ? origin.headSha.slice(0, 12) : 'unknown',
    jobUrl: JOB_URL.test(origin.jobUrl) ? origin.jobUrl : undefined,
    trusted: origin.trusted,
    reach: origin.trusted
      ? 'made in a trusted context, so it is shared across the repository'
      : `made in an untrusted context (no write access), so it is reused only on that ${origin.prNumber === undefined ? 'branch' : 'PR'}`,
  };
}

/** The plain-text sentence (no markup) that the job log and the dashboard show under a reused answer. */
export function originSentence(origin: AnalysisOrigin | undefined): string {
  if (!origin)
    return 'Reused from an earlier failure with the same signature (where it was first analysed is not recorded).';
  const described = describeOrigin(origin);
  const job = described.jobUrl ? `, job ${described.jobUrl}` : '';
  return (
    `Reused from an earlier failure with the same signature, first analysed on ${described.place} ` +
    `at commit ${described.commit}${job}; ${described.reach}.`
  );
}

function placeOf(origin: AnalysisOrigin): [OriginDescription['placeKind'], string] {
  if (origin.prNumber !== undefined) return ['PR', `#${origin.prNumber}`];
  const ref = origin.ref.replace(REF_CHARACTERS, '').slice(0, 100);
  if (ref.startsWith('refs/heads/')) return ['branch', ref.slice('refs/heads/'.length)];
  return ['ref', ref || 'unknown'];
}
