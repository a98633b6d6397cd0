/**
 * Checks a Converse request as Bedrock does, with the errors Bedrock gives (`ValidationException`), so that a
 * malformed request fails locally as it would in AWS: first the shape, against AWS's own model of the API
 * (converse-model-issues.ts); then each tool's schema, as Anthropic's models accept it
 * (anthropic-tool-schema-issues.ts); then the rules the model does not express (below: roles and their order, tool
 * names, the forced tool, sampling parameters).
 */
import { z } from 'zod';
import { anthropicToolSchemaIssues } from './anthropic-tool-schema-issues';
import { converseModelIssues } from './converse-model-issues';

const TextBlock = z.object({ text: z.string() });
const ContentBlock = z.record(z.string(), z.unknown()).refine((block) => Object.keys(block).length === 1, {
  message: 'each content block must hold exactly one member',
});

const ConverseBody = z.looseObject({
  messages: z
    .array(z.object({ role: z.enum(['user', 'assistant']), content: z.array(ContentBlock).min(1) }))
    .min(1)
    .refine((messages) => messages[0]?.role === 'user', {
      message: 'A conversation must start with a user message.',
    }),
  system: z.array(z.record(z.string(), z.unknown())).optional(),
  inferenceConfig: z
    .object({
      maxTokens: z.number().int().positive().optional(),
      temperature: z.number().min(0).max(1).optional(),
      topP: z.number().min(0).max(1).optional(),
      stopSequences: z.array(z.string()).max(4).optional(),
    })
    .optional(),
  toolConfig: z
    .object({
      tools: z
        .array(
          z.object({
            toolSpec: z.object({
              name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
              description: z.string().min(1).optional(),
              inputSchema: z.object({ json: z.unknown() }),
              strict: z.boolean().optional(),
            }),
          }),
        )
        .min(1),
      toolChoice: z
        .union([
          z.object({ auto: z.object({}) }),
          z.object({ any: z.object({}) }),
          z.object({ tool: z.object({ name: z.string() }) }),
        ])
        .optional(),
    })
    .optional(),
});

export type ConverseBody = z.infer<typeof ConverseBody>;

export interface ConverseRequestRecord {
  readonly modelId: string;
  readonly body: ConverseBody;
  /** The forced tool's name, when `toolChoice` names one. */
  readonly forcedTool: string | undefined;
  /** Text blocks of the system prompt, joined by newlines. */
  readonly systemText: string;
  /** Text blocks of the messages, joined by newlines. */
  readonly promptText: string;
}

export type ParsedConverse = { ok: true; request: ConverseRequestRecord } | { ok: false; message: string };

export function parseConverseRequest(modelId: string, raw: string): ParsedConverse {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, message: 'Malformed input request, please reformat your input and try again.' };
  }
  const modelIssues = converseModelIssues(json);
  if (modelIssues.length > 0) return { ok: false, message: validationMessage(modelIssues) };
  const parsed = ConverseBody.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `Malformed input request: ${issue?.path.join('.')}: ${issue?.message}` };
  }
  const body = parsed.data;
  if (modelId.includes('anthropic')) {
    const schemaIssues = (body.toolConfig?.tools ?? []).flatMap((tool, index) =>
      anthropicToolSchemaIssues(index, tool.toolSpec.inputSchema.json, {
        strict: tool.toolSpec.strict === true,
      }),
    );
    if (schemaIssues.length > 0) {
      return { ok: false, message: `The model returned the following errors: ${schemaIssues.join('; ')}` };
    }
  }
  const toolNames = body.toolConfig?.tools.map((tool) => tool.toolSpec.name) ?? [];
  const choice = body.toolConfig?.toolChoice;
  const forcedTool = choice && 'tool' in choice ? choice.tool.name : undefined;
  if (forcedTool !== undefined && !toolNames.includes(forcedTool)) {
    return { ok: false, message: `The tool choice ${forcedTool} is not one of the tools in toolConfig.` };
  }
  // Anthropic's newer Claude models reject both sampling parameters at once; Bedrock relays that as a 400.
  if (
    modelId.includes('anthropic') &&
    body.inferenceConfig?.temperature !== undefined &&
    body.inferenceConfig.topP !== undefined
  ) {
    return { ok: false, message: '`temperature` and `top_p` cannot both be specified for this model.' };
  }
  return {
    ok: true,
    request: {
      modelId,
      body,
      forcedTool,
      systemText: collectText(body.system ?? []),
      promptText: collectText(body.messages.flatMap((message) => message.content)),
    },
  };
}

function collectText(blocks: readonly unknown[]): string {
  return blocks
    .map((block) => TextBlock.safeParse(block))
    .flatMap((result) => (result.success ? [result.data.text] : []))
    .join('\n');
}

/** Bedrock's wording for request validation failures. */
function validationMessage(issues: readonly string[]): string {
  const count = issues.length === 1 ? '1 validation error' : `${issues.length} validation errors`;
  return `${count} detected: ${issues.join('; ')}`;
}
