/**
 * Test drivers that re-raise a failure, and tracebacks (Python, Lua).
 *
 * Order: A traceback names the exception and where it was raised; it ranks below a test runner's verdict, which names
 * the test, and above build errors.
 */
import { isReraisedSummary, reraisedWithCause } from '../reraised-with-cause';
import { lineBeforeTraceback, pythonTracebackKeyLines } from '../rule-key-lines';
import type { SignatureRule } from './signature-rule';

export const TRACEBACK_RULES: readonly SignatureRule[] = [
  // A test driver's traceback that re-raises "test_x 1/2 failed!": it points back to the output it wraps. A row there
  // that names the failed test (`TestX - failed. reason`) comes first; else the re-raise names the failing test file,
  // and the earlier exception that made it fail is its second key line.
  {
    id: 'test-driver-failure',
    category: 'test',
    tier: 'specific',
    pattern: /^Traceback \(most recent call last\):$/,
    confirm: isReraisedSummary,
    keyLines: reraisedWithCause,
  },
  // Python tracebacks: the exception and the last frame.
  {
    id: 'python-traceback',
    category: 'test',
    tier: 'specific',
    pattern: /^Traceback \(most recent call last\):$/,
    confirm: (lines, index) => !isReraisedSummary(lines, index),
    keyLines: pythonTracebackKeyLines,
  },
  {
    id: 'lua-traceback',
    category: 'test',
    tier: 'specific',
    pattern: /^stack traceback:$/,
    keyLines: lineBeforeTraceback,
  },
];
