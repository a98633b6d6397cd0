/**
 * Lines that a failed job prints whatever failed: the runner's own verdicts, the container hooks' and the OSDC
 * wrapper's exit messages, and the harness wrappers that only say that something under them failed or ran out of
 * time. They prove that a step failed and never say why, so two unrelated failures print them alike. One module
 * holds this knowledge for everything that picks lines: the signature's key-line finder (a generic line is never a
 * rule match, and a signature hashed only from generic lines is weak: no cache reuse), context selection (no window
 * is spent on them) and the capture scorer's callers.
 *
 * Two kinds: `wrapper` lines (runner, container hooks, OSDC) carry nothing at all and are skipped like group markers;
 * `harness` lines (`Command took >30min, returning 124`, `Got exit code 124`) say *how* a step ended and may stand as
 * a key line when nothing more specific was printed, but they never tell failures apart on their own. General CI
 * knowledge only, never a repository's own strings; patterns are anchored and linear (the log is attacker-controlled).
 */

export type GenericKind = 'wrapper' | 'harness' | 'verdict';

/** The runner, its container hooks and the OSDC wrapper, printed after every failed or cancelled step. */
const WRAPPER_LINES: readonly RegExp[] = [
  // GitHub Actions' runner: the step's exit, in its own annotation or a composite action's `Error:` line.
  /^(?:##\[error\]|::error::)?Process completed with exit code -?\d+\.?$/,
  // The Kubernetes container hooks, when the step's pod or script fails (and when the hook itself crashes).
  /^##\[error\]Executing the custom container implementation failed\b/,
  /^##\[error\]TypeError: Cannot read properties of (?:null|undefined) \(reading '\w+'\)$/,
  // OSDC's hook wrapper (see design.md: it prints this even when the hook, not the script, failed).
  /^(?:##\[error\]|::error::)?\[OSDC\] Step (?:script exited with code -?\d+\b|cancelled by GitHub Actions\b)/,
  // An action's exit wrapper: the process it ran is named, why it failed is printed above.
  /^(?:##\[error\]|::error::)?(?:Error: )?The process '[^']*' failed with exit code -?\d+\.?$/,
  // Jenkins' and GitLab's closing verdicts.
  /^Build step '[^']*' marked build as failure$/,
  /^Finished: (?:FAILURE|ABORTED|UNSTABLE)$/,
  /^ERROR: Job failed: exit (?:code|status) -?\d+$/,
];

/** Harness wrappers: a test driver or retry script reporting that what it ran exited, timed out or was killed. */
const HARNESS_LINES: readonly RegExp[] = [
  /^Command took >\s?\d+(?:\.\d+)?\s?(?:s|sec|min|m|h)\w*, returning -?\d+$/,
  /^Got exit code -?\d+(?:, retrying.*)?$/,
  /^(?:Error: )?(?:The )?(?:command|script|step) (?:timed out|was killed)(?: after \S+)?\.?$/i,
  /^Terminated$|^Killed$/,
];

/**
 * The words of a test runner's or build tool's closing verdict: counts and outcomes (`Test Suites: 1 failed, 4
 * passed, 5 total`, `Failed 1 tests!!`, `FAILED (failures=2)`, `Error: One or more errors occurred.`, `Ran all test
 * suites.`). A line made of these words and numbers only says that something failed, never what.
 */
const VERDICT_WORDS: ReadonlySet<string> = new Set(
  (
    'a all and any are assertion assertions at build command code completed count details did done err error errors ' +
    'example examples executed exit exited fail failed failing failure failures fatal finished for in info ' +
    'it more not occurred of ok one or out passed passes pending ran randomized run runs see seed skipped spec specs ' +
    'status step success successful suite suites task tasks test tests the time todo top total unsuccessful warn ' +
    'warning warnings was were with above npm yarn'
  ).split(' '),
);
/** A verdict also says it failed; `Ran all test suites.` alone is chatter, still generic. */
const MAX_VERDICT_WORDS = 16;

function isVerdict(text: string): boolean {
  // Numbers and durations (`3`, `43/44`, `1.2s`) are counts; a token mixing letters and digits (`test72`) is a name.
  const words = text.split(/[^A-Za-z0-9_]+/).filter((word) => word.length > 0 && !COUNT.test(word));
  if (words.length === 0 || words.length > MAX_VERDICT_WORDS) return false;
  return words.every((word) => VERDICT_WORDS.has(word.toLowerCase()));
}
const COUNT = /^\d+(?:ms|s|m|h)?$/;

/**
 * Whether a normalised line is printed by every failed job alike, and of which kind.
 *
 * @example
 * genericKindOf('##[error]Process completed with exit code 1.'); // 'wrapper'
 * genericKindOf('Command took >30min, returning 124');            // 'harness'
 * genericKindOf('FAILED test/test_nn.py::test_conv');             // undefined
 */
export function genericKindOf(normalized: string): GenericKind | undefined {
  const text = normalized.trim();
  if (text.length === 0 || text.length > 300) return undefined;
  if (WRAPPER_LINES.some((pattern) => pattern.test(text))) return 'wrapper';
  if (HARNESS_LINES.some((pattern) => pattern.test(text))) return 'harness';
  if (isVerdict(text)) return 'verdict';
  return undefined;
}

/** Whether a normalised line, whatever its kind, cannot tell one failure from another. */
export function isGenericLine(normalized: string): boolean {
  return genericKindOf(normalized) !== undefined;
}

/**
 * Where the first failing step of a GitHub Actions job ends: the runner's (or OSDC wrapper's) exit line with a
 * non-zero code. Everything after it was printed by later steps — `if: always()` uploads, cleanups, post steps —
 * whose errors are consequences or noise. `undefined` when the log has no such line (a single step's capture, an
 * action that failed with its own `##[error]`, another CI).
 */
export function firstStepExit(texts: readonly string[]): number | undefined {
  const index = texts.findIndex((text) => STEP_EXIT.test(text));
  return index >= 0 ? index : undefined;
}

const STEP_EXIT =
  /^(?:##\[error\]Process completed with exit code [1-9]\d*\.?$|(?:##\[error\]|::error::)?\[OSDC\] Step script exited with code [1-9])/;

/** Travis's line after a script command that failed: `The command "make" exited with 2.` (or `… failed …`). */
export const TRAVIS_COMMAND_FAILED = /^The command "(.{1,2000})" (?:exited with [1-9]\d*|failed\b)/;

/**
 * Where Travis echoed (`$ make`) the command that the failure line at `failed` reports, searching back to `after`
 * (exclusive): that command's own output starts there. `undefined` when the line is no such report or the echo is
 * not in the log.
 */
export function travisCommandEcho(
  textAt: (index: number) => string,
  failed: number,
  after = -1,
): number | undefined {
  const command = TRAVIS_COMMAND_FAILED.exec(textAt(failed))?.[1];
  if (command === undefined) return undefined;
  const echo = `$ ${command}`;
  for (let i = failed - 1; i > after; i -= 1) if (textAt(i) === echo) return i;
  return undefined;
}
