/**
 * Checks a Converse request body against AWS's own model of Bedrock Runtime: the `ConverseRequest` schema that
 * ships, generated from the Smithy model, inside `@aws-sdk/client-bedrock-runtime` (read through @smithy/core's
 * `NormalizedSchema`). Unknown members, missing required members, wrong JSON types and unions with other than one
 * member set are rejected, as Bedrock's front end rejects them, so a request that AWS would refuse fails locally.
 * When the SDK is updated, the checks follow its model with no change here.
 */
import { ConverseRequest$ } from '@aws-sdk/client-bedrock-runtime';
import { NormalizedSchema } from '@smithy/core/schema';

/** The body members of a structure (not those bound to the URL or headers), with their JSON names. */
interface BodyMember {
  readonly jsonName: string;
  readonly schema: NormalizedSchema;
  readonly required: boolean;
}

const HTTP_BINDINGS = [
  'httpLabel',
  'httpHeader',
  'httpQuery',
  'httpPrefixHeaders',
  'httpQueryParams',
] as const;

/** Issues in Bedrock's wording, first found first; empty when the body fits the model. */
export function converseModelIssues(body: unknown): string[] {
  const issues: string[] = [];
  visit(body, NormalizedSchema.of(ConverseRequest$), '', issues);
  return issues;
}

function visit(value: unknown, schema: NormalizedSchema, path: string, issues: string[]): void {
  if (issues.length >= 10) return;
  const at = path || '#';
  if (schema.isDocumentSchema()) return;
  if (schema.isStructSchema() || schema.isUnionSchema()) {
    if (!isPlainObject(value)) {
      issues.push(`Value at '${at}' failed to satisfy constraint: Member must be an object`);
      return;
    }
    const members = bodyMembers(schema);
    for (const key of Object.keys(value)) {
      if (!members.has(key)) {
        issues.push(
          `Malformed input request: ${at}: extraneous key [${key}] is not permitted ` +
            `(${schema.getName()} has ${[...members.keys()].join(', ')})`,
        );
      }
    }
    const present = [...members.values()].filter((member) => value[member.jsonName] != null);
    if (schema.isUnionSchema() && present.length !== 1) {
      issues.push(
        `Value at '${at}' failed to satisfy constraint: ${schema.getName()} must have exactly one member set, ` +
          `got ${present.length}`,
      );
    }
    for (const member of members.values()) {
      const memberPath = path ? `${path}.${member.jsonName}` : member.jsonName;
      const memberValue = value[member.jsonName];
      if (memberValue == null) {
        if (member.required) {
          issues.push(`Value null at '${memberPath}' failed to satisfy constraint: Member must not be null`);
        }
        continue;
      }
      visit(memberValue, member.schema, memberPath, issues);
    }
    return;
  }
  if (schema.isListSchema()) {
    if (!Array.isArray(value)) {
      issues.push(`Value at '${at}' failed to satisfy constraint: Member must be a list`);
      return;
    }
    // Bedrock's paths count list members from 1: `messages.1.member.content`.
    value.forEach((item, index) => {
      visit(item, schema.getValueSchema(), `${path}.${index + 1}.member`, issues);
    });
    return;
  }
  if (schema.isMapSchema()) {
    if (!isPlainObject(value)) {
      issues.push(`Value at '${at}' failed to satisfy constraint: Member must be a map`);
      return;
    }
    for (const [key, item] of Object.entries(value))
      visit(item, schema.getValueSchema(), `${path}.${key}`, issues);
    return;
  }
  const expected = scalarType(schema);
  if (expected && typeof value !== expected) {
    issues.push(
      `Value '${String(value).slice(0, 40)}' at '${at}' failed to satisfy constraint: Member must be a ${expected}`,
    );
  }
}

function bodyMembers(schema: NormalizedSchema): Map<string, BodyMember> {
  // A structure's static schema lists its required members first and says how many there are (index 6).
  const raw = schema.getSchema() as unknown as unknown[];
  const requiredCount = schema.isStructSchema() && typeof raw[6] === 'number' ? raw[6] : 0;
  const members = new Map<string, BodyMember>();
  let position = 0;
  for (const [name, member] of schema.structIterator()) {
    const traits = member.getMergedTraits() as Record<string, unknown>;
    const required = position < requiredCount;
    position += 1;
    if (HTTP_BINDINGS.some((binding) => traits[binding] !== undefined)) continue;
    const jsonName = typeof traits.jsonName === 'string' ? traits.jsonName : name;
    members.set(jsonName, { jsonName, schema: member, required });
  }
  return members;
}

function scalarType(schema: NormalizedSchema): 'string' | 'number' | 'boolean' | undefined {
  if (schema.isStringSchema() || schema.isBlobSchema()) return 'string';
  if (schema.isNumericSchema()) return 'number';
  if (schema.isBooleanSchema()) return 'boolean';
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
