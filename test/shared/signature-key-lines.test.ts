import { describe, expect, it } from 'vitest';
import { snapshotLines, snapshotOfText } from '../../shared/log/snapshot-lines';
import { findKeyLines } from '../../shared/signature/find-key-lines';

/** The rule and the texts of the key lines that findKeyLines picks in a log given as lines. */
function keyLinesOf(lines: readonly string[]) {
  const flat = snapshotLines(snapshotOfText(lines));
  const found = findKeyLines(flat);
  return { rule: found?.rule.id, texts: found?.keyIndices.map((index) => flat[index]!.text.trim()) ?? [] };
}

const filler = (count: number, text: (i: number) => string) =>
  Array.from({ length: count }, (_, i) => text(i));

describe('Function: findKeyLines', () => {
  it('takes an error line just before a summary as the cause', () => {
    // Prepare
    const lines = [
      '$ ./build.sh --verbosity=minimal',
      'Runtime Environment:',
      ' OS Name:     Mac OS X',
      ' Base Path:   /Users/travis/build/o/r/.dotnet/sdk/1.1.4',
      'An error occured while installing Cake.',
      '',
      '',
      'The command "./build.sh --verbosity=minimal" exited with 1.',
    ];

    // Act
    const found = keyLinesOf(lines);

    // Assess
    expect(found.rule).toBe('travis-command-failed');
    expect(found.texts[0]).toBe('An error occured while installing Cake.');
  });

  it('walks a cascade of summaries back to the output before the first one', () => {
    // Prepare
    const npmErrors = (script: string) => [
      'npm ERR! code ELIFECYCLE',
      'npm ERR! errno 1',
      `npm ERR! app@1.0.0 ${script}: \`${script}\``,
      'npm ERR! Exit status 1',
      'npm ERR!',
      `npm ERR! Failed at the app@1.0.0 ${script} script.`,
      'npm ERR! This is probably not a problem with npm. There is likely additional logging output above.',
      '',
      'npm ERR! A complete log of this run can be found in:',
      'npm ERR!     /home/travis/.npm/_logs/2019-08-01T18_30_46_601Z-debug.log',
    ];
    const lines = [
      '> prettier "**/*.css" "--check"',
      'Checking formatting...',
      'client/src/components/layouts/prism-night.css',
      'Code style issues found in the above file(s). Forgot to run Prettier?',
      ...npmErrors('prettier'),
      ...npmErrors('lint:css'),
      'ERROR: "lint:css" exited with 1.',
      ...npmErrors('lint'),
      'The command "npm run lint" exited with 1.',
    ];

    // Act
    const found = keyLinesOf(lines);

    // Assess
    expect(found.texts).toContain('Code style issues found in the above file(s). Forgot to run Prettier?');
    expect(found.texts.some((text) => text.startsWith('npm ERR!'))).toBe(false);
  });

  it('tells apart failures of one command by the last line of its output', () => {
    // Prepare
    const failure = (reason: string) => [
      '$ ./check_integrity.sh bin/git-rscp',
      'Skip command rscp',
      reason,
      'The command "./check_integrity.sh bin/git-rscp" exited with 1.',
    ];

    // Act
    const first = keyLinesOf(failure("Run 'make docs' to create man/git-rscp.md"));
    const second = keyLinesOf(failure('Add git-rename-remote in the list of commands in Commands.md'));

    // Assess
    expect(first.texts[0]).toBe("Run 'make docs' to create man/git-rscp.md");
    expect(second.texts[0]).toBe('Add git-rename-remote in the list of commands in Commands.md');
    expect(first.texts[1]).toBe('Skip command rscp');
    expect(second.texts[1]).toBe('Skip command rscp');
  });

  it('keys a summary on the last line its command printed when nothing looks like an error', () => {
    // Prepare
    const lines = [
      '$ latexmk -pdf std -silent; ! grep -Fe "Overfull \\hbox" std.log',
      "Latexmk: Run number 1 of rule 'pdflatex'",
      'Generating output file xrefindex.gls......done (4952 lines written, 0 warnings).',
      'Output written in xrefindex.gls.',
      'entering extended mode',
      'Overfull \\hbox (2.26166pt too wide) in paragraph at lines 4826--4842',
      'travis_time:end:0f38d9c3:start=1564780327160951849,finish=1564780328842426212,duration=1681474363',
      'The command "latexmk -pdf std -silent; ! grep -Fe \'Overfull\' std.log" exited with 1.',
    ];

    // Act
    const found = keyLinesOf(lines);

    // Assess
    expect(found.rule).toBe('travis-command-failed');
    expect(found.texts[0]).toBe('Overfull \\hbox (2.26166pt too wide) in paragraph at lines 4826--4842');
    expect(found.texts.some((text) => text.startsWith('travis_time:'))).toBe(false);
  });

  it('keys a chained traceback on its first exception, not on a repeated header', () => {
    // Prepare
    const lines = [
      'Traceback (most recent call last):',
      '  File "/tmp/jenkins6935586436688970599.py", line 23, in <module>',
      '    gh = Github(login,token)',
      "NameError: name 'Github' is not defined",
      '',
      'During handling of the above exception, another exception occurred:',
      '',
      'Traceback (most recent call last):',
      '  File "/tmp/jenkins6935586436688970599.py", line 35, in <module>',
      '    except GithubException as e:',
      "NameError: name 'GithubException' is not defined",
      "Build step 'Execute Python script' marked build as failure",
    ];

    // Act
    const found = keyLinesOf(lines);

    // Assess
    expect(found.rule).toBe('python-traceback');
    expect(found.texts[0]).toBe("NameError: name 'Github' is not defined");
  });

  it('keys a retried failure on its last repetition', () => {
    // Prepare
    const attempt = (seconds: number) => [
      'Traceback (most recent call last):',
      '  File "/home/travis/build/o/r/download.py", line 12, in <module>',
      `ValueError: checksum mismatch after ${seconds} bytes`,
      'Retrying in 5 seconds...',
    ];
    const lines = [...attempt(31), ...attempt(45), 'Giving up.'];

    // Act
    const flat = snapshotLines(snapshotOfText(lines));
    const found = findKeyLines(flat);

    // Assess
    expect(found?.rule.id).toBe('python-traceback');
    expect(found?.keyIndices[0]).toBe(6);
  });

  it('looks past a first failing command that printed nothing specific to a later one that did', () => {
    // Prepare
    const lines = [
      '$ travis_retry xcodebuild -scheme "App iOS" -destination "platform=iOS Simulator,name=iPhone 6" test | xcpretty',
      'The command "xcodebuild -scheme App iOS test" failed. Retrying, 2 of 3.',
      'The command "travis_retry xcodebuild -scheme "App iOS" test | xcpretty" exited with 70.',
      '',
      '$ travis_retry xcodebuild -scheme "App macOS" test | xcpretty',
      '▸ Compiling App.swift',
      "❌  /Users/travis/build/o/r/Source/App.swift:97:2: unknown attribute 'dynamicMemberLookup'",
      'The command "travis_retry xcodebuild -scheme "App macOS" test | xcpretty" exited with 65.',
    ];

    // Act
    const found = keyLinesOf(lines);

    // Assess
    expect(found.rule).toBe('xcode-diagnostic');
    expect(found.texts[0]).toContain("unknown attribute 'dynamicMemberLookup'");
  });

  it('keeps to the first failing command when it printed a specific failure', () => {
    // Prepare
    const lines = [
      '$ flake8',
      "./tests/shells/test_powershell.py:33:11: F821 undefined name 'FileNotFoundError'",
      'The command "flake8" exited with 1.',
      '',
      '$ pytest',
      '________________________ test_fails ________________________',
      'E   assert 1 == 2',
      'tests/test_x.py:3: AssertionError',
      'The command "pytest" exited with 1.',
    ];

    // Act
    const found = keyLinesOf(lines);

    // Assess
    expect(found.rule).toBe('lint');
  });

  it('passes over a network error in setup that the step survived long before it failed', () => {
    // Prepare
    const lines = [
      '$ rvm use jruby-9.2.7.0 --install --binary --fuzzy',
      'curl: (22) The requested URL returned error: 404 Not Found',
      'Required jruby-9.2.7.0 is not installed - installing.',
      ...filler(500, (i) => `jruby-9.2.7.0 - #step ${i}`),
      '$ bundle exec rake test',
      'Error: the theme could not be built',
      'The command "bundle exec rake test" exited with 1.',
    ];

    // Act
    const found = keyLinesOf(lines);

    // Assess
    expect(found.rule).toBe('travis-command-failed');
    expect(found.texts[0]).toBe('Error: the theme could not be built');
  });

  it("prefers a test framework's failure report over an exception logged long after it", () => {
    // Prepare
    const lines = [
      '[info] - streaming clients can decompress content',
      '[info] - symmetric reader and getContent *** FAILED ***',
      '[info]   com.twitter.util.TimeoutException: 30.seconds',
      ...filler(600, (i) => `[info] - passing test ${i}`),
      'WARNING: DarkTrafficFilter Failed invocation: fail',
      'java.lang.IllegalArgumentException: bad news',
      '\tat com.twitter.finagle.exp.DarkTrafficFilterTest.apply(DarkTrafficFilterTest.scala:74)',
    ];

    // Act
    const found = keyLinesOf(lines);

    // Assess
    expect(found.rule).toBe('scalatest-failure');
    expect(found.texts[0]).toBe('[info] - symmetric reader and getContent *** FAILED ***');
  });

  it("takes the first failed Rust test's output block, however long the output under it", () => {
    // Prepare
    const block = (name: string, output: string[]) => [
      `---- ${name} stdout ----`,
      `thread '${name}' panicked at 'Ref test failed; grid doesn't match', tests/ref.rs:126:9`,
      ...output,
      '',
    ];
    const lines = [
      'running 3 tests',
      'test grid_reset ... FAILED',
      'test scroll_region ... FAILED',
      'test tab_clear ... FAILED',
      '',
      'failures:',
      '',
      ...block('grid_reset', []),
      ...block(
        'scroll_region',
        filler(900, (i) => `grid row ${i}: [Cell { c: ' ' }]`),
      ),
      ...block('tab_clear', []),
      'failures:',
      '    grid_reset',
      '    scroll_region',
      '    tab_clear',
      '',
      'test result: FAILED. 0 passed; 3 failed; 0 ignored; 0 measured; 0 filtered out',
    ];

    // Act
    const found = keyLinesOf(lines);

    // Assess
    expect(found.rule).toBe('rust-test-failure');
    expect(found.texts).toEqual([
      '---- grid_reset stdout ----',
      "thread 'grid_reset' panicked at 'Ref test failed; grid doesn't match', tests/ref.rs:126:9",
    ]);
  });

  it('keeps a failed Rust test row as the key line outside a failures section', () => {
    // Prepare
    const lines = [
      'running 2 tests',
      "thread 'parses_config' panicked at 'called `Option::unwrap()` on a `None` value', src/config.rs:40:5",
      'test parses_config ... FAILED',
      'test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out',
    ];

    // Act
    const found = keyLinesOf(lines);

    // Assess
    expect(found.rule).toBe('rust-test-failure');
    expect(found.texts).toEqual([
      "thread 'parses_config' panicked at 'called `Option::unwrap()` on a `None` value', src/config.rs:40:5",
    ]);
  });
});
