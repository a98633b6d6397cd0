import { describe, expect, it } from 'vitest';
import { findFirstFailure } from '../../shared/log/first-failure';

describe('Function: findFirstFailure', () => {
  it('finds the first Pester-style [-] row among [+] rows, not the summary at the end', () => {
    // Arrange
    const texts = [
      'Describing Get-Widget',
      '    [+] returns a widget 31ms',
      '    [-] rejects an empty name 12ms',
      '      Expected an exception, but none was thrown.',
      '    [+] lists widgets 5ms',
      '    [-] caches the result 8ms',
      '      Expected 1 but got 2.',
      'Tests completed in 2.1s',
      'Passed: 2 Failed: 2 Skipped: 0',
    ];

    // Act / Assess
    expect(findFirstFailure(texts)).toEqual({ index: 2, kind: 'verdict-row' });
  });

  it('finds a ScalaTest-style row whose verdict ends it', () => {
    // Arrange
    const texts = [
      '[info] ParserSpec:',
      '[info] - parses an empty document',
      '[info] - parses nested lists *** FAILED ***',
      '[info]   List(1) did not equal List(1, 2) (ParserSpec.scala:42)',
      '[info] - parses tables *** FAILED ***',
      '[error] Failed tests: ParserSpec',
    ];

    // Act / Assess
    expect(findFirstFailure(texts)?.index).toBe(2);
  });

  it('finds an xcpretty-style ✗ row among ✓ rows', () => {
    // Arrange
    const texts = [
      'Test Suite ParserTests started',
      '    ✓ testEmpty (0.001 seconds)',
      '    ✗ testNested, XCTAssertEqual failed',
      '    ✓ testTables (0.002 seconds)',
    ];

    // Act / Assess
    expect(findFirstFailure(texts)?.index).toBe(2);
  });

  it('finds a Jest-style FAIL file row among PASS rows', () => {
    // Arrange
    const texts = [
      ' PASS  src/add.test.js',
      ' FAIL  src/parse.test.js',
      '  ● parse › reads numbers',
      '    expect(received).toBe(expected)',
    ];

    // Act / Assess
    expect(findFirstFailure(texts)?.index).toBe(1);
  });

  it('finds the first numbered failure block of ExUnit and minitest when a diagnostic follows it', () => {
    // Arrange
    const exunit = [
      'Compiling 3 files (.ex)',
      '',
      '  1) test parses a header (ParserTest)',
      '     test/parser_test.exs:12',
      '     Assertion with == failed',
    ];
    const minitest = [
      'Run options: --seed 4242',
      '',
      '  1) Failure:',
      'ParserTest#test_header [test/parser_test.rb:12]:',
      'Expected: 1',
      '  Actual: 2',
    ];

    // Act / Assess
    expect(findFirstFailure(exunit)).toEqual({ index: 2, kind: 'numbered-block' });
    expect(findFirstFailure(minitest)).toEqual({ index: 2, kind: 'numbered-block' });
  });

  it('finds a Rust-style per-test stdout section', () => {
    // Arrange
    const texts = [
      'running 3 tests',
      'test parse::empty ... ok',
      'failures:',
      '',
      '---- parse::nested stdout ----',
      "thread 'parse::nested' panicked at src/parse.rs:40:5",
    ];

    // Act / Assess
    expect(findFirstFailure(texts)?.index).toBeLessThanOrEqual(4);
  });

  it('does not take a numbered list without a diagnostic, nor one stray FAILED line, for a test failure', () => {
    // Arrange
    const texts = [
      'Steps:',
      '  1) Install the toolchain',
      '  2) Build the docs',
      'Uploading artifacts ... FAILED',
    ];

    // Act / Assess
    expect(findFirstFailure(texts)).toBeUndefined();
  });

  it('ignores echoed commands that mention a failure', () => {
    // Arrange
    const texts = ['$ FAILED=0 ./run-tests.sh', '+ FAIL=1', '  ok 1 parses', '  ok 2 prints'];

    // Act / Assess
    expect(findFirstFailure(texts)).toBeUndefined();
  });

  it('reads a very long hostile line in bounded time', () => {
    // Arrange
    const texts = [`${' '.repeat(5)}${'- '.repeat(200_000)}x`, `1) ${'a '.repeat(200_000)}`];

    // Act
    const started = performance.now();
    findFirstFailure(texts);

    // Assess
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
