import { describe, expect, it } from 'vitest';
import { snapshotOfText } from '../../shared/log/snapshot-lines';
import { computeSignature } from '../../shared/signature/compute-signature';

/**
 * A Gradle test task in which one test fails early, and a shared assertion helper's exception is logged far below it:
 * the same exception text whichever test threw it.
 */
function gradleRun(failingTest: string): string[] {
  const passing = Array.from({ length: 600 }, (_, i) => `PaymentsSpec > case ${i} PASSED`);
  return [
    '$ ./gradlew test',
    '> Task :payments:test',
    `PaymentsSpec > ${failingTest} FAILED`,
    '    at PaymentsSpec.groovy:41',
    ...passing,
    'org.opentest4j.AssertionFailedError: expected: <200> but was: <500>',
    '\tat org.junit.jupiter.api.AssertionUtils.fail(AssertionUtils.java:55)',
    '\tat com.example.HttpAssertions.assertOk(HttpAssertions.java:17)',
    '',
    'The command "./gradlew test" exited with 1.',
  ];
}

describe('a logged exception that many tests share', () => {
  it('is keyed on the failing row far above it, with the exception as the second key line', () => {
    const signature = computeSignature(snapshotOfText(gradleRun('rejects an expired card')));
    expect(signature.rule).toBe('exception');
    expect(signature.keyLines.map((key) => key.text)).toEqual([
      'PaymentsSpec > rejects an expired card FAILED',
      'org.opentest4j.AssertionFailedError: expected: <200> but was: <500>',
    ]);
  });

  it('stays keyed on an exception printed right under its failing row, which says how that test failed', () => {
    const signature = computeSignature(
      snapshotOfText([
        '$ ./gradlew test',
        'PaymentsSpec > rejects an expired card FAILED',
        '    java.lang.IllegalArgumentException: no such card: 4242',
        '        at com.example.Cards.find(Cards.java:39)',
        '',
        'The command "./gradlew test" exited with 1.',
      ]),
    );
    expect(signature.rule).toBe('exception');
    expect(signature.keyLines[0]?.text).toBe('java.lang.IllegalArgumentException: no such card: 4242');
  });

  it('never gives two different failing tests the same strong signature', () => {
    const expired = computeSignature(snapshotOfText(gradleRun('rejects an expired card')));
    const refund = computeSignature(snapshotOfText(gradleRun('refunds a partial capture')));
    expect(expired.strength).toBe('strong');
    expect(refund.strength).toBe('strong');
    expect(expired.signature).not.toBe(refund.signature);
  });

  it('still groups two runs of the same failing test', () => {
    const first = computeSignature(snapshotOfText(gradleRun('rejects an expired card')));
    const rerun = computeSignature(snapshotOfText(gradleRun('rejects an expired card')));
    expect(rerun.signature).toBe(first.signature);
  });
});
