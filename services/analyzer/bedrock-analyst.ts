/**
 * Asks Claude on Bedrock (Converse) for an analysis through a forced tool whose input schema is the analysis. The
 * caller sanitises the answer; this module only makes sure it has the analysis's shape. Throttling is retried with
 * backoff, then the fallback model gets the same chance; everything else fails at once (ModelAnalysisError) so the
 * caller can fall back to the rules analyst within the Lambda's time.
 */
import {
  type BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandInput,
  type ConverseCommandOutput,
  type ToolInputSchema,
} from '@aws-sdk/client-bedrock-runtime';
import { type Analysis, AnalysisSchema } from '../../shared/contract/analysis';
import { ModelAnalysisError } from './errors';
import type { TokenUsage } from './model-prices';
import { ANALYSIS_TOOL_NAME, analysisToolSchema, SYSTEM_PROMPT } from './prompt';

export interface BedrockAnalystOptions {
  readonly client: BedrockRuntimeClient;
  readonly modelId: string;
  readonly fallbackModelId: string | undefined;
  /** Retries of a throttled call per model. */
  readonly throttleRetries: number;
  /** First backoff delay; doubles per retry, with jitter. */
  readonly backoffBaseMs: number;
  /** Per call; a call that takes longer is abandoned. */
  readonly timeoutMs: number;
  /**
   * Epoch ms after which no call, retry or backoff may run, so that the rules analyst and the check run still fit
   * in the Lambda invocation. Without it only `timeoutMs` bounds each call.
   */
  readonly deadline?: number | undefined;
  readonly maxOutputTokens: number;
  /** Called after every answered call, usable or not, so that its cost is counted. */
  readonly onUsage: (modelId: string, usage: TokenUsage) => Promise<void> | void;
}

export interface ModelAnswer {
  readonly analysis: Analysis;
  readonly modelId: string;
}

const THROTTLING_ERRORS = new Set([
  'ThrottlingException',
  'ServiceQuotaExceededException',
  'TooManyRequestsException',
]);

/** Below this, a call cannot finish: answering with the rules analyst at once is better than a doomed call. */
const MIN_CALL_MS = 1000;

/**
 * @example
 * const { analysis, modelId } = await analyzeWithBedrock(options, buildUserPrompt({ report, context, signature }));
 */
export async function analyzeWithBedrock(
  options: BedrockAnalystOptions,
  userPrompt: string,
): Promise<ModelAnswer> {
  const models = [options.modelId, ...(options.fallbackModelId ? [options.fallbackModelId] : [])];
  let lastThrottle: unknown;
  for (const modelId of models) {
    for (let attempt = 0; attempt <= options.throttleRetries; attempt += 1) {
      if (attempt > 0) {
        const delay = backoffMs(options.backoffBaseMs, attempt);
        if (timeLeft(options, delay) < MIN_CALL_MS) throw outOfTime(models, lastThrottle);
        await sleep(delay);
      }
      const callMs = Math.min(options.timeoutMs, timeLeft(options));
      if (callMs < MIN_CALL_MS) throw outOfTime(models, lastThrottle);
      let output: ConverseCommandOutput;
      try {
        output = await converse(options, modelId, userPrompt, callMs);
      } catch (error) {
        if (isThrottling(error)) {
          lastThrottle = error;
          continue;
        }
        throw toModelError(error, modelId);
      }
      await options.onUsage(modelId, {
        inputTokens: output.usage?.inputTokens ?? 0,
        outputTokens: output.usage?.outputTokens ?? 0,
      });
      return { analysis: readToolInput(output, modelId), modelId };
    }
  }
  throw new ModelAnalysisError(`Bedrock kept throttling ${models.join(' and ')}`, 'throttled', {
    cause: lastThrottle,
  });
}

/** Milliseconds until the deadline, after `afterMs` more; unbounded without a deadline. */
function timeLeft(options: BedrockAnalystOptions, afterMs = 0): number {
  return options.deadline === undefined ? Number.POSITIVE_INFINITY : options.deadline - Date.now() - afterMs;
}

function outOfTime(models: readonly string[], lastThrottle: unknown): ModelAnalysisError {
  return new ModelAnalysisError(
    `no time left in the invocation for ${models.join(' or ')}`,
    'timeout',
    lastThrottle === undefined ? undefined : { cause: lastThrottle },
  );
}

async function converse(
  options: BedrockAnalystOptions,
  modelId: string,
  userPrompt: string,
  timeoutMs: number,
): Promise<ConverseCommandOutput> {
  return options.client.send(
    new ConverseCommand(analysisConverseInput(modelId, userPrompt, options.maxOutputTokens)),
    { abortSignal: AbortSignal.timeout(timeoutMs) },
  );
}

/**
 * The Converse request of an analysis: the system prompt, the log as the user message and the analysis as a forced
 * tool. `osdc-rca doctor` sends the same request with a tiny `maxTokens` to prove the model accepts it.
 */
export function analysisConverseInput(
  modelId: string,
  userPrompt: string,
  maxOutputTokens: number,
): ConverseCommandInput {
  return {
    modelId,
    system: [{ text: SYSTEM_PROMPT }],
    messages: [{ role: 'user', content: [{ text: userPrompt }] }],
    inferenceConfig: { maxTokens: maxOutputTokens, temperature: 0 },
    toolConfig: {
      tools: [
        {
          toolSpec: {
            name: ANALYSIS_TOOL_NAME,
            description: 'Records the analysis of the failed CI step.',
            inputSchema: { json: analysisToolSchema() as ToolInputSchema.JsonMember['json'] },
          },
        },
      ],
      toolChoice: { tool: { name: ANALYSIS_TOOL_NAME } },
    },
  };
}

function readToolInput(output: ConverseCommandOutput, modelId: string): Analysis {
  const toolUse = output.output?.message?.content?.find(
    (block) => block.toolUse?.name === ANALYSIS_TOOL_NAME,
  )?.toolUse;
  if (!toolUse) {
    throw new ModelAnalysisError(
      `${modelId} answered without calling ${ANALYSIS_TOOL_NAME}`,
      'invalid-output',
    );
  }
  const parsed = AnalysisSchema.safeParse(toolUse.input);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ModelAnalysisError(
      `${modelId} called the tool with an invalid analysis: ${issues.join('; ')}`,
      'invalid-output',
    );
  }
  return parsed.data;
}

function isThrottling(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return THROTTLING_ERRORS.has(error.name) || status === 429;
}

function toModelError(error: unknown, modelId: string): ModelAnalysisError {
  const name = error instanceof Error ? error.name : 'Error';
  const timedOut = name === 'TimeoutError' || name === 'AbortError' || name === 'ModelTimeoutException';
  const message = error instanceof Error ? error.message : String(error);
  return new ModelAnalysisError(
    timedOut ? `${modelId} did not answer in time` : `${modelId} failed: ${name}: ${message.slice(0, 200)}`,
    timedOut ? 'timeout' : 'failed',
    { cause: error },
  );
}

function backoffMs(baseMs: number, attempt: number): number {
  const ceiling = baseMs * 2 ** (attempt - 1);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
