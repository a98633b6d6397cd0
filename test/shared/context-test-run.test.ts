import { describe, expect, it } from 'vitest';
import { selectContext } from '../../shared/context/context-selection';
import { snapshotOfText } from '../../shared/log/snapshot-lines';
import { SIGNATURE_RULES } from '../../shared/signature/rules';

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
/** Distinct names, so that no run of lines that differ only in digits is collapsed. */
const nameOf = (i: number): string =>
  `${WORDS[i % 10]}-${WORDS[Math.floor(i / 10) % 10]}-${WORDS[Math.floor(i / 100) % 10]}`;
const shownLines = (context: ReturnType<typeof selectContext>): Set<number> =>
  new Set(context.lines.map((line) => line.line));

/** A minitest report: skips and one failure as blocks under a header, then the counts and the slowest tests. */
function minitestReport(): string[] {
  const lines: string[] = [];
  for (let i = 0; i < 6; i += 1) {
    lines.push(`Skipped:`, `TestServe#test_${nameOf(i)} [test/test_serve.rb:47]:`, 'Not supported here', '');
  }
  lines.push(
    'Failure:',
    'TestKramdown#test_highlighter [test/test_kramdown.rb:106]',
    'Minitest::Assertion: Expected true to not be truthy.',
    '',
    '868 tests, 1540 assertions, 1 failures, 0 errors, 7 skips',
  );
  for (let i = 0; i < 10; i += 1) lines.push(`${i}.2ms - TestSite#test_${nameOf(i)}`);
  return lines;
}

describe('Function: selectContext, test runs', () => {
  it('spends no window on generic error words printed before the failed command started', () => {
    // Prepare: a setup command prints a changelog whose entries mention errors; the tests then fail.
    const changelog = Array.from(
      { length: 120 },
      (_, i) => `* Improve the error message of gem ${nameOf(i)} when its spec is invalid.`,
    );
    const testOutput = Array.from({ length: 60 }, (_, i) => `TestSite#test_${nameOf(i)} = 0.${i}1 s = .`);
    const lines = [
      '$ gem update --system',
      ...changelog,
      '$ script/cibuild',
      ...testOutput,
      ...minitestReport(),
      'rake aborted!',
      'The command "script/cibuild" exited with 1.',
      'Done. Your build exited with 1.',
    ];

    // Act
    const context = selectContext(snapshotOfText(lines), { budgetBytes: 4 * 1024 });

    // Assess
    expect(context.text).toContain('Minitest::Assertion: Expected true to not be truthy.');
    expect(context.text).not.toContain('when its spec is invalid');
  });

  it('shows the block under a failure header that no rule knows', () => {
    // Prepare: the rules are off, so only the scorer finds the `Failure:` header; a long run of distinct passing
    // output after the report keeps the tail away from it.
    const lines = [
      ...Array.from({ length: 300 }, (_, i) => `compiling ${nameOf(i)}.rb`),
      ...minitestReport(),
      ...Array.from({ length: 400 }, (_, i) => `uploading coverage for ${nameOf(i)}.rb`),
    ];

    // Act
    const context = selectContext(snapshotOfText(lines), {
      budgetBytes: 4 * 1024,
      withoutRules: new Set(SIGNATURE_RULES.map((rule) => rule.id)),
    });

    // Assess
    expect(context.text).toContain('Failure:\nTestKramdown#test_highlighter [test/test_kramdown.rb:106]');
    expect(context.text).toContain('Minitest::Assertion: Expected true to not be truthy.');
  });

  it('shows the first failing test row before the first error of each kind printed around it', () => {
    // Prepare: a ScalaTest run with its rule off, among errors of four kinds (an exception, a refused connection, a
    // crash, a traceback), each with a long stack: their first-of-a-kind windows alone would fill a small budget.
    const stack = (kind: string, header: string) => [
      header,
      ...Array.from(
        { length: 40 },
        (_, i) => `\tat com.example.net.${kind}Handler.handle${nameOf(i)}(${kind}Handler.scala:${100 + i})`,
      ),
    ];
    const lines = [
      ...stack('IllegalState', 'java.lang.IllegalStateException: connection reset while draining'),
      ...stack('Proxy', 'curl: (7) Failed to connect to proxy.example.com port 443: Connection refused'),
      '[info] SessionSpec:',
      ...Array.from({ length: 30 }, (_, i) => `[info] - keeps session ${nameOf(i)} open`),
      '[info] - closes a rejected session *** FAILED ***',
      '[info]   Expected SslException to be thrown, but Failure was thrown (SessionSpec.scala:151)',
      ...Array.from({ length: 30 }, (_, i) => `[info] - reopens session ${nameOf(i)}`),
      '[info] - reopens a rejected session *** FAILED ***',
      '[info]   Expected an open session, but it was closed (SessionSpec.scala:170)',
      ...stack('Worker', 'Segmentation fault (core dumped)'),
      ...stack('Script', 'Traceback (most recent call last):'),
      '[error] Failed tests: com.example.SessionSpec',
    ];
    const failedRow = lines.indexOf('[info] - closes a rejected session *** FAILED ***') + 1;

    // Act
    const context = selectContext(snapshotOfText(lines), {
      budgetBytes: 8 * 1024,
      withoutRules: new Set(['scalatest-failure']),
    });

    // Assess
    const shown = shownLines(context);
    expect(shown.has(failedRow)).toBe(true);
    expect(shown.has(failedRow + 1)).toBe(true);
  });
});
