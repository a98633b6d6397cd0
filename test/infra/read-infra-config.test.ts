import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { InfraConfigError, PLACEHOLDERS, readInfraConfig } from '../../infra/read-infra-config';
import { readCdkJsonContext } from './build-test-app';

const REAL_PROVIDER =
  'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF';

function appWith(overrides: Record<string, unknown>): App {
  return new App({ context: { ...readCdkJsonContext(), ...overrides } });
}

function errorOf(action: () => unknown): InfraConfigError {
  try {
    action();
  } catch (error) {
    if (error instanceof InfraConfigError) return error;
    throw error;
  }
  throw new Error('expected an InfraConfigError');
}

describe('Function: readInfraConfig', () => {
  it('reads the defaults of cdk.json into typed values', () => {
    // Prepare
    const context = readCdkJsonContext();

    // Act
    const config = readInfraConfig(appWith({}));

    // Assess
    expect(config).toMatchObject({
      stackName: context['osdc-rca:stackName'],
      account: undefined,
      region: undefined,
      modelId: context['osdc-rca:modelId'],
      fallbackModelId: context['osdc-rca:fallbackModelId'],
      dailyBudgetUsd: context['osdc-rca:dailyBudgetUsd'],
      runnerNamespace: context['osdc-rca:runnerNamespace'],
      runnerServiceAccount: context['osdc-rca:runnerServiceAccount'],
      dashboardAuth: 'AWS_IAM',
      alarmTopicArn: undefined,
    });
  });

  it('lists the context keys that still hold the example values of cdk.json', () => {
    // Act
    const shipped = readInfraConfig(appWith({}));
    const replaced = readInfraConfig(
      appWith({ 'osdc-rca:oidcProviderArn': REAL_PROVIDER, 'osdc-rca:githubAppId': '987654' }),
    );

    // Assess
    expect(Object.values(PLACEHOLDERS)).toContain(readCdkJsonContext()['osdc-rca:oidcProviderArn']);
    expect(shipped.placeholders).toEqual(['osdc-rca:githubAppId', 'osdc-rca:oidcProviderArn']);
    expect(replaced.placeholders).toEqual([]);
  });

  it('parses numbers given as strings on the command line', () => {
    // Act
    const config = readInfraConfig(
      appWith({
        'osdc-rca:dailyBudgetUsd': '12.5',
        'osdc-rca:analyzerMaxConcurrency': '3',
        'osdc-rca:analyzerTimeoutSeconds': ' 90 ',
      }),
    );

    // Assess
    expect(config.dailyBudgetUsd).toBe(12.5);
    expect(config.analyzerMaxConcurrency).toBe(3);
    expect(config.analyzerTimeoutSeconds).toBe(90);
  });

  it('pins the account and region when they are given and drops an empty fallback model', () => {
    // Act
    const config = readInfraConfig(
      appWith({
        'osdc-rca:account': '111122223333',
        'osdc-rca:region': 'eu-west-1',
        'osdc-rca:fallbackModelId': '',
      }),
    );

    // Assess
    expect(config.account).toBe('111122223333');
    expect(config.region).toBe('eu-west-1');
    expect(config.fallbackModelId).toBeUndefined();
  });

  it('rejects a misspelt context key instead of ignoring it', () => {
    // Act
    const error = errorOf(() => readInfraConfig(appWith({ 'osdc-rca:dailyBudgetUSD': 10 })));

    // Assess
    expect(error.name).toBe('InfraConfigError');
    expect(error.key).toBe('dailyBudgetUSD');
    expect(error.message).toContain('unknown context key osdc-rca:dailyBudgetUSD');
  });

  it('names a missing required key and where to set it', () => {
    // Prepare
    const context = readCdkJsonContext();
    delete context['osdc-rca:oidcProviderArn'];

    // Act
    const error = errorOf(() => readInfraConfig(new App({ context })));

    // Assess
    expect(error.key).toBe('oidcProviderArn');
    expect(error.message).toContain('-c osdc-rca:oidcProviderArn=');
  });

  it.each([
    ['oidcProviderArn', 'arn:aws:iam::111122223333:role/not-a-provider'],
    ['runnerNamespace', 'Arc_Runners'],
    ['logRetentionDays', 31],
    ['analyzerMaxConcurrency', 1],
    ['analyzerTimeoutSeconds', 901],
    ['analyzerTimeoutSeconds', 59],
    ['dailyBudgetUsd', 'ten'],
    ['dashboardAuth', 'PUBLIC'],
    ['githubAppId', 'my-app'],
    ['modelId', 'claude-opus'],
    ['alarmTopicArn', 'arn:aws:sqs:us-east-1:111122223333:alarms'],
  ])('rejects an unusable %s with a message naming it', (key, value) => {
    // Act
    const error = errorOf(() => readInfraConfig(appWith({ [`osdc-rca:${key}`]: value })));

    // Assess
    expect(error.key).toBe(key);
    expect(error.message).toContain(`osdc-rca:${key} must be`);
  });
});
