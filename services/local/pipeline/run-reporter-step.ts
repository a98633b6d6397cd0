/** One step of a replayed job, run through the reporter bundle's `exec` command as a runner would run it. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { ReplayJob } from './replay-plan';

/**
 * Runs one step of a job through the reporter's `exec` command: the failing step replays a log and exits 1; a later
 * step (no log) succeeds and prints any finished analysis. The step's own output is not echoed, only `[OSDC]` lines
 * and the analysis block.
 */
export async function runReporterStep(
  options: { readonly repoRoot: string; readonly stateDir: string },
  job: ReplayJob,
  reporterEnv: Readonly<Record<string, string>>,
  logPath: string | undefined,
): Promise<{ exitCode: number | null; lines: string[] }> {
  const bundle = path.join(options.repoRoot, 'dist', 'osdc-rca-reporter.cjs');
  const script = logPath
    ? 'const s=require("fs").createReadStream(process.argv[1]);s.pipe(process.stdout);s.on("end",()=>{process.exitCode=1})'
    : 'process.exitCode=0';
  const child = spawn(
    process.execPath,
    [bundle, 'exec', '--', process.execPath, '-e', script, ...(logPath ? [logPath] : [])],
    {
      env: {
        PATH: process.env.PATH,
        ...reporterEnv,
        OSDC_RCA_STATE_DIR: path.join(options.stateDir, 'markers', String(job.jobId)),
        GITHUB_ACTIONS: 'true',
        GITHUB_REPOSITORY: job.repo,
        GITHUB_RUN_ID: String(job.runId),
        GITHUB_RUN_ATTEMPT: '1',
        GITHUB_JOB: 'test',
        GITHUB_WORKFLOW: job.workflow,
        GITHUB_SHA: job.sha,
        GITHUB_REF: job.ref,
        GITHUB_EVENT_NAME: job.event,
        RUNNER_NAME: job.runnerName,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const kept: string[] = [];
  let inGroup = false;
  const keep = (text: string) => {
    for (const line of text.split('\n')) {
      if (line.startsWith('::group::[OSDC]')) inGroup = true;
      if (inGroup || line.startsWith('[OSDC]')) kept.push(line);
      if (line.startsWith('::endgroup::')) inGroup = false;
    }
  };
  const collect = (stream: NodeJS.ReadableStream) => {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const text = rest + chunk;
      const cut = text.lastIndexOf('\n');
      rest = cut >= 0 ? text.slice(cut + 1) : text;
      // Long replayed logs: only look at whole lines, and never hold more than one partial line.
      if (cut >= 0) keep(text.slice(0, cut));
      if (rest.length > 1 << 20) rest = '';
    });
    stream.on('end', () => keep(rest));
  };
  collect(child.stdout);
  collect(child.stderr);
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { exitCode, lines: kept.filter((line) => line.length > 0) };
}
