/**
 * `osdc-rca context <log-file> [--budget-bytes N] [--json]`: the context exactly as the model sees it.
 */
import type { Command } from 'commander';
import { selectContext } from '../../shared/context/context-selection';
import { computeSignature } from '../../shared/signature/compute-signature';
import { budgetBytesOption } from './budget-bytes-option';
import { captureLogFile } from './capture-log-file';

export function registerContextCommand(program: Command): void {
  program
    .command('context')
    .description('print the context the model would see for a failed step log')
    .argument('<log-file>', 'the step log')
    .addOption(budgetBytesOption('size limit of the context in UTF-8 bytes'))
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
