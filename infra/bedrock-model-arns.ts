/**
 * The resources `bedrock:InvokeModel` must name for one configured model id. A system-defined inference profile
 * routes each request to the foundation model in some destination Region, and IAM checks both the profile and the
 * foundation model there, so the policy names the profile, the foundation model in every Region it may route to,
 * and (through a condition) only allows that foundation model when it is reached through the profile.
 */

/** Inference profile prefixes: `global.` routes to any commercial Region, the others stay in their geography. */
const PROFILE_PREFIXES = ['global', 'us', 'us-gov', 'eu', 'apac', 'jp', 'au', 'ca'] as const;

const MODEL = /^[a-z0-9-]+\.[A-Za-z0-9.:-]+$/;

export interface ParsedModelId {
  /** The prefix of a system-defined inference profile; undefined for a plain foundation model id. */
  readonly profilePrefix: (typeof PROFILE_PREFIXES)[number] | undefined;
  /** The foundation model the profile routes to, e.g. `anthropic.claude-opus-4-6-v1`. */
  readonly foundationModel: string;
}

export class ModelIdError extends Error {
  override readonly name = 'ModelIdError';
}

/**
 * Splits an inference profile id into its routing prefix and foundation model.
 *
 * @example
 * parseModelId('global.anthropic.claude-opus-4-6-v1'); // { profilePrefix: 'global', foundationModel: 'anthropic.claude-opus-4-6-v1' }
 */
export function parseModelId(id: string): ParsedModelId {
  const dot = id.indexOf('.');
  const head = id.slice(0, dot);
  const profilePrefix = PROFILE_PREFIXES.find((prefix) => prefix === head);
  const foundationModel = profilePrefix ? id.slice(dot + 1) : id;
  if (!MODEL.test(foundationModel)) {
    throw new ModelIdError(
      `${JSON.stringify(id)} is not a Bedrock model id: expected [${PROFILE_PREFIXES.join('|')}.]<provider>.<model>`,
    );
  }
  return { profilePrefix, foundationModel };
}

/** Where the ARNs live; tokens (`Aws.PARTITION`, …) are fine, so the stack can stay environment-agnostic. */
export interface ArnEnvironment {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

export interface ModelInvokeResources {
  /** The inference profile ARN; undefined for a plain foundation model id. */
  readonly inferenceProfileArn: string | undefined;
  /** The foundation model ARNs the request may be routed to. */
  readonly foundationModelArns: readonly string[];
}

/**
 * The ARNs `bedrock:InvokeModel` (which Converse uses) must allow for one model id.
 *
 * @example
 * modelInvokeResources('us.anthropic.claude-sonnet-4-6', { partition: 'aws', region: 'us-east-1', account: '111122223333' });
 * // { inferenceProfileArn: 'arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-sonnet-4-6',
 * //   foundationModelArns: ['arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-6'] }
 */
export function modelInvokeResources(id: string, env: ArnEnvironment): ModelInvokeResources {
  const { profilePrefix, foundationModel } = parseModelId(id);
  const modelArn = (region: string) =>
    `arn:${env.partition}:bedrock:${region}::foundation-model/${foundationModel}`;
  if (profilePrefix === undefined) {
    return { inferenceProfileArn: undefined, foundationModelArns: [modelArn(env.region)] };
  }
  return {
    inferenceProfileArn: `arn:${env.partition}:bedrock:${env.region}:${env.account}:inference-profile/${id}`,
    // A global profile's destination is authorised as the source Region's model plus the Region-less model ARN;
    // a geographic profile's destinations are a list of Regions that AWS extends over time.
    foundationModelArns: profilePrefix === 'global' ? [modelArn(env.region), modelArn('')] : [modelArn('*')],
  };
}
