/**
 * Key-line extractors and context checks for the signature rules: the parts of a rule that look past the matched
 * line (a traceback's last frame and exception, the first failing test of a list, Go's failing subtest, Rust's first
 * `---- name stdout ----` block). Each looks a bounded number of lines away.
 */
import { isGenericLine } from '../text/line-genericness';

export const LOOK_AHEAD = 120;

/** A compiler diagnostic line: `file:line:col: error: …`, MSVC's `file(line): error C1234:`, javac's `[ERROR] …`. */
export const COMPILER_DIAGNOSTIC =
  /^(?:\[ERROR\] )?\S.*?(?::\d+(?::\d+)?:|\(\d+(?:,\d+)?\)\s?:|:\[\d+,\d+\]) (?:fatal )?error(?:\s?(?:\[\w+\]|C\d+|[A-Z]+\d+))?:? /;

/** An exception line as Python prints it at the end of a traceback: `pkg.mod.SomeError: message`. */
export const PYTHON_EXCEPTION =
  /^(?:E\s+)?(?:[A-Za-z_][\w]*\.)*[A-Za-z_]\w*(?:Error|Exception|Exit|Interrupt|Failure|Warning|Fault|Timeout|Exceeded)\b(?::|$)/;

function indentOf(text: string): number {
  return text.length - text.trimStart().length;
}

/**
 * The exception closing a Python traceback and the last frame before it. The exception is at the header's
 * indentation, which is not always zero: test runners indent the logs of the tests they report.
 */
export function pythonTracebackKeyLines(lines: readonly string[], index: number): number[] {
  let lastFrame = -1;
  const indent = indentOf(lines[index]!);
  const end = Math.min(lines.length, index + 1 + LOOK_AHEAD * 4);
  for (let i = index + 1; i < end; i += 1) {
    const raw = lines[i]!;
    if (/^\s*File "[^"]*", line \d+/.test(raw)) {
      lastFrame = i;
      continue;
    }
    if (raw.trim().length === 0 || indentOf(raw) > indent) continue;
    const text = raw.slice(indent);
    if (/^(?:During handling|The above exception)/.test(text)) continue;
    if (/^Traceback \(most recent call last\)/.test(text)) continue;
    const exception = PYTHON_EXCEPTION.test(text) ? i : interleavedException(lines, i, indent);
    const at = exception ?? i;
    for (let k = i + 1; k < at; k += 1) if (PYTHON_FRAME.test(lines[k]!)) lastFrame = k;
    return lastFrame >= 0 ? [at, lastFrame] : [at];
  }
  return lastFrame >= 0 ? [index, lastFrame] : [index];
}

const PYTHON_FRAME = /^\s*File "[^"]*", line \d+/;
/** How far past another process's line a traceback's own exception is looked for. */
const INTERLEAVED_LINES = 10;

/**
 * Another process's output can land inside a traceback (`Failed to upload artifacts: …` between its frames, when two
 * processes share the terminal): the traceback's exception is then the next exception line at its indentation.
 */
function interleavedException(lines: readonly string[], from: number, indent: number): number | undefined {
  const end = Math.min(lines.length, from + 1 + INTERLEAVED_LINES);
  for (let i = from + 1; i < end; i += 1) {
    const raw = lines[i]!;
    if (indentOf(raw) === indent && PYTHON_EXCEPTION.test(raw.slice(indent))) return i;
  }
  return undefined;
}

/** A pytest failure section header, then its `E   …` exception line and its `file.py:N: Error` location line. */
export function pytestSectionKeyLines(lines: readonly string[], index: number): number[] {
  const keys = [index];
  const end = Math.min(lines.length, index + 1 + LOOK_AHEAD * 4);
  let exception = -1;
  for (let i = index + 1; i < end; i += 1) {
    const text = lines[i]!;
    if (/^_{3,} .+ _{3,}$|^={5,}/.test(text)) break;
    if (exception < 0 && /^E\s{2,}\S/.test(text)) exception = i;
    if (/^\S+:\d+: \w+$/.test(text)) {
      if (exception >= 0) keys.push(exception);
      keys.push(i);
      return keys;
    }
  }
  if (exception >= 0) keys.push(exception);
  return keys;
}

