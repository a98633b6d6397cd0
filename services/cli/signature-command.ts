/**
 * `osdc-rca signature <log-file> [--json]`: the failure signature, its strength, rule and key lines.
 */
import type { Command } from 'commander';
import { computeSignature } from '../../shared/signature/compute-signature';
import { captureLogFile } from './capture-log-file';

export function registerSignatureCommand(program: Command): void {
  program
    .command('signature')
    .description('print the failure signature of a failed step log')
    .argument('<log-file>', 'the step log')
    .option('--json', 'print {"signature", "strength", "rule", "keyLines": [{"line", "text"}]}')
    .action(async (file: string, options: { json?: boolean }) => {
      const { signature, strength, rule, category, keyLines } = computeSignature(await captureLogFile(file));
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({ signature, strength, rule, category, keyLines }, null, 2)}\n`,
        );
        return;
      }
      const lines = [`${signature} (${strength}, rule ${rule}, category ${category})`];
      for (const key of keyLines) lines.push(`  line ${key.line}: ${key.text}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
