/**
 * Lint, formatting and manifest checks.
 *
 * Order: Lint output names a file and a rule; it ranks after builds because a build that fails is the earlier stop.
 */
import type { SignatureRule } from './signature-rule';

export const LINT_RULES: readonly SignatureRule[] = [
  // Lint and formatting.
  {
    id: 'lint',
    category: 'lint',
    tier: 'specific',
    pattern:
      /^\S+\.py:\d+:\d+: [A-Z]{1,3}\d{3,4} |^\S+\.py:\d+: error: |^\d+:\d+\s+error\s+\S|^\S+:\d+:\d+: [CWEF]: |^(?:>>> )?(?:Lint for|Error) \([A-Z_]+\)|^would reformat \S|^\S+:\d+:\d+: (?:SC|DL)\d{4}\b|^\d+ problems? \(\d+ errors?/,
  },
  {
    // A YAML parser's syntax error (libyaml, Psych, SnakeYAML): a CI config, a manifest or a document that no longer
    // parses. PyYAML's exceptions are caught by `exception`.
    id: 'yaml-syntax-error',
    category: 'lint',
    tier: 'specific',
    pattern: /\bwhile (?:scanning|parsing)\b.* at line \d+ column \d+/,
  },
  {
    // CocoaPods' `pod lib lint` / `pod spec lint` verdict rows.
    id: 'podspec-lint',
    category: 'lint',
    tier: 'specific',
    pattern: /^- ERROR \| \S/,
  },
];
