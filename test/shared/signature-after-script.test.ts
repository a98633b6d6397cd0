import { describe, expect, it } from 'vitest';
import { snapshotOfText } from '../../shared/log/snapshot-lines';
import { computeSignature } from '../../shared/signature/compute-signature';

/**
 * A Travis build whose failing command prints nothing that a rule knows, then an after-script command (a docs report
 * that runs whatever the outcome) that throws the same exception in every build.
 */
function travisBuild(unformatted: string): string[] {
  return [
    '$ mix format --check-formatted',
    `** The following files are not formatted: ${unformatted}`,
    'The command "mix format --check-formatted" exited with 1.',
    '$ MIX_ENV=docs mix inch.report',
    '** (InchEx.Docs.Retriever.Error) module Mix.Phoenix.Context was not compiled with flag --docs',
    '    lib/inch_ex/docs/retriever.ex:83: InchEx.Docs.Retriever.verify_module/1',
    'travis_fold:end:after_script.2',
    'Done. Your build exited with 1.',
  ];
}

describe('an after-script exception below the last command summary', () => {
  it('is not the key line of the failure', () => {
    const signature = computeSignature(snapshotOfText(travisBuild('lib/phoenix/router.ex')));
    expect(signature.keyLines.map((key) => key.text)).not.toContain(
      '** (InchEx.Docs.Retriever.Error) module Mix.Phoenix.Context was not compiled with flag --docs',
    );
  });

  it('never gives two different failing commands the same strong signature', () => {
    const router = computeSignature(snapshotOfText(travisBuild('lib/phoenix/router.ex')));
    const socket = computeSignature(snapshotOfText(travisBuild('lib/phoenix/socket.ex')));
    expect([router.strength, socket.strength]).toEqual(['strong', 'strong']);
    expect(router.signature).not.toBe(socket.signature);
  });
});
