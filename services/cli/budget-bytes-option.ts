/**
 * The one `--budget-bytes` rule of every `osdc-rca` command that selects context: a whole number of bytes from 256
 * (what context selection can still use) to 1 MiB (far beyond any model's useful context). A bad value is a usage
 * error: commander prints the usage and the command exits with code 2.
 */
import { InvalidArgumentError, Option } from 'commander';
import { DEFAULT_CONTEXT_BUDGET_BYTES } from '../../shared/context/constants';

export const MIN_BUDGET_BYTES = 256;
export const MAX_BUDGET_BYTES = 1024 * 1024;

/** Parses `--budget-bytes`: digits only (no `1e3`, no `0x100`), within the range. */
export function parseBudgetBytes(value: string): number {
  const bytes = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(bytes) || bytes < MIN_BUDGET_BYTES || bytes > MAX_BUDGET_BYTES) {
    throw new InvalidArgumentError(
      `expected a whole number of bytes from ${MIN_BUDGET_BYTES} to ${MAX_BUDGET_BYTES}.`,
    );
  }
  return bytes;
}

/**
 * The `--budget-bytes <n>` option, parsed and defaulted the same way on every command.
 *
 * @example
 * program.command('context').addOption(budgetBytesOption('size limit of the context in UTF-8 bytes'));
 */
export function budgetBytesOption(description: string): Option {
  return new Option('--budget-bytes <n>', description)
    .argParser(parseBudgetBytes)
    .default(DEFAULT_CONTEXT_BUDGET_BYTES);
}
