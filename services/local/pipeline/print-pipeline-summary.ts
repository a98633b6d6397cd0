/** What `npm start` prints once the replay is done: the inline analyses, the check runs and the dedup arithmetic. */
import type { LocalPipelineSummary } from './local-pipeline';
import type { ReplayJob } from './replay-plan';

export function where(job: ReplayJob): string {
  return job.prNumber ? `PR #${job.prNumber}` : 'main';
}

export function printPipelineSummary(summary: LocalPipelineSummary, say: (line: string) => void): void {
  say('');
  say('What the jobs printed in a later step (the analysis, inline):');
  const shown = new Set<string>();
  for (const report of summary.reports) {
    const key = report.signature ?? report.reportId ?? report.sample;
    if (shown.has(key)) continue;
    shown.add(key);
    say('');
    say(`── ${report.sample} (${where(report.job)})`);
    say(report.inline || '(nothing printed)');
  }
  say('');
  say('Check runs recorded by the local GitHub API:');
  for (const report of summary.reports) {
    const checkRun = report.checkRun;
    say(
      checkRun
        ? `  ${where(report.job).padEnd(10)} ${report.sample}: "${checkRun.title}" (${checkRun.conclusion}, ${checkRun.annotations} annotations)`
        : `  ${where(report.job).padEnd(10)} ${report.sample}: no check run (${report.status ?? 'no report'})`,
    );
  }
  say('');
  say(
    `${summary.reports.length} reports → ${summary.signatures} signatures → ${summary.analyses} analyses ` +
      `(repeated failures reuse one analysis); ${summary.checkRuns} check runs; ` +
      `${summary.dashboardSignatures} signatures on the dashboard.`,
  );
  say(`Dashboard: ${summary.dashboardUrl}`);
}
