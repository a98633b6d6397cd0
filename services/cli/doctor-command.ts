/**
 * `osdc-rca doctor [--local] [--json]`: is the deployment ready, and if not, which part is wrong? One line per check
 * with its fix; exit code 0 only when no check failed (see services/cli/doctor/). The checks load lazily so that
 * the other commands start without the extra SDK clients.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Command, InvalidArgumentError } from 'commander';
import { DEFAULT_ANALYZER_TIMEOUT_SECONDS } from '../../shared/contract/queue';
import { CommandFailedError } from './command-failed-error';
import { DoctorConfigError, readDoctorConfig } from './doctor/doctor-config';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 900) {
    throw new InvalidArgumentError('must be whole seconds from 1 to 900');
  }
  return seconds;
}

/** The analyzer timeout this checkout deploys (cdk.json), so the queue's visibility is judged against it. */
export function deployedAnalyzerTimeout(root = repoRoot): number {
  try {
    const cdk = JSON.parse(readFileSync(path.join(root, 'cdk.json'), 'utf8')) as {
      context?: Record<string, unknown>;
    };
    const value = Number(cdk.context?.['osdc-rca:analyzerTimeoutSeconds']);
    return Number.isInteger(value) && value > 0 ? value : DEFAULT_ANALYZER_TIMEOUT_SECONDS;
  } catch {
    return DEFAULT_ANALYZER_TIMEOUT_SECONDS;
  }
}

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description(
      'check that the deployment works: credentials, queue, tables, Bedrock, GitHub App, runner role',
    )
    .option('--local', 'check the embedded stand-ins that `npm start` uses instead of AWS and GitHub')
    .option('--json', 'print the results as JSON')
    .option('--repo <owner/name>', 'a repository the GitHub App must be installed on')
    .option('--runner-role-arn <arn>', 'the stack output RunnerPodRoleArn, to simulate its permissions')
    .option(
      '--model-id <id>',
      'the Bedrock inference profile (default: OSDC_RCA_MODEL_ID or the built-in one)',
    )
    .option(
      '--analyzer-timeout <seconds>',
      "the analyzer's Lambda timeout (default: osdc-rca:analyzerTimeoutSeconds of cdk.json)",
      parseSeconds,
    )
    .action(
      async (options: {
        local?: boolean;
        json?: boolean;
        repo?: string;
        runnerRoleArn?: string;
        modelId?: string;
        analyzerTimeout?: number;
      }) => {
        let config: ReturnType<typeof readDoctorConfig>;
        try {
          config = readDoctorConfig(process.env, {
            repo: options.repo,
            runnerRoleArn: options.runnerRoleArn,
            modelId: options.modelId,
            analyzerTimeoutSeconds: options.analyzerTimeout ?? deployedAnalyzerTimeout(),
          });
        } catch (error) {
          if (error instanceof DoctorConfigError) throw new InvalidArgumentError(error.message);
          throw error;
        }
        const { runDoctor } = await import('./doctor/run-doctor');
        const { failed } = await runDoctor({
          config,
          local: Boolean(options.local),
          json: Boolean(options.json),
          out: process.stdout,
        });
        if (failed.length > 0) throw new CommandFailedError(`failed checks: ${failed.join(', ')}`);
      },
    );
}
