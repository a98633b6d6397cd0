import { describe, expect, it } from 'vitest';
import { snapshotLines, snapshotOfText } from '../../shared/log/snapshot-lines';
import { computeSignature, explainSignature } from '../../shared/signature/compute-signature';
import { findKeyLines } from '../../shared/signature/find-key-lines';
import { signatureDetails } from '../../shared/signature/signature-details';

const signatureOf = (lines: readonly string[]) => computeSignature(snapshotOfText(lines));
const keyTextsOf = (lines: readonly string[]) => signatureOf(lines).keyLines.map((key) => key.text);
const travisEnd = (command: string, code = 1) => ['', `The command "${command}" exited with ${code}.`, ''];

/** An Emacs startup failure: the error heads a backtrace longer than the paragraph the key lines come from. */
function emacsBacktrace(message: string): string[] {
  const frames = Array.from(
    { length: 40 },
    (_, i) => `  sanityinc/frame-${i}((closure (t) (package) "Install PACKAGE."))`,
  );
  return [
    'Attempting startup...',
    "Opening TLS connection to `elpa.gnu.org'...failed",
    '...',
    `  signal(error ("${message}"))`,
    `  error("${message}")`,
    ...frames,
    '  (let ((debug-on-error t) (url-show-status nil)) (load-file user-init-file))',
    '  eval((let ((debug-on-error t) (url-show-status nil)) (load-file user-init-file)))',
    '  command-line()',
    '  normal-top-level()',
    ...travisEnd('lsb_release -a && ./test-startup.sh', 255),
  ];
}

/** sbt's report of failed test tasks, then the message-less exception it throws. */
function sbtFailure(task: string): string[] {
  return [
    '[info] Main Scala API documentation successful.',
    '[error] 1 of 13 test tasks failed:',
    `[error] - ${task}`,
    '[error]   - test/it:testOnly failed: sbt.TestsFailedException: Tests unsuccessful',
    'java.lang.RuntimeException',
    '\tat $07aa4d99f34ebce928ee$$anonfun$root$27.apply(build.sbt:1031)',
    '\tat sbt.Execute.work(Execute.scala:237)',
    '[error] Total time: 2790 s, completed Jul 8, 2019 10:14:41 AM',
    ...travisEnd('sbt -warn test'),
  ];
}

/** Common Test's report of a test case that hit its time limit. */
function timetrap(testCase: string, line: number): string[] {
  return [
    '08:34:10.252 [info] (tcp|<0.11486.0>) Closing c2s session: Connection failed: connection_closed',
    '',
    '- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -',
    `suite:${testCase} failed on line ${line}`,
    'Reason: timetrap_timeout',
    '- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -',
    '',
    'Testing processone.ejabberd: *** FAILED test case 1168 of 1470 ***',
  ];
}

/** An ExUnit assertion failure whose asserted code spans lines and whose `left:` value is a captured log. */
function exunitAssertion(left: string): string[] {
  return [
    '  1) test does not log converted errors if response already sent (Phoenix.Endpoint.RenderErrorsTest)',
    '     test/phoenix/endpoint/render_errors_test.exs:146',
    '     Assertion with == failed',
    '     code:  assert capture_log(fn -> try do',
    '              Plug.Conn.send_resp(conn, 200, "hello")',
    '              throw(:hello)',
    '            end end) == ""',
    `     left:  ${left}`,
    '     right: ""',
    '     stacktrace:',
    '       test/phoenix/endpoint/render_errors_test.exs:149: (test)',
  ];
}

/** The texts of the detail lines of a log given as lines. */
function detailTextsOf(lines: readonly string[]): string[] {
  const flat = snapshotLines(snapshotOfText(lines));
  const found = findKeyLines(flat);
  const keyIndices = found?.keyIndices ?? [flat.length - 1];
  return signatureDetails(flat, found, keyIndices).map((index) => flat[index]!.text.trim());
}