/** The matched line and the first line after it that names an exception or assertion. */
export function withFollowingException(lines: readonly string[], index: number): number[] {
  const end = Math.min(lines.length, index + 1 + LOOK_AHEAD);
  for (let i = index + 1; i < end; i += 1) {
    const text = lines[i]!.trim();
    if (PYTHON_EXCEPTION.test(text) || /^(?:Expected|Assertion|assert)\b|^\*\* \(\w+\)/.test(text))
      return [index, i];
  }
  return [index];
}

/** The first compiler or CMake error of the output that led to a failed wheel build, as a second key line. */
export function withEarlierBuildError(lines: readonly string[], index: number): number[] {
  let cause = -1;
  for (let i = index - 1; i >= Math.max(0, index - LOOK_AHEAD * 2); i -= 1) {
    const text = lines[i]!.trim();
    if (/^(?:Building|Created) wheel for\b/.test(text)) break;
    if (/^CMake Error\b/.test(text) || COMPILER_DIAGNOSTIC.test(text)) cause = i;
  }
  return cause >= 0 ? [index, cause] : [index];
}

/** `* What went wrong:` is followed by Gradle's one-line reason. */
export function gradleWhatWentWrong(lines: readonly string[], index: number): number[] {
  const [next] = nextNonBlank(lines, index);
  return next !== undefined && next !== index ? [next, index] : [index];
}

/** Headers such as `There was 1 failure:` or `3 failing`: the first failure is on the next non-blank line. */
export function nextNonBlank(lines: readonly string[], index: number): number[] {
  const end = Math.min(lines.length, index + 6);
  for (let i = index + 1; i < end; i += 1) if (lines[i]!.trim().length > 0) return [i];
  return [index];
}

/**
 * Headers of a list of failures (`There was 1 failure:`, `Failures:`): the first failure's title and the line after
 * it, which says what went wrong; two tests of one suite failing differently must not share a signature.
 */
export function firstFailureOfList(lines: readonly string[], index: number): number[] {
  const [title] = nextNonBlank(lines, index);
  if (title === undefined || title === index) return [index];
  const [detail] = nextNonBlank(lines, title);
  return detail !== undefined && detail !== title ? [title, detail] : [title];
}

/** A header of its own that announces a list of failed tests: RSpec's and Vim's `Failures:`, libtest's `failures:`. */
export const FAILURE_LIST_HEADER = /^(?:Failures?|failures|FAILURES):$/;
/** How far above a closing recap of failed tests' names the list with their reports may start. */
const RECAP_LINES = 3000;

/**
 * The first failure of a list of failed tests. A list of bare names is often the runner's closing recap of an earlier
 * list that reported each failure (libtest prints `failures:` twice: the tests' output, then their names): when an
 * earlier list within reach opens with the same test, its first report is the key line.
 */
export function firstFailureOfRecappedList(lines: readonly string[], index: number): number[] {
  const keys = firstFailureOfList(lines, index);
  const name = lines[keys[0]!]!.trim();
  if (keys[0] === index || !/^[\w:.]+$/.test(name)) return keys;
  for (let i = index - 1; i >= Math.max(0, index - RECAP_LINES); i -= 1) {
    if (!FAILURE_LIST_HEADER.test(lines[i]!)) continue;
    const earlier = firstFailureOfList(lines, i);
    if (earlier[0] !== i && lines[earlier[0]!]!.includes(name)) return earlier;
  }
  return keys;
}

/** How far back from a failed Rust test's output its `failures:` section may start: one test can print a lot. */
const RUST_FAILURES_LINES = 3000;
const RUST_OUTPUT_HEADER = /^---- \S+ stdout ----$/;

/**
 * libtest prints the output of each failed test under `failures:`; the first block names the first failure, even
 * when a long output pushed it far above the last one, and its panic says what went wrong. Outside that section (a
 * `test x ... FAILED` row, `--nocapture` output) the match itself is the key line.
 */
export function firstRustFailureBlock(lines: readonly string[], index: number): number[] {
  let first = -1;
  for (let i = index; i >= Math.max(0, index - RUST_FAILURES_LINES); i -= 1) {
    const text = lines[i]!;
    if (text === 'failures:') return first >= 0 ? withPanic(lines, first) : [index];
    if (text.startsWith('---- ') && RUST_OUTPUT_HEADER.test(text)) first = i;
  }
  return [index];
}

/** A test's output header and the panic right under it, if any. */
function withPanic(lines: readonly string[], header: number): number[] {
  const panic = lines.slice(header + 1, header + 4).findIndex((line) => line.startsWith("thread '"));
  return panic >= 0 ? [header, header + 1 + panic] : [header];
}

