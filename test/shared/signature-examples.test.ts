import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotOfText } from '../../shared/log/snapshot-lines';
import { computeSignature } from '../../shared/signature/compute-signature';
import { splitLines } from '../../shared/text/normalize';

const examples = path.resolve(import.meta.dirname, '..', '..', 'examples');

function signatureOf(text: string) {
  return computeSignature(snapshotOfText(splitLines(text)));
}

function example(name: string): string {
  return readFileSync(path.join(examples, name), 'utf8');
}

/** The same failure in another shard, on another runner, later, with the log shifted by a few lines. */
function perturb(text: string): string {
  const shifted = text
    .replace(/2026-07-(\d\d)T\d\d:\d\d/g, '2026-08-$1T23:59')
    .replace(/--shard-id=2/g, '--shard-id=4')
    .replace(/in 6\.41s/g, 'in 9.02s')
    .replace(/:8443/g, ':9443')
    .replace(/\/home\/runner\/work\/pytorch\/pytorch/g, '/home/runner/work/fork/pytorch')
    .replace(/\/tmp\/sccache/g, '/tmp/tmp.Xy12ab/sccache')
    .replace(/test_nn\.py:1432/g, 'test_nn.py:1440');
  const lines = splitLines(shifted);
  return ['Runner image 2026.08.1', 'Preparing workspace', 'Using shard 4', ...lines].join('\n');
}

describe('Function: computeSignature', () => {
  it.each([
    ['pytest-failure.log', 'pytest-failure', 'test', 'TestNN.test_conv2d_padding_same_cpu_float32'],
    ['cpp-compile-error.log', 'compiler-error', 'build', "no matching function for call to 'pad_nd_symint'"],
    ['pip-resolution-failure.log', 'dependency-resolution', 'dependency', 'optree==0.99.0'],
    ['network-download-failure.log', 'network', 'network', 'Could not resolve host'],
    ['osdc-pod-start-failure.log', 'osdc-pod-start', 'infra', 'pod failed to come online'],
  ])('finds the failure in %s', (file, rule, category, text) => {
    // Act
    const signature = signatureOf(example(file));

    // Assess
    expect(signature.rule).toBe(rule);
    expect(signature.category).toBe(category);
    expect(signature.strength).toBe('strong');
    expect(signature.keyLines[0]!.text).toContain(text);
    expect(signature.signature).toMatch(/^[0-9a-f]{16}$/);
  });

  it('gives 1-based line numbers of the original log', () => {
    // Act
    const signature = signatureOf(example('pytest-failure.log'));

    // Assess
    expect(signature.keyLines.map((key) => key.line)).toEqual([12, 20, 22]);
  });

  it.each([
    'pytest-failure.log',
    'cpp-compile-error.log',
    'pip-resolution-failure.log',
    'network-download-failure.log',
  ])('keeps the signature of %s when timestamps, shards, paths, ports and offsets change', (file) => {
    // Prepare
    const original = example(file);

    // Act
    const before = signatureOf(original);
    const after = signatureOf(perturb(original));

    // Assess
    expect(after.keyLines[0]!.line).toBe(before.keyLines[0]!.line + 3);
    expect(after.signature).toBe(before.signature);
  });

  it('changes the signature when another test fails', () => {
    // Prepare
    const original = example('pytest-failure.log');
    const other = original.replaceAll('test_conv2d_padding_same', 'test_conv2d_dilation');

    // Act / Assess
    expect(signatureOf(other).signature).not.toBe(signatureOf(original).signature);
  });

  it('changes the signature when the error differs', () => {
    // Prepare
    const original = example('cpp-compile-error.log');
    const other = original.replace('no matching function for call to', 'use of undeclared identifier');

    // Act / Assess
    expect(signatureOf(other).signature).not.toBe(signatureOf(original).signature);
  });

  it('does not let an early benign network error win over the later test failure', () => {
    // Prepare
    const setup = [
      '+ curl -fsSL https://example.com/optional-cache.tgz',
      'curl: (22) The requested URL returned error: 404',
      'cache not available, continuing without it',
    ];
    const noise = Array.from({ length: 600 }, (_, i) => `test/test_ops.py::test_${i} PASSED`);
    const text = [...setup, ...noise, ...splitLines(example('pytest-failure.log'))].join('\n');

    // Act
    const signature = signatureOf(text);

    // Assess
    expect(signature.rule).toBe('pytest-failure');
  });

  it('prefers the later failure over an earlier match of a higher-priority rule far before it', () => {
    // Prepare
    const early = [
      'Traceback (most recent call last):',
      '  File "setup.py", line 3, in <module>',
      'KeyError: x',
    ];
    const noise = Array.from({ length: 500 }, (_, i) => `step ${i} ok`);
    const late = ['src/a.c:3:5: error: expected ; before }'];

    // Act
    const signature = signatureOf([...early, ...noise, ...late].join('\n'));

    // Assess
    expect(signature.rule).toBe('compiler-error');
  });

  it('takes the last attempt of a retried failure', () => {
    // Prepare
    const attempt = (n: number) => [
      `[command]/usr/bin/git fetch origin refs/tags/ciflow/x/${n}`,
      "##[error]fatal: couldn't find remote ref refs/tags/ciflow/x/1",
      'Waiting 10 seconds before trying again',
    ];
    const text = [...attempt(1), ...attempt(2), ...attempt(3)].join('\n');

    // Act
    const signature = signatureOf(text);

    // Assess
    expect(signature.keyLines[0]!.line).toBe(8);
  });

  it('is weak when only a generic line says error', () => {
    // Act
    const signature = signatureOf(
      'building\nsomething went wrong: error in step\n##[error]Process completed with exit code 1.',
    );

    // Assess
    expect(signature.strength).toBe('weak');
    expect(signature.rule).toBe('generic-error');
    expect(signature.keyLines[0]).toEqual({ line: 2, text: 'something went wrong: error in step' });
  });

  it('never picks the OSDC wrapper or runner exit lines as key lines', () => {
    // Act
    const signature = signatureOf(
      '::error::[OSDC] Step script exited with code 1. This is a script/workflow error, not an infrastructure issue.\n##[error]Process completed with exit code 1.',
    );

    // Assess
    expect(signature.rule).toBe('no-match');
    expect(signature.strength).toBe('weak');
  });
});