describe('Function: signatureDetails', () => {
  it("adds an ExUnit assertion's code and its left value under a bare verdict", () => {
    // Act
    const details = detailTextsOf(
      exunitAssertion(String.raw`"\n21:37:31.096 [warn]  no configuration found\n"`),
    );

    // Assess
    expect(details).toEqual([
      'code:  assert capture_log(fn -> try do',
      String.raw`left:  "\n21:37:31.096 [warn]  no configuration found\n"`,
    ]);
  });

  it("does not take the next failure's left value when the assertion block ends without one", () => {
    // Prepare
    const withoutLeft = exunitAssertion('""').filter((line) => !line.trimStart().startsWith('left:'));
    const lines = [
      ...withoutLeft,
      '',
      ...exunitAssertion('"stray"').map((line) => line.replace('1) test does', '2) test still does')),
    ];

    // Act / Assess
    expect(detailTextsOf(lines)).toEqual(['code:  assert capture_log(fn -> try do']);
  });

  it('adds no left value under a message that is not assertion code', () => {
    // Prepare
    const lines = [
      '  1) test reports a timeout (MyApp.WorkerTest)',
      '     ** (exit) exited in: GenServer.call(MyApp.Worker, :ping, 5000)',
      '     left: not an assertion value',
    ];

    // Act / Assess
    expect(detailTextsOf(lines)).toEqual([]);
  });

  it('takes the last failure report above the end of a log that no rule matched', () => {
    // Prepare
    const lines = ['^---- failure generated from test/lint/lint-whitespace.sh', 'Done', 'Bye now'];

    // Act / Assess
    expect(detailTextsOf(lines)).toEqual(['^---- failure generated from test/lint/lint-whitespace.sh']);
  });
});

