/**
 * What the local Bedrock server answers, as data: a test queues replies (or sets a default) and the server plays
 * them in order. Builders below cover the cases the analyzer must survive.
 *
 * @example
 * bedrock.enqueue(bedrockReplies.throttling(), bedrockReplies.toolUse(analysis));
 */
import type { ConverseRequestRecord } from './bedrock-converse-request';

export interface TokenCounts {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export type BedrockReply =
  /** A tool call: the forced tool's name (unless `toolName` is given) with this input, whatever its shape. */
  | {
      readonly kind: 'toolUse';
      readonly input: unknown;
      readonly toolName?: string;
      readonly usage?: TokenCounts;
    }
  /** Plain text and `end_turn`: the model ignored the tool. */
  | { readonly kind: 'text'; readonly text: string; readonly usage?: TokenCounts }
  /** A 200 whose body is not the Converse response JSON. */
  | { readonly kind: 'malformed'; readonly body: string }
  /** An AWS error as restJson1 encodes it: status, `x-amzn-errortype` header and `{ message }`. */
  | { readonly kind: 'error'; readonly status: number; readonly errorType: string; readonly message: string }
  | { readonly kind: 'delay'; readonly ms: number; readonly reply: BedrockReply }
  /** Builds the reply from the request, e.g. to quote a line of the prompt as evidence. */
  | {
      readonly kind: 'compute';
      readonly build: (request: ConverseRequestRecord) => BedrockReply | Promise<BedrockReply>;
    };

export const bedrockReplies = {
  toolUse: (input: unknown, usage?: TokenCounts): BedrockReply => ({ kind: 'toolUse', input, usage }),
  text: (text = 'I think the build failed.'): BedrockReply => ({ kind: 'text', text }),
  invalidJson: (): BedrockReply => ({
    kind: 'malformed',
    body: '{"output":{"message":{"content":[{"toolUse":',
  }),
  throttling: (): BedrockReply => ({
    kind: 'error',
    status: 429,
    errorType: 'ThrottlingException',
    message: 'Too many requests, please wait before trying again.',
  }),
  serverError: (status: 500 | 503 = 500): BedrockReply =>
    status === 500
      ? {
          kind: 'error',
          status,
          errorType: 'InternalServerException',
          message: 'The server encountered an error processing your request.',
        }
      : {
          kind: 'error',
          status,
          errorType: 'ServiceUnavailableException',
          message: 'Bedrock is unable to process your request.',
        },
  accessDenied: (): BedrockReply => ({
    kind: 'error',
    status: 403,
    errorType: 'AccessDeniedException',
    message: "You don't have access to the model with the specified model ID.",
  }),
  slow: (ms: number, after?: BedrockReply): BedrockReply => ({
    kind: 'delay',
    ms,
    reply: after ?? defaultReply(),
  }),
  compute: (
    build: (request: ConverseRequestRecord) => BedrockReply | Promise<BedrockReply>,
  ): BedrockReply => ({
    kind: 'compute',
    build,
  }),
};

/**
 * The default answer: a schema-valid analysis that quotes the prompt's most error-looking line as evidence, so
 * that a pipeline run without scripted replies still exercises evidence checking and rendering.
 */
export function defaultReply(): BedrockReply {
  return bedrockReplies.compute((request) => {
    const lines = logLines(request.promptText).filter((line) => line.length > 0 && line.length < 500);
    const quoted =
      lines.find((line) => /(Error|Exception)\b|\berror\b/.test(line)) ??
      lines.find((line) => /\b(failed|fatal)\b/i.test(line));
    const summary = quoted
      ? `Step failed: ${quoted.slice(0, 100)}`
      : 'Step failed for a reason the log does not show';
    return bedrockReplies.toolUse({
      summary,
      rootCause: quoted
        ? `The log reports: ${quoted.slice(0, 300)}`
        : 'The log excerpt has no clear error line.',
      category: 'unknown',
      isInfra: false,
      confidence: 'low',
      evidence: quoted ? [{ text: quoted }] : [],
      suggestedFix: 'Read the quoted line and the lines before it in the job log.',
      files: [],
    });
  });
}

/** The log part of a prompt: between `<<<LOG x>>>` and `<<<END LOG x>>>` markers when present, else all of it. */
function logLines(prompt: string): string[] {
  const lines = prompt.split('\n').map((line) => line.trim());
  const begin = lines.findIndex((line) => /^<<<LOG \S+>>>$/.test(line));
  const end = lines.findIndex((line, index) => index > begin && /^<<<END LOG \S+>>>$/.test(line));
  return begin >= 0 && end > begin ? lines.slice(begin + 1, end) : lines;
}
