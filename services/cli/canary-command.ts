/**
 * `osdc-rca canary`: sends one synthetic report (a fixture log, marked `canary: true`) through the deployed queue
 * for a real run the operator names, waits for its analysis and prints the end-to-end latency and the analysis.
 * The analyzer verifies it like any other report, then posts no check run and records nothing for the dashboard.
 * Exit code 0 only when the analysis arrived in time.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Command, InvalidArgumentError } from 'commander';
import { CommandFailedError } from './command-failed-error';
import { DoctorConfigError, readDoctorConfig } from './doctor/doctor-config';
import { deployedAnalyzerTimeout } from './doctor-command';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DEFAULT_LOG = path.join(repoRoot, 'examples', 'pytest-failure.log');

function parsePositive(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new InvalidArgumentError('must be a positive whole number');
  return number;
}

export function registerCanaryCommand(program: Command): void {
  program
    .command('canary')
    .description('send a synthetic failure report through the pipeline and print its latency and analysis')
    .option('--local', 'run it against the local stand-ins, with the analyzer as a local consumer')
    .option('--json', 'print the outcome as JSON')
    .option(
      '--repo <owner/name>',
      'repository of a real workflow run the report names (verification needs one)',
    )
    .option('--run-id <n>', 'that run', parsePositive)
    .option('--run-attempt <n>', "the run's attempt", parsePositive, 1)
    .option('--log <file>', 'the failing log to send', DEFAULT_LOG)
    .option(
      '--timeout <seconds>',
      'how long to wait for the analysis (default: 2 × the analyzer timeout)',
      parsePositive,
    )
    .action(
      async (options: {
        local?: boolean;
        json?: boolean;
        repo?: string;
        runId?: number;
        runAttempt: number;
        log: string;
        timeout?: number;
      }) => {
        if (!options.local && (!options.repo || !options.runId)) {
          throw new InvalidArgumentError('name a real run: --repo owner/name --run-id N (or use --local)');
        }
        let config: ReturnType<typeof readDoctorConfig>;
        try {
          config = readDoctorConfig(process.env, {
            repo: options.repo,
            analyzerTimeoutSeconds: deployedAnalyzerTimeout(),
          });
        } catch (error) {
          if (error instanceof DoctorConfigError) throw new InvalidArgumentError(error.message);
          throw error;
        }
        // Locally the analyzer runs in this process: its EMF metric lines are for CloudWatch and would bury the output.
        if (options.local) process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
        const { runCanary } = await import('./canary/run-canary');
        const { CanaryRunError } = await import('./canary/look-up-run');
        const { outcome, checkRuns } = await runCanary({
          config,
          local: Boolean(options.local),
          target:
            options.repo && options.runId
              ? { repo: options.repo, runId: options.runId, runAttempt: options.runAttempt }
              : undefined,
          logPath: path.resolve(options.log),
          githubToken:
            process.env.OSDC_RCA_GITHUB_TOKEN?.trim() || process.env.GITHUB_TOKEN?.trim() || undefined,
          timeoutMs: (options.timeout ?? 2 * config.analyzerTimeoutSeconds) * 1000,
          json: Boolean(options.json),
          out: process.stdout,
        }).catch((error: unknown) => {
          if (error instanceof CanaryRunError) throw new CommandFailedError(error.message, { cause: error });
          throw error;
        });
        if (outcome.kind !== 'analysed') throw new CommandFailedError(`canary ${outcome.kind}`);
        if (checkRuns)
          throw new CommandFailedError(`the canary caused ${checkRuns} check runs; it must cause none`);
      },
    );
}
