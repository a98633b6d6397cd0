/**
 * What Anthropic's models on Bedrock accept as a tool's input schema: a JSON Schema (draft 2020-12) whose top
 * level is `type: "object"`. Bedrock passes the schema to the model and relays its refusal as a ValidationException
 * ("The model returned the following errors: …"). Keywords outside draft 2020-12 are rejected here too: the model
 * would ignore them silently, so a misspelt `requried` would quietly weaken the schema the analysis relies on.
 * With `strict: true`, the limits of Anthropic's strict tool use apply (no numeric or length bounds, closed objects).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';

const ajv = new Ajv2020({ strict: true, allErrors: true, validateFormats: false });

/** Keywords strict tool use does not support (Anthropic's structured outputs limits). */
const STRICT_UNSUPPORTED = [
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
] as const;

export function anthropicToolSchemaIssues(
  toolIndex: number,
  schema: unknown,
  options: { readonly strict?: boolean } = {},
): string[] {
  const at = `tools.${toolIndex}.custom.input_schema`;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    return [`${at}: Input should be a valid dictionary`];
  }
  const issues: string[] = [];
  if ((schema as { type?: unknown }).type !== 'object') issues.push(`${at}.type: Input should be 'object'`);
  if (!ajv.validateSchema(schema)) {
    issues.push(
      `${at}: JSON schema is invalid. It must match JSON Schema draft 2020-12 (${ajv.errorsText(ajv.errors)})`,
    );
  } else {
    try {
      ajv.compile(schema);
    } catch (error) {
      issues.push(`${at}: JSON schema is invalid: ${(error as Error).message}`);
    } finally {
      // Every request brings a new schema object: do not let the compiled ones pile up in a long `npm start`.
      ajv.removeSchema(schema);
    }
  }
  if (options.strict) issues.push(...strictIssues(schema, at));
  return issues;
}

function strictIssues(node: unknown, at: string): string[] {
  if (typeof node !== 'object' || node === null) return [];
  if (Array.isArray(node)) return node.flatMap((item, index) => strictIssues(item, `${at}.${index}`));
  const record = node as Record<string, unknown>;
  const issues = STRICT_UNSUPPORTED.filter((keyword) => keyword in record).map(
    (keyword) => `${at}: '${keyword}' is not supported with strict tool use`,
  );
  if (record.type === 'object' && record.additionalProperties !== false) {
    issues.push(`${at}: strict tool use needs 'additionalProperties: false' on every object`);
  }
  for (const [key, value] of Object.entries(record)) {
    if (key !== 'enum' && key !== 'const' && key !== 'default')
      issues.push(...strictIssues(value, `${at}.${key}`));
  }
  return issues;
}
