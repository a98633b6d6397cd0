import { describe, expect, it } from 'vitest';
import { snapshotOfText } from '../../shared/log/snapshot-lines';
import { computeSignature } from '../../shared/signature/compute-signature';

/** The signature of a log given as lines, with its key lines' texts and 1-based line numbers. */
function signatureOf(lines: readonly string[]) {
  const signature = computeSignature(snapshotOfText(lines));
  return {
    ...signature,
    keyTexts: signature.keyLines.map((key) => key.text),
    firstLine: signature.keyLines[0]?.line,
  };
}

const travisEnd = (command: string, code = 1) => ['', `The command "${command}" exited with ${code}.`, ''];

describe('Function: computeSignature (rules)', () => {
  it('finds a minitest failure by its header and test id', () => {
    // Prepare
    const lines = [
      'Finished tests in 254.671107s, 3.4083 tests/s, 6.0470 assertions/s.',
      '',
      'Failure:',
      'TestKramdown#test_: kramdown should use the chosen highlighter.  [/home/travis/build/o/r/test/test_kramdown.rb:120]:',
      'Minitest::Assertion: Expected true to not be truthy.',
      '',
      '868 tests, 1537 assertions, 1 failures, 0 errors, 12 skips',
      ...travisEnd('bundle exec rake test'),
    ];

    // Act
    const signature = signatureOf(lines);

    // Assess
    expect(signature.rule).toBe('minitest-failure');
    expect(signature.firstLine).toBe(3);
  });

  it('finds a result row whose bracketed verdict is FAIL among passing rows', () => {
    // Prepare
    const lines = [
      '  Starting:    Nancy.Testing.Tests',
      '    Nancy.Testing.Tests.BrowserFixture.Should_return_JSON_serialized_form [FAIL]',
      '      Assert.Equal() Failure',
      '  Finished:    Nancy.Testing.Tests',
      '   Nancy.Testing.Tests  Total: 151, Errors: 0, Failed: 1, Skipped: 0, Time: 4.247s',
      'Error: One or more errors occurred.',
      ...travisEnd('./build.sh'),
    ];

    // Act
    const signature = signatureOf(lines);

    // Assess
    expect(signature.rule).toBe('test-status-line');
    expect(signature.firstLine).toBe(2);
  });

  it('finds a ScalaTest failure that sbt prints at info level', () => {
    // Prepare
    const lines = [
      '[info] ConcurrencyEndToEndTest:',
      '[info] - Requests exceeding limit should increase dropped_request count',
      '[info] - Should not increase dropped_request count when below the limit *** FAILED ***',
      '[info]   9.0 was not greater than or equal to 10 (ConcurrencyEndToEndTest.scala:87)',
      '[info] *** 1 TEST FAILED ***',
    ];

    // Act
    const signature = signatureOf(lines);

    // Assess
    expect(signature.rule).toBe('scalatest-failure');
    expect(signature.firstLine).toBe(3);
  });

  it('takes the error message before a Lua stack traceback', () => {
    // Prepare
    const lines = [
      'fetching: 1 object',
      'fail: [string "bundle:libs/codec.lua"]:123: No such hash: 31b8c996c762b151bedbd7f0e5ad12c2ababf3cd',
      'stack traceback:',
      "\t[C]: in function 'assert'",
      '\t[string "bundle:libs/codec.lua"]:123: in function \'read\'',
      '',
      'make: *** [lit] Error 255',
    ];

    // Act
    const signature = signatureOf(lines);

    // Assess
    expect(signature.rule).toBe('lua-traceback');
    expect(signature.firstLine).toBe(2);
  });

  it('finds the diagnostic that xcpretty marks with a cross', () => {
    // Prepare
    const lines = [
      '▸ Compiling SwiftyJSON.swift',
      "❌  /Users/travis/build/o/r/Source/SwiftyJSON.swift:97:2: unknown attribute 'dynamicMemberLookup'",
      '@dynamicMemberLookup',
      ' ^',
      '** TEST BUILD FAILED **',
    ];

    // Act
    const signature = signatureOf(lines);

    // Assess
    expect(signature.rule).toBe('xcode-diagnostic');
    expect(signature.firstLine).toBe(2);
  });

  it("puts pip's failed wheel first and the CMake error that caused it second", () => {
    // Prepare
    const lines = [
      '  Building wheel for torchcomms (pyproject.toml): started',
      '      CMake Error at cmake/LoadHIP.cmake:70 (message):',
      '        No GPU arch specified for ROCm build.',
      '      -- Configuring incomplete, errors occurred!',
      "      error: command '/opt/conda/bin/cmake' failed with exit code 1",
      '  note: This error originates from a subprocess, and is likely not a problem with pip.',
      '  ERROR: Failed building wheel for torchcomms',
      'ERROR: Failed to build one or more wheels',
    ];

    // Act
    const signature = signatureOf(lines);

    // Assess
    expect(signature.rule).toBe('wheel-build-failure');
    expect(signature.keyTexts).toEqual([
      'ERROR: Failed building wheel for torchcomms',
      'CMake Error at cmake/LoadHIP.cmake:70 (message):',
    ]);
  });

  it("names the failed test file from a test driver's re-raise, with the earlier exception as its cause", () => {
    // Prepare
    const lines = [
      'Traceback (most recent call last):',
      '  File "/opt/venv/lib/python3.10/site-packages/torch/cuda/memory.py", line 1298, in get_allocator_backend',
      "AttributeError: module 'torch._C' has no attribute '_cuda_getAllocatorBackend'",
      'Got exit code 1',
      'test_cuda 1/1 failed!',
      'Traceback (most recent call last):',
      '  File "/__w/pytorch/pytorch/test/run_test.py", line 2198, in run_tests',
      '    raise RuntimeError(failure.message + keep_going_message)',
      'RuntimeError: test_cuda 1/1 failed!',
    ];

    // Act
    const signature = signatureOf(lines);

    // Assess
    expect(signature.rule).toBe('test-driver-failure');
    expect(signature.keyTexts).toEqual([
      'RuntimeError: test_cuda 1/1 failed!',
      "AttributeError: module 'torch._C' has no attribute '_cuda_getAllocatorBackend'",
    ]);
  });

  it("lets a harness's time limit win over the test driver's re-raise after it", () => {
    // Prepare
    const lines = [
      'PRINTING LOG FILE of inductor/test_torchinductor_opinfo 4/10',
      'Command took >30min, returning 124',
      'Got exit code 124',
      'inductor/test_torchinductor_opinfo 4/10 failed!',
      'Traceback (most recent call last):',
      '  File "/var/lib/jenkins/workspace/test/run_test.py", line 2183, in run_tests',
      'RuntimeError: inductor/test_torchinductor_opinfo 4/10 failed!',
    ];

    // Act
    const signature = signatureOf(lines);

    // Assess
    expect(signature.rule).toBe('step-timeout');
    expect(signature.firstLine).toBe(2);
  });

  /** A test driver's run of one test file: its copy of the file's output, its verdict and its re-raise. */
  const driverRun = (file: string, output: readonly string[]) => [
    `Running ${file} 1/1 ... [2026-07-24 18:47:00]`,
    `PRINTING LOG FILE of ${file} 1/1 (test/test-reports/${file}.log)`,
    ...output,
    'Got exit code 1',
    `FINISHED PRINTING LOG FILE of ${file} 1/1`,
    `${file} 1/1 failed!`,
    'Traceback (most recent call last):',
    '  File "/__w/pytorch/pytorch/test/run_test.py", line 2169, in run_tests',
    'Failed to upload artifacts: Unable to locate credentials',
    '    raise RuntimeError(failure.message + keep_going_message)',
    `RuntimeError: ${file} 1/1 failed!`,
  ];

  it("follows a test driver's re-raise back to the failed test class named in the output it wraps", () => {
    // Act
    const signature = signatureOf(
      driverRun('distributed/test_c10d', [
        'TestC10dBackendConfig - failed. This test class should extend from common_utils.TestCase but it does not.',
      ]),
    );

    // Assess
    expect(signature.rule).toBe('test-driver-failure');
    expect(signature.keyTexts).toEqual([
      'TestC10dBackendConfig - failed. This test class should extend from common_utils.TestCase but it does not.',
      'RuntimeError: distributed/test_c10d 1/1 failed!',
    ]);
  });

  it("keeps the driver's re-raise first when the output it wraps names no failed test", () => {
    // Act
    const signature = signatureOf(
      driverRun('test_cuda', [
        'Traceback (most recent call last):',
        '  File "/__w/pytorch/pytorch/test/test_cuda.py", line 204, in <module>',
        "AttributeError: module 'torch._C' has no attribute '_cuda_getAllocatorBackend'",
      ]),
    );

    // Assess
    expect(signature.keyTexts).toEqual([
      'RuntimeError: test_cuda 1/1 failed!',
      "AttributeError: module 'torch._C' has no attribute '_cuda_getAllocatorBackend'",
    ]);
  });

  it('gives two test classes that fail under the same driver re-raise different strong signatures', () => {
    // Act
    const config = signatureOf(
      driverRun('distributed/test_c10d', ['TestBackendConfig - failed. This test class has no tests.']),
    );
    const store = signatureOf(
      driverRun('distributed/test_c10d', ['TestStoreTimeout - failed. setUpClass raised an error.']),
    );

    // Assess
    expect(config.strength).toBe('strong');
    expect(store.strength).toBe('strong');
    expect(config.signature).not.toBe(store.signature);
  });

  it.each([
    [
      'a results table',
      ['=>prompt/history          PASS', '=>selections-trim         FAIL', 'Tests ok 43/44'],
      2,
    ],
    [
      'PHP run-tests',
      [
        'SKIP Test intval() [ext/standard/tests/intval.phpt] reason: 32bit only',
        'FAIL Bug #60120 proc_open hangs [ext/standard/tests/file/bug60120.phpt]',
      ],
      2,
    ],
    [
      'Perl prove',
      [
        '[12:45:04] t9501-gitweb.sh ....... ok',
        '[12:45:05] t9502-gitweb-standalone.sh ............ Dubious, test returned 1 (wstat 256, 0x100)',
      ],
      2,
    ],
    [
      'Perl prove, the row split by other jobs',
      [
        '[22:25:45] t3303-notes-subtrees.sh ............................ ok    10948 ms',
        '[22:25:48] t9806-git-p4-options.sh ............................ ',
        'Dubious, test returned 1 (wstat 256, 0x100)',
        'Failed 1/5 subtests ',
      ],
      3,
    ],
    [
      'Haskell tasty',
      [
        '    custom writer',
        '      basic:                                                         OK (0.20s)',
        '      tables:                                                        FAIL (0.06s)',
      ],
      3,
    ],
  ])('finds the failed row of %s', (_name, rows, line) => {
    // Prepare
    const lines = [...rows, 'make: *** [test] Error 1'];

    // Act
    const signature = signatureOf(lines);

    // Assess
    expect(signature.rule).toBe('test-status-line');
    expect(signature.firstLine).toBe(line);
  });

  it('takes the first failing subtest of a Go test and its message', () => {
    // Prepare
    const lines = [
      '--- FAIL: TestAlpha (0.02s)',
      '    --- PASS: TestAlpha/Actor_Model (0.00s)',
      '    --- FAIL: TestAlpha/GraphQL_servers (0.00s)',
      "        repo_test.go:131: expected 'gqlgen' but actual is 'graphql-go'",
      '    --- PASS: TestAlpha/Toolkits (0.00s)',
      'FAIL',
    ];

    // Act
    const signature = signatureOf(lines);

    // Assess
    expect(signature.rule).toBe('go-test-failure');
    expect(signature.keyTexts).toEqual([
      '--- FAIL: TestAlpha/GraphQL_servers (0.00s)',
      "repo_test.go:131: expected 'gqlgen' but actual is 'graphql-go'",
    ]);
  });

  it("keys a mocha failure on the test's name and its error, not on the bare number", () => {
    // Prepare
    const lines = [
      '  65843 passing (11m)',
      '  5 failing',
      '',
      '  1)',
      '',
      '       unittests:: Reuse program structure:: General',
      '         fails if change affects tripleslash references:',
      '     AssertionError: expected 1 to equal 2',
      '      at Context.<anonymous> (src/testRunner/unittests/reuseProgramStructure.ts:259:20)',
    ];

    // Act
    const signature = signatureOf(lines);

    // Assess
    expect(signature.rule).toBe('mocha-failure');
    expect(signature.keyTexts).toEqual([
      'fails if change affects tripleslash references:',
      'AssertionError: expected 1 to equal 2',
    ]);
  });

  it('keeps the assertion of an ExUnit failure so that different assertions differ', () => {
    // Prepare
    const failure = (assertion: string) => [
      '  1) test reloads on every request (Phoenix.CodeReloaderTest)',
      '     test/phoenix/code_reloader_test.exs:22',
      `     ${assertion}`,
    ];

    // Act
    const first = signatureOf(failure('** (ArgumentError) argument error'));
    const second = signatureOf(failure('Assertion with == failed'));

    // Assess
    expect(first.rule).toBe('exunit-failure');
    expect(first.keyTexts[1]).toBe('** (ArgumentError) argument error');
    expect(first.signature).not.toBe(second.signature);
  });

  it('keeps the line after the first failure of a list so that different reasons differ', () => {
    // Prepare
    const failures = (reason: string) => ['There was 1 failure:', '', '1) DB_test::test_db_valid', reason];

    // Act
    const first = signatureOf(failures('RuntimeException: Undefined property: $_is_unbuffered'));
    const second = signatureOf(failures('Failed asserting that false is true.'));

    // Assess
    expect(first.rule).toBe('phpunit-failure');
    expect(first.keyTexts).toEqual([
      '1) DB_test::test_db_valid',
      'RuntimeException: Undefined property: $_is_unbuffered',
    ]);
    expect(first.signature).not.toBe(second.signature);
  });

  it.each([
    [
      'rake',
      [
        'Error: 2 of 120 JavaScript tests failed',
        'rake aborted!',
        'Command failed with status (1): [node /home/travis/build/o/r/vendor/run-qunit.js...]',
        '/home/travis/build/o/r/lib/tasks/qunit.rake:95:in `block in <top (required)>`',
        'Tasks: TOP => qunit:test',
      ],
    ],
    [
      'npm-run-all',
      [
        'ERROR: Detected 1 broken links. Scanned 1 links in 0.06 seconds.',
        'npm ERR! code ELIFECYCLE',
        'ERROR: "docs-lint" exited with 1.',
      ],
    ],
    [
      'GHC',
      [
        'src/Text/Pandoc/Ipynb.hs:94:10: Warning:',
        '    No explicit implementation for',
        '',
        '<no location info>:',
        'Failing due to -Werror.',
      ],
    ],
  ])('reads a %s summary as a summary and keys on the output before it', (_tool, lines) => {
    // Act
    const signature = signatureOf(lines);

    // Assess
    expect(signature.rule).toBe('build-tool-failure');
    expect(signature.firstLine).toBe(1);
  });
  it('reads exit code 124 from a command cut off by `timeout` as a timeout', () => {
    // Prepare
    const lines = [
      'tf-random                        > [3 of 4] Compiling System.Random.TF',
      'tf-random                        > [4 of 4] Compiling System.Random.TF.Instances',
      ...travisEnd('$TIMEOUT 35m ci/build.sh', 124),
    ];

    // Act
    const signature = signatureOf(lines);

    // Assess
    expect(signature.rule).toBe('step-timeout');
    expect(signature.category).toBe('timeout');
    expect(signature.firstLine).toBe(4);
  });

  it('finds a Windows access violation as a crash', () => {
    // Prepare
    const lines = [
      'wai-extra           > Installing library in C:\\Users\\travis\\.stack\\snapshots\\lib\\wai-extra-3.0.25',
      'Access violation in generated code when reading ffffffffffffffff',
      ...travisEnd('$TIMEOUT 35m ci/build.sh'),
    ];

    // Act
    const signature = signatureOf(lines);

    // Assess
    expect(signature.rule).toBe('crash-signal');
    expect(signature.firstLine).toBe(2);
  });

  it('reads a test title that names a crash as a failed test row, not as a crash', () => {
    // Prepare
    const lines = [
      '========DIFF========',
      '001+ Deprecated: Implicit nullable types are deprecated in /home/travis/build/o/r/ext/pdo_pgsql/tests/bug72294.php',
      '========DONE========',
      'FAIL Bug #72294 Segmentation fault/invalid pointer in connection with pgsql_stmt_dtor [ext/pdo_pgsql/tests/bug72294.phpt]',
      'SKIP mysqli_stmt_attr_get() - prefetch [ext/mysqli/tests/mysqli_stmt_attr_get_prefetch.phpt] reason: not supported',
    ];

    // Act
    const signature = signatureOf(lines);

    // Assess
    expect(signature.rule).toBe('test-status-line');
    expect(signature.firstLine).toBe(4);
  });

  it('finds the first test that Pester marks as failed', () => {
    // Prepare
    const lines = [
      'Describing d1',
      '    [+] i1 6ms (1ms|5ms)',
      '    [-] Should validate test results against the nunit 2.5 schema 191ms',
      '      Expected no exception to be thrown, but an exception "Exception calling "Validate"" was thrown.',
      '    [-] handles special characters in block descriptions well 130ms',
      'Tests Passed: 1003, Failed: 3, Skipped: 2, Pending: 0, Inconclusive: 0',
      ...travisEnd('pwsh -c ./build.ps1'),
    ];

    // Act
    const signature = signatureOf(lines);

    // Assess
    expect(signature.rule).toBe('marked-failure-row');
    expect(signature.firstLine).toBe(3);
  });

  it("keys an xcpretty test failure on its entry in xcpretty's summary, above the file and line", () => {
    // Prepare
    const failure =
      'should_accept_changes_from_bindings, expected to eventually be nil, got <MKMapView: 0x7fc249872c00>';
    const lines = [
      'MKMapViewSpec',
      '    ✓ should_accept_changes_from_bindings_to_its_map_type (0.262 seconds)',
      `    ✗ ${failure}`,
      '',
      'ReactiveMapKitTests.MKMapViewSpec',
      `  ${failure}`,
      '  /Users/travis/build/o/r/ReactiveMapKitTests/MKMapViewSpec.swift:30',
      '',
      '\t Executed 5 tests, with 1 failure (0 unexpected) in 1.310 (1.314) seconds',
      '** TEST EXECUTE FAILED **',
    ];

    // Act
    const signature = signatureOf(lines);

    // Assess
    expect(signature.rule).toBe('marked-failure-row');
    expect(signature.firstLine).toBe(6);
    expect(signature.keyTexts).toEqual([failure]);
  });

  it("reads xcodebuild's closing banner as a summary of the output before it", () => {
    // Prepare
    const lines = [
      'Testing failed:',
      '\tCould not find test host for ReactiveCocoaTests: TEST_HOST evaluates to a missing path',
      '',
      '** TEST EXECUTE FAILED **',
    ];

    // Act
    const signature = signatureOf(lines);

    // Assess
    expect(signature.rule).toBe('build-tool-failure');
    expect(signature.keyTexts.at(-1)).toBe('** TEST EXECUTE FAILED **');
  });

  it('finds a YAML syntax error before the task runner that reports it', () => {
    // Prepare
    const lines = [
      '/home/travis/.rvm/rubies/ruby-2.2.7/bin/ruby tests/yaml.rb',
      '(./es-es/coldfusion-es.html.markdown): found character that cannot start any token while scanning for the next token at line 8 column 1',
      'FAILURE!!! 1 files were unable to be parsed!',
      'Command failed with status (1): [/home/travis/.rvm/rubies/ruby-2.2.7/bin/ru...]',
      'rake aborted!',
      'Failed 1 tests!!',
      ...travisEnd('bundle exec rake'),
    ];

    // Act
    const signature = signatureOf(lines);

    // Assess
    expect(signature.rule).toBe('yaml-syntax-error');
    expect(signature.firstLine).toBe(2);
  });

  it("finds CocoaPods' lint error row", () => {
    // Prepare
    const lines = [
      ' -> ReactiveMapKit (10.0.0)',
      '    - ERROR | [OSX] unknown: Encountered an unknown error (CocoaPods could not find compatible versions for pod "ReactiveCocoa":',
      '',
      '[!] ReactiveMapKit did not pass validation, due to 1 error.',
      ...travisEnd('pod lib lint ReactiveMapKit.podspec --use-libraries'),
    ];

    // Act
    const signature = signatureOf(lines);

    // Assess
    expect(signature.rule).toBe('podspec-lint');
    expect(signature.firstLine).toBe(2);
  });

  it("finds sbt's compile error with a line and a column", () => {
    // Prepare
    const lines = [
      '[error] /home/travis/build/o/r/finagle-exp/src/test/scala/com/o/ConcurrencyEndToEndTest.scala:6:35: object util is not a member of package com.o.finagle',
      '[error] import com.o.finagle.util.DefaultTimer',
      '[error] one error found',
      '[error] (finagle-exp/test:compileIncremental) Compilation failed',
    ];

    // Act
    const signature = signatureOf(lines);

    // Assess
    expect(signature.rule).toBe('java-compile-error');
    expect(signature.firstLine).toBe(1);
  });

  it('finds a network error code, but not in a test or file name', () => {
    // Prepare
    const names = [
      "  'test-net-connect-handle-econnrefused.lua', 'test-net.lua',",
      '# Starting Test: tls-client-econnreset - tls client econnreset',
      'ok 168 tls-client-econnreset - tls client econnreset',
    ];
    const lines = [...names, 'Error: connect ECONNREFUSED 127.0.0.1:5432', ...travisEnd('npm test')];

    // Act
    const withError = signatureOf(lines);
    const namesOnly = signatureOf([...names, ...travisEnd('npm test')]);

    // Assess
    expect(withError.rule).toBe('network-error-code');
    expect(withError.firstLine).toBe(4);
    expect(namesOnly.rule).toBe('travis-command-failed');
  });

  it('passes over the log line of a Go test that was skipped', () => {
    // Prepare
    const lines = [
      '=== RUN   TestProviderDevOverrides',
      "    provider_dev_test.go:27: can't run without building a new provider executable",
      '--- SKIP: TestProviderDevOverrides (0.00s)',
      '=== CONT  TestProviderTampering/cache_dir_totally_gone',
      '    providers_tamper_test.go:76: unexpected init error: exit status 1',
      '=== RUN   TestProviderTampering/cache_dir_totally_gone,_explicit_backend',
      '--- FAIL: TestProviderTampering (14.05s)',
      '    --- FAIL: TestProviderTampering/cache_dir_totally_gone (10.32s)',
      'FAIL',
    ];

    // Act
    const signature = signatureOf(lines);

    // Assess
    expect(signature.rule).toBe('go-test-failure');
    expect(signature.firstLine).toBe(5);
  });

  it("finds a performance gate's regression verdict", () => {
    // Prepare
    const lines = [
      "PASS: benchmark ('dtensor_dispatch_random', 'instruction_count') pass, actual result 620581 +4.69% is within expected 592800 ±10.00%",
      '',
      "REGRESSION: benchmark ('dtensor_dispatch_custom_handler', 'instruction_count') failed, actual result 39636 is 10.19% higher than expected 35970 ±+10.00%",
      '',
      'please update all results that changed significantly, and not only the failed ones',
      "PASS: benchmark ('nn_module_guard_eval', 'instruction_count') pass, actual result 82579 -1.35% is within expected 83710 ±10.00%",
    ];

    // Act
    const signature = signatureOf(lines);

    // Assess
    expect(signature.rule).toBe('perf-regression');
    expect(signature.strength).toBe('strong');
    expect(signature.firstLine).toBe(3);
  });

  it('finds the exception of a traceback that a test runner prints indented', () => {
    // Prepare
    const lines = [
      ' test  2019-08-03T03:44:23.176000Z TestFramework (ERROR): JSONRPC error',
      '                                   Traceback (most recent call last):',
      '                                     File "/home/travis/build/o/r/test/functional/feature_segwit.py", line 610, in run_test',
      '                                       txid3 = self.nodes[0].sendrawtransaction(ToHex(tx))',
      '                                   test_framework.authproxy.JSONRPCException: absurdly-high-fee (-26)',
      ' test  2019-08-03T03:44:23.178000Z TestFramework (DEBUG): Closing down network thread',
      '',
      'TEST                                   | STATUS    | DURATION',
    ];

    // Act
    const signature = signatureOf(lines);

    // Assess
    expect(signature.rule).toBe('python-traceback');
    expect(signature.keyTexts[0]).toBe('test_framework.authproxy.JSONRPCException: absurdly-high-fee (-26)');
  });
});