describe('Function: computeSignature (discriminating details)', () => {
  it('tells ExUnit assertion failures apart by their left value, whatever its time of day', () => {
    // Prepare
    const warn = (time: string) => exunitAssertion(String.raw`"\n${time} [warn]  no configuration found\n"`);
    const info = exunitAssertion(String.raw`"\n21:37:31.096 [info]  Plug.SSL is redirecting GET /\n"`);

    // Act
    const a = signatureOf(warn('21:37:31.096'));

    // Assess
    expect(a.rule).toBe('exunit-failure');
    expect(signatureOf(warn('02:05:59.512')).signature).toBe(a.signature);
    expect(signatureOf(info).signature).not.toBe(a.signature);
  });

  it('tells summary-only failures apart by the message heading a long backtrace', () => {
    // Prepare
    const connection = emacsBacktrace('Could not create connection to elpa.gnu.org:443');
    const unavailable = emacsBacktrace("Package `emacs-25.1' is unavailable");

    // Act
    const a = signatureOf(connection);
    const b = signatureOf(unavailable);

    // Assess
    expect(a.rule).toBe('travis-command-failed');
    expect(keyTextsOf(connection)).toEqual(keyTextsOf(unavailable));
    expect(a.signature).not.toBe(b.signature);
  });

  it('keeps the signature of a summary-only failure when its port and line offsets change', () => {
    // Prepare
    const original = emacsBacktrace('Could not create connection to elpa.gnu.org:443');
    const rerun = [
      'Cloning into build...',
      ...emacsBacktrace('Could not create connection to elpa.gnu.org:8443'),
    ];

    // Act / Assess
    expect(signatureOf(rerun).signature).toBe(signatureOf(original).signature);
  });

  it('tells message-less exceptions apart by the failure report above them', () => {
    // Prepare
    const partest = sbtFailure('partest pos neg jvm');
    const presentation = sbtFailure('partest instrumented presentation');

    // Act
    const a = signatureOf(partest);
    const b = signatureOf(presentation);

    // Assess
    expect(a.rule).toBe('exception');
    expect(keyTextsOf(partest)).toEqual(keyTextsOf(presentation));
    expect(a.signature).not.toBe(b.signature);
  });

  it('tells time limits apart by the test case that hit them, whatever its line', () => {
    // Act
    const sendRecv = signatureOf(timetrap('send_recv', 593));
    const moved = signatureOf(timetrap('send_recv', 611));
    const recvMessage = signatureOf(timetrap('recv_message', 593));

    // Assess
    expect(sendRecv.keyLines.map((key) => key.text)).toEqual(['Reason: timetrap_timeout']);
    expect(moved.signature).toBe(sendRecv.signature);
    expect(recvMessage.signature).not.toBe(sendRecv.signature);
  });

  it("tells a test file's failures apart by the test named under its header", () => {
    // Prepare
    const header = (seconds: string) => [
      '$ jest --coverage',
      ` FAIL  test/autoprefixer.test.js (${seconds}s)`,
    ];
    const doubling = [
      ...header('11.408'),
      '  ● prevents doubling prefixes',
      '',
      '    expect(received).toEqual(expected)',
    ];
    const grid = [
      ...header('12.3'),
      '  ● hacks › supports grid layout',
      '',
      '    expect(received).toEqual(expected)',
    ];
    const slower = [...header('14.9'), ...doubling.slice(2)];

    // Act
    const a = signatureOf(doubling);

    // Assess
    expect(a.rule).toBe('jest-failure');
    expect(signatureOf(grid).signature).not.toBe(a.signature);
    expect(signatureOf(slower).signature).toBe(a.signature);
  });

  it('tells a lone failed-test line apart by the message under it, whatever its numbers', () => {
    // Prepare
    const failed = '[info] - Requests exceeding limit should increase dropped_request count *** FAILED ***';
    const notEqual = (a: number, b: number) => [
      failed,
      `[info]   ${a} did not equal ${b} (ConcurrencyEndToEndTest.scala:65)`,
    ];

    // Act
    const a = signatureOf(notEqual(3, 2));
    const b = signatureOf(notEqual(4, 1));
    const c = signatureOf([failed, '[info]   2.0 was not greater than 3 (ConcurrencyEndToEndTest.scala:71)']);

    // Assess
    expect(a.rule).toBe('scalatest-failure');
    expect(b.signature).toBe(a.signature);
    expect(c.signature).not.toBe(a.signature);
  });

  it("does not take the next test's result row for the failed test's message", () => {
    // Prepare
    const row = (name: string, verdict: string) => `=>${name}${' '.repeat(40 - name.length)}${verdict}`;
    const a = [row('text-objects/lexer', 'FAIL'), row('text-objects/line', 'PASS')];
    const b = [row('text-objects/lexer', 'FAIL'), row('text-objects/paragraph', 'PASS')];

    // Act / Assess
    expect(signatureOf(a).rule).toBe('test-status-line');
    expect(signatureOf(b).signature).toBe(signatureOf(a).signature);
  });

  it('looks above a silent failing check for the output it checked', () => {
    // Prepare
    const grepCheck = "grep -q 'TEST COMPLETE,.* 0 failed' logs/raw.log";
    const run = (output: string[]) => [
      '$ escript ./rebar skip_deps=true ct -v',
      ...output,
      'DONE.',
      ...travisEnd('escript ./rebar skip_deps=true ct -v', 0),
      `$ ${grepCheck}`,
      ...travisEnd(grepCheck),
    ];
    const missingEbin = run([
      'Test run failed! Reason:',
      `{'EXIT',{error,{enoent,"/home/travis/build/o/r/ebin"}}}`,
    ]);
    const crashed = run([
      '=ERROR REPORT==== 5-Jul-2019::07:41:12 ===',
      '** gen_event handler cth_log_redirect crashed.',
    ]);

    // Act / Assess
    expect(signatureOf(missingEbin).signature).not.toBe(signatureOf(crashed).signature);
  });

  it('does not look above a failing command that printed output of its own', () => {
    // Prepare
    const run = (earlier: string) => [
      '$ ./configure',
      `ERROR: ${earlier} (ignored, continuing)`,
      ...travisEnd('./configure', 0),
      '$ make check',
      'check-format: src/main.c is not formatted',
      ...travisEnd('make check'),
    ];

    // Act / Assess
    expect(signatureOf(run('optional libfoo not found')).signature).toBe(
      signatureOf(run('optional libbar not found')).signature,
    );
  });

  it('groups network failures by host, not by what was being downloaded', () => {
    // Prepare
    const unreachable = (url: string) => [
      `fatal: unable to access '${url}': Failed to connect to github.com port 443: Connection timed out`,
      ...travisEnd('make deps'),
    ];

    // Act
    const cacheTab = signatureOf(unreachable('https://github.com/processone/cache_tab/'));
    const stun = signatureOf(unreachable('https://github.com/processone/stun/'));
    const gitlab = signatureOf(unreachable('https://gitlab.com/processone/stun/'));

    // Assess
    expect(cacheTab.rule).toBe('network');
    expect(stun.signature).toBe(cacheTab.signature);
    expect(gitlab.signature).not.toBe(cacheTab.signature);
  });

  it('tells unrecognised failures apart by the last line that reports one', () => {
    // Prepare
    const lint = (script: string) => [
      '* Checking consistency between dispatch tables and vRPCConvertParams',
      `^---- failure generated from test/lint/${script}`,
      'src/netbase.cpp:608: thru  ==> through',
      '^ Warning: codespell identified likely spelling errors. Any false positives? Add them to the ignore list.',
    ];

    // Act
    const guards = signatureOf(lint('lint-include-guards.sh'));
    const locale = signatureOf(lint('lint-locale-dependence.sh'));

    // Assess
    expect(guards.rule).toBe('no-match');
    expect(guards.keyLines).toHaveLength(1);
    expect(locale.signature).not.toBe(guards.signature);
  });
});

describe('Function: explainSignature', () => {
  it('lists the detail lines it hashed apart from the key lines', () => {
    // Prepare
    const lines = snapshotLines(snapshotOfText(timetrap('send_recv', 593)));

    // Act
    const { signature, details } = explainSignature(lines);

    // Assess
    expect(signature.keyLines.map((key) => key.line)).toEqual([5]);
    expect(details).toEqual([
      { line: 4, text: 'suite:send_recv failed on line 593' },
      { line: 8, text: 'Testing processone.ejabberd: *** FAILED test case 1168 of 1470 ***' },
    ]);
  });
});
