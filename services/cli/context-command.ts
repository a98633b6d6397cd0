/**
 * `osdc-rca context <log-file> [--budget-bytes N] [--json]`: the context exactly as the model sees it.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { DEFAULT_CONTEXT_BUDGET_BYTES } from '../../shared/context/constants';
import { selectContext } from '../../shared/context/context-selection';
import { computeSignature } from '../../shared/signature/compute-signature';
import { captureLogFile } from './capture-log-file';

const MIN_BUDGET_BYTES = 256;
const MAX_BUDGET_BYTES = 1024 * 1024;

/** Parses `--budget-bytes`: a whole number of bytes in a sane range. */
export function parseBudgetBytes(value: string): number {
  const bytes = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(bytes) || bytes < MIN_BUDGET_BYTES || bytes > MAX_BUDGET_BYTES) {
    throw new InvalidArgumentError(
      `expected a whole number of bytes from ${MIN_BUDGET_BYTES} to ${MAX_BUDGET_BYTES}.`,
    );
  }
  return bytes;
}

export function registerContextCommand(program: Command): void {
  program
    .command('context')
    .description('print the context the model would see for a failed step log')
    .argument('<log-file>', 'the step log')
    .option(
      '--budget-bytes <n>',
      'size limit of the context in UTF-8 bytes',
      parseBudgetBytes,
      DEFAULT_CONTEXT_BUDGET_BYTES,
    )
    .option('--json', 'print JSON with line ranges, byte count and the signature')
    .action(async (file: string, options: { budgetBytes: number; json?: boolean }) => {
      const snapshot = await captureLogFile(file);
      const context = selectContext(snapshot, { budgetBytes: options.budgetBytes });
      if (!options.json) {
        process.stdout.write(`${context.text}\n`);
        return;
      }
      const signature = computeSignature(snapshot);
      const output = {
        budgetBytes: options.budgetBytes,
        bytes: context.bytes,
        ranges: context.ranges,
        totalLines: snapshot.totalLines,
        redactions: snapshot.redactions,
        signature,
        text: context.text,
      };
      process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    });
}