/**
 * `--- FAIL: TestX` and the first message under it. A parent test's line is followed by its subtests' results: the
 * first failing subtest is the more telling key line.
 */
export function goTestKeyLines(lines: readonly string[], index: number): number[] {
  if (!/^\s*--- FAIL: /.test(lines[index]!)) return [index];
  let failure = index;
  const depth = /^\s*/.exec(lines[index]!)![0].length;
  const end = Math.min(lines.length, index + 1 + LOOK_AHEAD * 4);
  for (let i = index + 1; i < end; i += 1) {
    const match = /^(\s*)--- (PASS|FAIL|SKIP): /.exec(lines[i]!);
    if (!match) continue;
    if (match[1]!.length <= depth) break;
    if (match[2] === 'FAIL') {
      failure = i;
      break;
    }
  }
  const message = lines.slice(failure + 1, failure + 6).findIndex((text) => /^\s*\S+\.go:\d+: \S/.test(text));
  return message >= 0 ? [failure, failure + 1 + message] : [failure];
}

/**
 * `x_test.go:12: message` is any `t.Log`/`t.Skip` output; it is the test's failure only when the test's verdict right
 * after it is not `--- PASS` or `--- SKIP` (parallel tests interleave `=== CONT` lines, which leave it open).
 */
export function notLoggedByPassingGoTest(lines: readonly string[], index: number): boolean {
  if (!/^\s*\S+_test\.go:\d+: /.test(lines[index]!)) return true;
  const end = Math.min(lines.length, index + 30);
  for (let i = index + 1; i < end; i += 1) {
    const text = lines[i]!;
    if (/^\s*--- (?:PASS|SKIP): /.test(text)) return false;
    if (/^\s*(?:--- FAIL: |=== )/.test(text)) return true;
  }
  return true;
}

/** Mocha's first failure after `N failing`: its test's name (the `1)` line may hold only the number) and its error. */
export function mochaKeyLines(lines: readonly string[], index: number): number[] {
  const keys: number[] = [];
  const end = Math.min(lines.length, index + 30);
  for (let i = index + 1; i < end; i += 1) {
    const text = lines[i]!.trim();
    if (text.length === 0 || /^\d+\)$/.test(text)) continue;
    if (/^(?:\w+\.)*\w*(?:Error|Exception)\b|^(?:expected|Expected)\b/.test(text)) {
      // The title runs from the suite to the test; its last line names the test.
      return keys.length > 0 ? [keys.at(-1)!, i] : [i];
    }
    if (/^\d+\) /.test(text) && keys.length > 0) break;
    keys.push(i);
  }
  return keys.length > 0 ? keys.slice(0, 2) : [index];
}

/** rustc's `error: …` is followed by a `--> file:line:col` location; other tools' `error:` lines are not. */
export function followedByRustLocation(lines: readonly string[], index: number): boolean {
  const end = Math.min(lines.length, index + 4);
  for (let i = index + 1; i < end; i += 1) if (/^\s*--> \S+:\d+:\d+/.test(lines[i]!)) return true;
  return false;
}

/** Gradle's `* What went wrong:` is specific unless it only repeats that a task failed. */
export function gradleReasonIsSpecific(lines: readonly string[], index: number): boolean {
  const next = lines[index + 1] ?? '';
  return !/^Execution failed for task\b/.test(next);
}

/** Lua prints `stack traceback:` right after the error message; the message is the key line. */
export function lineBeforeTraceback(lines: readonly string[], index: number): number[] {
  for (let i = index - 1; i >= Math.max(0, index - 3); i -= 1)
    if (lines[i]!.trim().length > 0) return [i, index];
  return [index];
}

/** Minitest's `Failure:`/`Error:` header is followed by `Class#test_name [file:line]:`. */
export function followedByMinitestId(lines: readonly string[], index: number): boolean {
  const next = lines[index + 1] ?? '';
  return /^\S+#\S+.*(?:\[\S+:\d+\]|:)$/.test(next) || /^test_\w+\(\S+\)/.test(next);
}

/**
 * `rake aborted!` followed by `Command failed with status` or by a closing verdict (`Failed 1 tests!!`) only repeats
 * that something failed; what failed was printed above it.
 */
export function rakeReasonIsSpecific(lines: readonly string[], index: number): boolean {
  const [next] = nextNonBlank(lines, index);
  if (next === undefined || next === index) return true;
  return !/^Command failed with status\b/.test(lines[next]!) && !isGenericLine(lines[next]!);
}
