import { Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from './build-test-app';

/** Every acknowledgement in the app: construct path, rule id and the written reason. */
function acknowledgementsOf(app: ReturnType<typeof buildTestApp>['app']) {
  return app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id,
          reason,
        })),
      ),
  );
}

describe('Function: buildApp (cdk-nag AwsSolutions)', () => {
  it('synthesizes with no unacknowledged finding and a written reason for every acknowledgement', () => {
    // Prepare
    const { app } = buildTestApp();

    // Act
    const synth = () => app.synth();

    // Assess
    expect(synth).not.toThrow();
    const acknowledgements = acknowledgementsOf(app);
    expect(acknowledgements.map(({ path, id }) => `${path} ${id}`).sort()).toEqual([
      'OsdcRca/Analyzer/Service/Function AwsSolutions::AwsSolutions-L1',
      'OsdcRca/Dashboard/Service/Function AwsSolutions::AwsSolutions-L1',
      'OsdcRca/GithubApp/Secret AwsSolutions::AwsSolutions-SMG4',
    ]);
    for (const { reason } of acknowledgements) expect(reason.length).toBeGreaterThanOrEqual(60);
  });

  it('fails synthesis on a finding nobody acknowledged', () => {
    // Prepare
    const { app, stack } = buildTestApp();
    new Queue(stack, 'Unprotected');

    // Act
    const synth = () => app.synth();

    // Assess
    expect(synth).toThrow(
      /AwsSolutions-SQS3[\s\S]*AwsSolutions-SQS4|AwsSolutions-SQS4[\s\S]*AwsSolutions-SQS3/,
    );
  });
});
