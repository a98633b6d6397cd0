import { describe, expect, it } from 'vitest';
import { ModelIdError, modelInvokeResources, parseModelId } from '../../infra/bedrock-model-arns';

const env = { partition: 'aws', region: 'us-east-1', account: '111122223333' };

describe('Function: parseModelId', () => {
  it.each([
    ['global.anthropic.claude-opus-4-6-v1', 'global', 'anthropic.claude-opus-4-6-v1'],
    ['us.anthropic.claude-sonnet-4-6', 'us', 'anthropic.claude-sonnet-4-6'],
    ['eu.anthropic.claude-3-haiku-20240307-v1:0', 'eu', 'anthropic.claude-3-haiku-20240307-v1:0'],
    ['apac.amazon.nova-pro-v1:0', 'apac', 'amazon.nova-pro-v1:0'],
    ['anthropic.claude-3-haiku-20240307-v1:0', undefined, 'anthropic.claude-3-haiku-20240307-v1:0'],
  ])('splits %s into its profile prefix and foundation model', (id, profilePrefix, foundationModel) => {
    // Act
    const parsed = parseModelId(id);

    // Assess
    expect(parsed).toEqual({ profilePrefix, foundationModel });
  });

  it.each(['claude', 'global.', 'us.anthropic', 'arn:aws:bedrock:us-east-1::foundation-model/x.y', ''])(
    'rejects %j',
    (id) => {
      // Act / Assess
      expect(() => parseModelId(id)).toThrow(ModelIdError);
    },
  );
});

describe('Function: modelInvokeResources', () => {
  it('names the profile, the source-Region model and the Region-less model for a global profile', () => {
    // Act
    const resources = modelInvokeResources('global.anthropic.claude-opus-4-6-v1', env);

    // Assess
    expect(resources).toEqual({
      inferenceProfileArn:
        'arn:aws:bedrock:us-east-1:111122223333:inference-profile/global.anthropic.claude-opus-4-6-v1',
      foundationModelArns: [
        'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-opus-4-6-v1',
        'arn:aws:bedrock:::foundation-model/anthropic.claude-opus-4-6-v1',
      ],
    });
  });

  it('names the model in any Region for a geographic profile', () => {
    // Act
    const resources = modelInvokeResources('eu.anthropic.claude-sonnet-4-6', { ...env, region: 'eu-west-1' });

    // Assess
    expect(resources).toEqual({
      inferenceProfileArn:
        'arn:aws:bedrock:eu-west-1:111122223333:inference-profile/eu.anthropic.claude-sonnet-4-6',
      foundationModelArns: ['arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-6'],
    });
  });

  it('names only the foundation model in the stack Region for a plain model id', () => {
    // Act
    const resources = modelInvokeResources('anthropic.claude-3-haiku-20240307-v1:0', env);

    // Assess
    expect(resources).toEqual({
      inferenceProfileArn: undefined,
      foundationModelArns: [
        'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0',
      ],
    });
  });
});
