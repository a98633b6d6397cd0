/**
 * Summaries: some command failed.
 *
 * Order: They only point at the output just above them, so they are the `summary` tier and rank after every specific rule.
 */
import type { SignatureRule } from './signature-rule';

export const SUMMARY_RULES: readonly SignatureRule[] = [
  // Summaries: some command failed; they point at the output just before them.
  {
    id: 'test-summary',
    category: 'test',
    tier: 'summary',
    pattern:
      /\b\S+ \d+\/\d+ failed!|^\S+ - failed\.|\b\d+ (?:out of \d+ )?tests? failed\b|^Tests? failed\b|^npm ERR! Test failed\b|^Tests failed\s*:\s*[1-9]/,
  },
  {
    id: 'maven-failure',
    category: 'build',
    tier: 'summary',
    pattern: /^\[ERROR\] Failed to execute goal \S+/,
  },
  {
    id: 'build-tool-failure',
    category: 'build',
    tier: 'summary',
    pattern:
      /^(?:g?make|mingw32-make)(?:\[\d+\])?: \*\*\* .*Error \d+|^ninja: build stopped\b|^npm ERR! (?:code|errno|Failed at)\b|^error Command failed with exit code \d+|^FAILURE: Build failed with an exception\.|^BUILD FAILED\b|^\[ERROR\] BUILD FAILURE\b|^error: [Cc]ould not compile\b|^error: aborting due to\b|^collect2: error: ld returned\b|^ERROR: (?:Command errored out|InvocationError)\b|^FAIL\s+\S+\s+[\d.]+s$|^FAIL$|^Execution failed for task\b|\berror: command '[^']*' failed with exit (?:status|code) \d+|^The process '[^']*' failed with exit code [1-9]\d*$|^Error: Process completed with exit code [1-9]\d*\.?$|^Command failed with status \(\d+\)|^Failing due to -Werror\b|^ERROR: "[^"]+" exited with \d+\.$|^\*\* (?:BUILD|TEST|TEST EXECUTE|ARCHIVE|ANALYZE) FAILED \*\*$/,
  },
  {
    id: 'travis-command-failed',
    category: 'unknown',
    tier: 'summary',
    pattern: /^The command ".*" (?:exited with [1-9]\d*|failed(?: and exited with [1-9]\d*)?)\b/,
  },
];
