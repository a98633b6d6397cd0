/**
 * Bedrock: the configured inference profile resolves in this region and the model accepts the analyzer's real
 * request (system prompt, forced tool with the analysis schema) — sent with a tiny `maxTokens`, so the answer costs
 * a fraction of a cent, and that cost is printed. Each known failure names its fix: a profile that does not exist
 * here, model access not enabled, or an IAM policy without the ARNs a profile routes to.
 */
import { type BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { ModelIdError, modelInvokeResources, parseModelId } from '../../../infra/bedrock-model-arns';
import { analysisConverseInput } from '../../analyzer/bedrock-analyst';
import { estimateCostMicroUsd } from '../../analyzer/model-prices';
import { describeError, errorFacts } from './describe-error';
import { type DoctorCheck, failed, passed } from './doctor-check';

export interface BedrockCheckInput {
  readonly bedrock: BedrockRuntimeClient;
  readonly modelId: string;
  readonly region: string | undefined;
}

/** Enough for the request to be accepted and answered; the answer itself is cut off. */
export const DOCTOR_MAX_TOKENS = 16;

const PROMPT = 'osdc-rca doctor: a connectivity check. Record a one-word analysis.';

export function bedrockCheck(input: BedrockCheckInput): DoctorCheck {
  const { modelId } = input;
  return {
    name: 'bedrock',
    async run(signal) {
      let foundationModel: string;
      let profilePrefix: string | undefined;
      try {
        ({ foundationModel, profilePrefix } = parseModelId(modelId));
      } catch (error) {
        if (!(error instanceof ModelIdError)) throw error;
        return failed(error.message, 'set OSDC_RCA_MODEL_ID (osdc-rca:modelId) to an inference profile id');
      }
      const region = input.region ?? (await input.bedrock.config.region());
      try {
        const answer = await input.bedrock.send(
          new ConverseCommand(analysisConverseInput(modelId, PROMPT, DOCTOR_MAX_TOKENS)),
          { abortSignal: signal },
        );
        const usage = {
          inputTokens: answer.usage?.inputTokens ?? 0,
          outputTokens: answer.usage?.outputTokens ?? 0,
        };
        const dollars = estimateCostMicroUsd(modelId, usage) / 1_000_000;
        return passed(
          `${modelId} in ${region} accepted the analysis request (${answer.stopReason ?? 'no stop reason'}); ` +
            `${usage.inputTokens}+${usage.outputTokens} tokens ≈ $${dollars.toFixed(4)}`,
        );
      } catch (error) {
        const { name, message } = errorFacts(error);
        const profileText = profilePrefix ? `inference profile ${modelId}` : `model ${modelId}`;
        if (
          name === 'ValidationException' &&
          /model identifier is invalid|not supported|isn't supported/i.test(message)
        ) {
          return failed(
            `${profileText} does not resolve in ${region} (${message})`,
            `list what exists there: \`aws bedrock list-inference-profiles --region ${region}\`; ` +
              'a geographic profile (us., eu., apac.) only exists in its own regions',
          );
        }
        if (name === 'ResourceNotFoundException') {
          return failed(
            `${profileText} was not found in ${region} (${message})`,
            'pick a model that is offered there',
          );
        }
        if (name === 'AccessDeniedException' && /not authorized to perform/i.test(message)) {
          const arns = modelInvokeResources(modelId, { partition: 'aws', region, account: '<account>' });
          return failed(
            `IAM denies bedrock:InvokeModel to these credentials (${message.slice(0, 200)})`,
            `allow bedrock:InvokeModel on ${[arns.inferenceProfileArn, ...arns.foundationModelArns].filter(Boolean).join(', ')}` +
              (profilePrefix === 'global'
                ? ' — a global. profile needs the Region-less foundation-model ARN too'
                : ''),
          );
        }
        if (name === 'AccessDeniedException') {
          return failed(
            `model access to ${foundationModel} is not enabled (${message.slice(0, 200)})`,
            `enable it in the Bedrock console (Model access) in ${region}` +
              (profilePrefix ? ` and in every region the ${profilePrefix}. profile routes to` : '') +
              '; Anthropic models also need the one-time use-case form',
          );
        }
        if (name === 'ThrottlingException' || name === 'ServiceQuotaExceededException') {
          return passed(
            `${modelId} in ${region} is reachable but throttled now (${name}): raise the quota if it lasts`,
          );
        }
        if (name === 'ValidationException') {
          return failed(
            `Bedrock rejected the analysis request: ${message.slice(0, 300)}`,
            'the request shape no longer matches Bedrock: update @aws-sdk/client-bedrock-runtime and rerun',
          );
        }
        return failed(
          `Converse on ${modelId} in ${region}: ${describeError(error)}`,
          'check AWS_REGION and the network',
        );
      }
    },
  };
}
