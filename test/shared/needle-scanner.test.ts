import { describe, expect, it } from 'vitest';
import { NEEDLE_SCAN_WASM_BASE64 } from '../../shared/log/needle-scan-wasm';
import { NeedleScanner, NeedleScannerError } from '../../shared/log/needle-scanner';
// @ts-expect-error: a plain .mjs build tool without type declarations
import { compileNeedleScan } from '../../tools/build-wasm.mjs';

const KEYWORDS = ['rror', 'RROR', 'FAIL', 'xcept', 'Timeout', 'd out', "' panic", 'k::', 'Y-----'];

/** Every keyword start found the slow way: one `indexOf` sweep per keyword. */
function startsByIndexOf(text: Buffer, keywords: readonly string[]): number[] {
  const starts = new Set<number>();
  for (const keyword of keywords) {
    const needle = Buffer.from(keyword, 'latin1');
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) starts.add(at);
  }
  return [...starts].sort((a, b) => a - b);
}

describe('Class: NeedleScanner', () => {
  it('finds every keyword start that one search per keyword finds, in order', () => {
    // Prepare
    const lines = Array.from({ length: 3000 }, (_, i) =>
      i % 7 === 0
        ? `src/op_${i}.cpp:12:5: error: no member named 'x' (ERROR ${i}) FAILED after Timeout, timed out`
        : `2026-07-30T10:39:20.${i}Z [${i}/3000] Building CXX object op_${i}.cpp.o ::add-mask:: KEY-----`,
    );
    const text = Buffer.from(lines.join('\n'));
    const scanner = new NeedleScanner(KEYWORDS);

    // Act
    const found = scanner.scan(text);

    // Assess
    expect([...(found ?? [])]).toEqual(startsByIndexOf(text, KEYWORDS));
    expect(found?.length).toBeGreaterThan(1000);
  });

  it('finds keywords at the very start and the very end of a chunk, and overlapping ones', () => {
    // Prepare
    const scanner = new NeedleScanner(KEYWORDS);
    const text = Buffer.from('rror ERRORRROR xceptrror');

    // Act
    const found = scanner.scan(text);

    // Assess
    expect([...(found ?? [])]).toEqual(startsByIndexOf(text, KEYWORDS));
    expect(found?.at(0)).toBe(0);
    expect(found?.at(-1)).toBe(text.length - 4);
  });

  it('does not report a keyword cut off by the end of the chunk', () => {
    // Prepare
    const scanner = new NeedleScanner(KEYWORDS);

    // Act
    const found = scanner.scan(Buffer.from('all good until FAI'));

    // Assess
    expect(found?.length).toBe(0);
  });

  it('grows its memory for chunks larger than any before and stays correct after', () => {
    // Prepare
    const scanner = new NeedleScanner(KEYWORDS);
    const big = Buffer.from(`${'x'.repeat(3 * 1024 * 1024)} FAIL here`);
    const small = Buffer.from('then a Timeout');

    // Act
    const inBig = [...(scanner.scan(big) ?? [])];
    const inSmall = [...(scanner.scan(small) ?? [])];

    // Assess
    expect(inBig).toEqual([3 * 1024 * 1024 + 1]);
    expect(inSmall).toEqual([7]);
  });

  it('gives up on a chunk with more keyword starts than it can report', () => {
    // Prepare
    const scanner = new NeedleScanner(['OOM']);

    // Act
    const found = scanner.scan(Buffer.from('OOM '.repeat(20_000)));

    // Assess
    expect(found).toBeUndefined();
  });

  it('rejects keywords it cannot hold', () => {
    expect(() => new NeedleScanner([])).toThrow(NeedleScannerError);
    expect(() => new NeedleScanner(['ab'])).toThrow(/3 to 16 bytes/);
    expect(() => new NeedleScanner(['x'.repeat(17)])).toThrow(/3 to 16 bytes/);
    expect(() => new NeedleScanner(Array.from({ length: 33 }, (_, i) => `kw${i}`))).toThrow(
      /between 1 and 32/,
    );
  });

  it('is built from needle-scan.wat as committed', async () => {
    // Act
    const compiled = (await compileNeedleScan()) as Buffer;

    // Assess
    expect(compiled.toString('base64')).toBe(NEEDLE_SCAN_WASM_BASE64);
  });
});
