import { describe, expect, it } from 'vitest';
import { failingCommandSpan } from '../../shared/context/failing-command';

describe('Function: failingCommandSpan', () => {
  it('spans a Travis command from its echo to its failure summary, after the commands that went on', () => {
    // Arrange
    const texts = [
      '$ gem update --system',
      '* Improve the error message of gem install',
      '$ bundle install',
      'The command "bundle exec rubocop" exited with 0.',
      '$ script/cibuild',
      'Failure:',
      'TestKramdown#test_highlighter [test/test_kramdown.rb:106]',
      'The command "script/cibuild" exited with 1.',
      '$ script/deploy',
      'The command "script/deploy" exited with 1.',
    ];

    // Act / Assess
    expect(failingCommandSpan(texts)).toEqual({ first: 4, last: 7 });
  });

  it('spans the first failing GitHub Actions step from its Run group to the runner exit line', () => {
    // Arrange
    const texts = [
      '##[group]Run npm ci',
      'npm ci',
      '##[endgroup]',
      'npm WARN deprecated: error-ex@1.0.0',
      '##[group]Run npm test',
      'npm test',
      '##[endgroup]',
      'FAIL src/widget.test.ts',
      '##[error]Process completed with exit code 1.',
      '##[group]Run actions/upload-artifact@v4',
      '##[error]Process completed with exit code 1.',
    ];

    // Act / Assess
    expect(failingCommandSpan(texts)).toEqual({ first: 4, last: 8 });
  });

  it('says nothing when the log does not show where the failed command started', () => {
    // Arrange: the echo fell out of the capture; another CI prints no summary at all.
    const echoLost = ['Failure:', 'The command "script/cibuild" exited with 1.'];
    const noSummary = ['$ make', 'cc: error: no input files', 'make: *** [all] Error 1'];

    // Act / Assess
    expect(failingCommandSpan(echoLost)).toBeUndefined();
    expect(failingCommandSpan(noSummary)).toBeUndefined();
  });
});
