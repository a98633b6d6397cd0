import { describe, expect, it } from 'vitest';
import { normalizeLine } from '../../shared/text/normalize';

describe('Function: normalizeLine', () => {
  it('keeps the text of a line that ends with several carriage returns', () => {
    // Prepare: a pty under another pty ends lines with `\r\r\n`
    const raw = '  \u001b[1;31m/build/tests/libs/tap.lua:85: Missing 1 expected call\r\r';

    // Act
    const line = normalizeLine(raw);

    // Assess
    expect(line).toBe('  /build/tests/libs/tap.lua:85: Missing 1 expected call');
  });

  it('keeps the last segment of CR-only progress output', () => {
    // Act
    const line = normalizeLine('Receiving objects:  50% (5/10)\rReceiving objects: 100% (10/10), done.\r');

    // Assess
    expect(line).toBe('Receiving objects: 100% (10/10), done.');
  });
});
