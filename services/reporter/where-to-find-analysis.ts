/**
 * The line a job prints when it stops waiting before its analysis is ready, so the developer is never left with
 * nothing: the check run once it exists, else the checks of the commit it will be posted on.
 */
import type { FailureMarker } from './failure-markers';
import type { AnalysisProgress } from './read-analysis-result';

const GITHUB = 'https://github.com';

export function whereToFindAnalysis(marker: FailureMarker, progress: AnalysisProgress | undefined): string {
  const lead = `[OSDC] The failure analysis (report ${marker.reportId}) is not ready yet;`;
  const checkRunUrl = progress?.checkRunUrl;
  if (checkRunUrl?.startsWith(`${GITHUB}/`))
    return `${lead} it will appear in its check run: ${checkRunUrl}\n`;
  const place = checksPage(marker, progress?.headSha);
  return place ? `${lead} it will appear on ${place}\n` : `${lead} it will appear on the commit's checks.\n`;
}

/**
 * The analyzer posts on the PR's head commit (it knows it once the report is verified); before that, a PR's checks
 * page shows the same, and on a push the job's own commit is the head.
 */
function checksPage(marker: FailureMarker, headSha: string | undefined): string | undefined {
  const { repo } = marker;
  if (!repo) return undefined;
  if (headSha && /^[0-9a-f]{40}$/.test(headSha))
    return `the commit's checks: ${GITHUB}/${repo}/commit/${headSha}/checks`;
  if (marker.prNumber !== undefined)
    return `the PR's checks: ${GITHUB}/${repo}/pull/${marker.prNumber}/checks`;
  if (marker.sha) return `the commit's checks: ${GITHUB}/${repo}/commit/${marker.sha}/checks`;
  return undefined;
}
