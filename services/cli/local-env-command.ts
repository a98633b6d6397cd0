/**
 * `osdc-rca local-env`: a local stand-in for the AWS side of a runner pod, to try the reporter (or OSDC's patched
 * wrapper) without a cluster: the SQS emulator with the reports queue, DynamoDB Local (or dynalite) with the
 * tables, the analyzer as a local consumer (offline rules analyst), and the local GitHub API that knows one run.
 * Prints, and writes to `--write <file>`, the env to use: the reporter's settings with fake credentials, and the GitHub
 * fields of that run for the step's env. Runs until Ctrl-C.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { startLocalAnalyzer } from '../local/pipeline/start-local-analyzer';
import { LOCAL_CANARY_RUN, startLocalDeployment } from '../local/pipeline/start-local-deployment';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function registerLocalEnvCommand(program: Command): void {
  program
    .command('local-env')
    .description('start local stand-ins for SQS, DynamoDB, GitHub and the analyzer, and print the env to use')
    .option(
      '--write <file>',
      'where to write the env as export lines',
      path.join(repoRoot, '.osdc-rca', 'local-env.sh'),
    )
    .action(async (options: { write: string }) => {
      const out = process.stdout;
      const deployment = await startLocalDeployment();
      const analyzer = startLocalAnalyzer({
        standIns: deployment,
        bedrock: undefined,
        onError: (error) => out.write(`analyzer: batch failed (${String(error)}); SQS will redeliver it\n`),
      });
      const env = {
        ...deployment.reporterEnv,
        // The run the local GitHub knows, so the analyzer verifies the report as it would a real one.
        GITHUB_REPOSITORY: LOCAL_CANARY_RUN.repo,
        GITHUB_RUN_ID: String(LOCAL_CANARY_RUN.runId),
        GITHUB_RUN_ATTEMPT: String(LOCAL_CANARY_RUN.runAttempt),
        GITHUB_JOB: LOCAL_CANARY_RUN.jobName,
        GITHUB_SHA: LOCAL_CANARY_RUN.headSha,
        RUNNER_NAME: LOCAL_CANARY_RUN.runnerName,
      };
      const lines = Object.entries(env).map(([name, value]) => `export ${name}='${value}'`);
      mkdirSync(path.dirname(options.write), { recursive: true });
      writeFileSync(options.write, `${lines.join('\n')}\n`);
      out.write(
        `Stand-ins up (SQS ${deployment.sqsServer.endpoint}, DynamoDB ${deployment.dynamo.endpoint}, ` +
          `GitHub ${deployment.github.url}); the analyzer is the offline rules analyst.\n\n` +
          `${lines.join('\n')}\n\nWritten to ${path.relative(process.cwd(), options.write) || options.write}; ` +
          'in another shell: . <that file>. Ctrl-C to stop.\n',
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      await analyzer.stop();
      await deployment.stop();
    });
}
