import { describe, expect, it } from 'vitest';
import { scoreLine } from '../../shared/line-score';

describe('Function: scoreLine', () => {
  it.each([
    'fail: [string "bundle:libs/codec.lua"]:123: No such hash: 31b8c996c762b151bedbd7f0e5ad12c2ababf3cd',
    'failed: could not open /etc/app.conf',
    "src/net/socket.cc:88:4: error: use of undeclared identifier 'sock_fd'",
    'FAILED test/test_nn.py::test_conv - AssertionError',
  ])('scores a failure line: %s', (line) => {
    // Act / Assess
    expect(scoreLine(line)).toBeGreaterThan(0);
  });

  it.each([
    'Generating output file xrefindex.gls......done (4952 lines written, 0 warnings).',
    'Build succeeded: 0 errors, 0 failures',
    'compiling: libs/fail-fast.lua (22.2% reduction)',
    '',
  ])('does not score an ordinary line: %s', (line) => {
    // Act / Assess
    expect(scoreLine(line)).toBe(0);
  });
});
