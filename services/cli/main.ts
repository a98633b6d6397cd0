/**
 * The `osdc-rca` command. Each subcommand lives in its own `*-command.ts` file and registers itself here. Usage
 * mistakes (unknown flags, bad numbers, unreadable files) print the usage on stderr and exit with code 2.
 */
import { Command, CommanderError } from 'commander';
import { registerAnalyzeCommand } from './analyze-command';
import { registerCanaryCommand } from './canary-command';
import { UnreadableLogError } from './capture-log-file';
import { CommandFailedError } from './command-failed-error';
import { registerContextCommand } from './context-command';
import { registerDoctorCommand } from './doctor-command';
import { registerLocalEnvCommand } from './local-env-command';
import { registerSignatureCommand } from './signature-command';
import { registerStartCommand } from './start-command';

const USAGE_EXIT_CODE = 2;

export function createProgram(): Command {
  const program = new Command('osdc-rca')
    .description('root-cause analysis for failed CI steps on OSDC runners')
    .showHelpAfterError()
    .exitOverride();
  registerContextCommand(program);
  registerSignatureCommand(program);
  registerStartCommand(program);
  registerAnalyzeCommand(program);
  registerDoctorCommand(program);
  registerCanaryCommand(program);
  registerLocalEnvCommand(program);
  for (const command of program.commands) command.showHelpAfterError().exitOverride();
  return program;
}

export async function main(argv: readonly string[] = process.argv): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      const benign = error.code === 'commander.helpDisplayed' || error.code === 'commander.version';
      return benign || error.exitCode === 0 ? 0 : USAGE_EXIT_CODE;
    }
    if (error instanceof CommandFailedError) {
      process.stderr.write(`osdc-rca: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof UnreadableLogError) {
      const reason = (error.cause as NodeJS.ErrnoException | undefined)?.code ?? 'unreadable';
      process.stderr.write(`osdc-rca: ${error.message} (${reason})\n\n${program.helpInformation()}`);
      return USAGE_EXIT_CODE;
    }
    throw error;
  }
}

process.exitCode = await main();
