import { Command, InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  budgetBytesOption,
  MAX_BUDGET_BYTES,
  MIN_BUDGET_BYTES,
  parseBudgetBytes,
} from '../../services/cli/budget-bytes-option';
import { DEFAULT_CONTEXT_BUDGET_BYTES } from '../../shared/context/constants';

describe('Function: parseBudgetBytes', () => {
  it.each([
    ['256', 256],
    ['8192', 8192],
    [String(MAX_BUDGET_BYTES), MAX_BUDGET_BYTES],
  ])('accepts %s', (value, expected) => {
    expect(parseBudgetBytes(value)).toBe(expected);
  });

  it.each(['255', String(MAX_BUDGET_BYTES + 1), '999999999999999999', '1e4', '0x100', '-5', '', 'twelve'])(
    'rejects %j with the range in the message',
    (value) => {
      expect(() => parseBudgetBytes(value)).toThrow(InvalidArgumentError);
      expect(() => parseBudgetBytes(value)).toThrow(`${MIN_BUDGET_BYTES} to ${MAX_BUDGET_BYTES}`);
    },
  );
});

describe('Function: budgetBytesOption', () => {
  it('defaults to the context budget and parses the value with the shared rule', () => {
    // Prepare
    const program = new Command().exitOverride().addOption(budgetBytesOption('budget'));

    // Act
    const defaulted = program.parse([], { from: 'user' }).opts();
    const given = new Command()
      .exitOverride()
      .addOption(budgetBytesOption('budget'))
      .parse(['--budget-bytes', '4096'], { from: 'user' })
      .opts();

    // Assess
    expect(defaulted.budgetBytes).toBe(DEFAULT_CONTEXT_BUDGET_BYTES);
    expect(given.budgetBytes).toBe(4096);
  });
});
