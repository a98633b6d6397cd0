import { connect } from 'node:http2';
import {
  BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandInput,
  type ToolInputSchema,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { analysisConverseInput } from '../../services/analyzer/bedrock-analyst';
import { LOCAL_AWS } from '../../services/local/standins/aws/dynamodb-local';
import { type LocalBedrock, startLocalBedrock } from '../../services/local/standins/bedrock/bedrock-server';

const MODEL = 'global.anthropic.claude-opus-4-6-v1';

/** What the analyzer sends, as plain JSON (the SDK serialises exactly these members). */
function analyzerBody(): Record<string, unknown> {
  const { modelId: _model, ...body } = analysisConverseInput(MODEL, 'the log', 64);
  return JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
}

/** Posts a raw body, as a client that does not go through the SDK's serialiser would. */
async function postRaw(endpoint: string, body: unknown) {
  const session = connect(endpoint);
  try {
    const request = session.request({
      ':method': 'POST',
      ':path': `/model/${encodeURIComponent(MODEL)}/converse`,
      'content-type': 'application/json',
    });
    request.end(JSON.stringify(body));
    const headers = await new Promise<Record<string, unknown>>((resolve) =>
      request.once('response', resolve),
    );
    let text = '';
    for await (const chunk of request) text += chunk;
    return { status: headers[':status'], errorType: String(headers['x-amzn-errortype'] ?? ''), text };
  } finally {
    session.close();
  }
}

/** A local Bedrock and an SDK client for it, for the tests of one describe block. */
function useLocalBedrock(): { bedrock: LocalBedrock; client: BedrockRuntimeClient } {
  const local = {} as { bedrock: LocalBedrock; client: BedrockRuntimeClient };
  beforeAll(async () => {
    local.bedrock = await startLocalBedrock();
    local.client = new BedrockRuntimeClient({
      ...LOCAL_AWS,
      endpoint: local.bedrock.endpoint,
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    local.client.destroy();
    await local.bedrock.stop();
  });
  return local;
}

describe('Local Bedrock: requests checked against the AWS SDK’s model of Converse', () => {
  const local = useLocalBedrock();
  beforeEach(() => local.bedrock.reset());

  it('accepts the request the analyzer really sends', async () => {
    const answer = await local.client.send(new ConverseCommand(analysisConverseInput(MODEL, 'the log', 64)));

    expect(answer.stopReason).toBeDefined();
    expect(local.bedrock.rejected()).toEqual([]);
  });

  it('rejects a wrong field name with a ValidationException, as Bedrock does', async () => {
    const body = { ...analyzerBody(), inferenceConfig: { maxToken: 64, temperature: 0 } };

    const response = await postRaw(local.bedrock.endpoint, body);

    expect(response.status).toBe(400);
    expect(response.errorType).toMatch(/^ValidationException:/);
    expect(JSON.parse(response.text).message).toContain(
      'inferenceConfig: extraneous key [maxToken] is not permitted',
    );
    expect(local.bedrock.requests()).toHaveLength(0);
  });

  it('rejects a misspelt top-level member', async () => {
    const { toolConfig, ...rest } = analyzerBody();

    const response = await postRaw(local.bedrock.endpoint, { ...rest, toolsConfig: toolConfig });

    expect(JSON.parse(response.text).message).toContain('#: extraneous key [toolsConfig] is not permitted');
  });

  it('rejects a missing required member through the SDK, with the error class the SDK maps', async () => {
    const input = analysisConverseInput(MODEL, 'the log', 64);
    const tool = input.toolConfig?.tools?.[0];
    const broken = {
      ...input,
      toolConfig: {
        ...input.toolConfig,
        tools: [{ toolSpec: { ...tool?.toolSpec, inputSchema: undefined } }],
      },
    } as unknown as ConverseCommandInput;

    const error = await local.client.send(new ConverseCommand(broken)).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ValidationException);
    expect((error as Error).message).toBe(
      "1 validation error detected: Value null at 'toolConfig.tools.1.member.toolSpec.inputSchema' failed to " +
        'satisfy constraint: Member must not be null',
    );
  });

  it('knows rules the stand-in never listed by hand, from the model: a cache point needs its type', async () => {
    const response = await postRaw(local.bedrock.endpoint, {
      ...analyzerBody(),
      system: [{ cachePoint: {} }],
    });

    expect(JSON.parse(response.text).message).toContain(
      "Value null at 'system.1.member.cachePoint.type' failed to satisfy constraint: Member must not be null",
    );
  });

  it('rejects a content block with two members set (a union holds exactly one)', async () => {
    const body = {
      ...analyzerBody(),
      messages: [{ role: 'user', content: [{ text: 'a', cachePoint: { type: 'default' } }] }],
    };

    const response = await postRaw(local.bedrock.endpoint, body);

    expect(JSON.parse(response.text).message).toContain(
      'ContentBlock must have exactly one member set, got 2',
    );
  });
});

describe('Local Bedrock: tool schemas as Anthropic models accept them', () => {
  const local = useLocalBedrock();
  const withSchema = (json: ToolInputSchema.JsonMember['json'], strict?: boolean): ConverseCommandInput => ({
    modelId: MODEL,
    messages: [{ role: 'user', content: [{ text: 'the log' }] }],
    toolConfig: {
      tools: [{ toolSpec: { name: 'record', inputSchema: { json }, ...(strict ? { strict } : {}) } }],
      toolChoice: { tool: { name: 'record' } },
    },
  });
  const rejection = (input: ConverseCommandInput) =>
    local.client.send(new ConverseCommand(input)).then(
      () => 'accepted',
      (error: Error) => `${error.name}: ${error.message}`,
    );

  it('rejects a schema whose top level is not an object', async () => {
    expect(await rejection(withSchema({ type: 'array', items: { type: 'string' } }))).toBe(
      "ValidationException: The model returned the following errors: tools.0.custom.input_schema.type: Input should be 'object'",
    );
  });

  it('rejects a keyword that is not JSON Schema 2020-12 (a misspelt "required")', async () => {
    const result = await rejection(
      withSchema({ type: 'object', properties: { a: { type: 'string' } }, requried: ['a'] }),
    );

    expect(result).toContain('tools.0.custom.input_schema: JSON schema is invalid');
    expect(result).toContain('requried');
  });

  it('rejects bounds that strict tool use does not support', async () => {
    const schema = {
      type: 'object',
      properties: { n: { type: 'integer', minimum: 1 } },
      additionalProperties: false,
    };

    expect(await rejection(withSchema(schema, true))).toContain(
      "'minimum' is not supported with strict tool use",
    );
    expect(await rejection(withSchema(schema))).toBe('accepted');
  });
});
