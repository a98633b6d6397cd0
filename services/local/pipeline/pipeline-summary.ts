/** What `npm start` found (the replayed reports and the dedup arithmetic), and how it prints it once the replay is done. */
import type { ReplayJob } from './replay-plan';

export interface ReplayedReport {
  readonly sample: string;
  readonly job: ReplayJob;
  readonly reportId: string | undefined;
  /** The `[OSDC]` line printed in the failing step. */
  readonly failureLine: string;
  /** The analysis as the job's own log printed it. */
  readonly inline: string;
  readonly printedIn: 'the failing step' | 'cleanup_job' | undefined;
  readonly checkRun:
    | { readonly title: string; readonly conclusion: string; readonly annotations: number }
    | undefined;
  readonly signature: string | undefined;
  /** When the analysis was made: reports sharing an analysis share this. */
  readonly analysisCreatedAt: string | undefined;
  readonly status: string | undefined;
}

export interface LocalPipelineSummary {
  readonly reports: readonly ReplayedReport[];
  readonly signatures: number;
  readonly analyses: number;
  readonly checkRuns: number;
  readonly dashboardUrl: string;
  readonly dashboardSignatures: number;
  readonly analyst: string;
  readonly dynamoEngine: string;
}

export function where(job: ReplayJob): string {
  return job.prNumber ? `PR #${job.prNumber}` : 'main';
}

export function printPipelineSummary(summary: LocalPipelineSummary, say: (line: string) => void): void {
  say('');
  say('What the jobs printed in their own logs (the analysis, inline):');
  const shown = new Set<string>();
  // One job per signature, one that printed the analysis if any did.
  const printedFirst = [...summary.reports].sort((a, b) => Number(!a.printedIn) - Number(!b.printedIn));
  for (const report of printedFirst) {
    const key = report.signature ?? report.reportId ?? report.sample;
    if (shown.has(key)) continue;
    shown.add(key);
    say('');
    say(
      `── ${report.sample} (${where(report.job)}), printed in ${report.printedIn ?? 'no step: see the check run'}`,
    );
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
