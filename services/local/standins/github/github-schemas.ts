/**
 * GitHub's published schemas for the operations the stand-in serves (extracted into
 * `github-openapi/schemas.json`), compiled with Ajv. Request bodies are checked as GitHub checks them; response
 * bodies can be checked by tests so that the stand-in never drifts from what GitHub sends.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { GitHubOperationId } from './openapi/operations';
import type { GitHubSchemaFixture, JsonSchema, SelectedOperation } from './openapi/select-operations';

export interface SchemaIssue {
  /** JSON pointer into the body, `''` for the body itself. */
  readonly path: string;
  readonly message: string;
}

export interface GitHubSchemas {
  readonly source: GitHubSchemaFixture['source'];
  operation(id: GitHubOperationId): SelectedOperation;
  /** Issues of a request body; empty when it is valid. An absent body (`undefined`) is valid unless required. */
  validateRequest(id: GitHubOperationId, body: unknown): SchemaIssue[];
  validateResponse(id: GitHubOperationId, body: unknown): SchemaIssue[];
}

/** The fixture lacks an operation or a schema: re-run extract-schemas.ts after changing operations.ts. */
export class GitHubSchemaError extends Error {
  override readonly name = 'GitHubSchemaError';
}

const FIXTURE_ID = 'https://osdc-rca.local/github-openapi/schemas.json';

// ajv-formats is CommonJS with a default export; under Node's ESM interop the function may sit on `.default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as typeof addFormatsModule;

let loaded: GitHubSchemas | undefined;

/** Loads and compiles the fixture once per process. */
export function loadGitHubSchemas(): GitHubSchemas {
  loaded ??= compileGitHubSchemas(
    JSON.parse(readFileSync(new URL('./openapi/schemas.json', import.meta.url), 'utf8')),
  );
  return loaded;
}

export function compileGitHubSchemas(fixture: GitHubSchemaFixture): GitHubSchemas {
  // Each component compiles once and is shared by the operations that use it (3× faster than inlining); the
  // fixture is GitHub's, so checking it against the meta-schema on every start only costs time.
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    discriminator: true,
    inlineRefs: false,
    validateSchema: false,
  });
  addFormats(ajv);
  ajv.addSchema({ ...(toJsonSchema(fixture) as object), $id: FIXTURE_ID });
  const cache = new Map<string, ValidateFunction>();
  const validator = (pointer: string) => {
    let validate = cache.get(pointer);
    if (!validate) {
      validate = ajv.getSchema(`${FIXTURE_ID}#${pointer}`);
      if (!validate) throw new GitHubSchemaError(`no schema at ${pointer} in the fixture`);
      cache.set(pointer, validate);
    }
    return validate;
  };
  const operation = (id: GitHubOperationId) => {
    const found = fixture.operations[id];
    if (!found) {
      throw new GitHubSchemaError(
        `operation ${id} is not in the fixture; add it to operations.ts and re-extract`,
      );
    }
    return found;
  };
  const check = (pointer: string, body: unknown) => {
    const validate = validator(pointer);
    return validate(body) ? [] : (validate.errors ?? []).map(toIssue);
  };
  return {
    source: fixture.source,
    operation,
    validateRequest(id, body) {
      const { requestBody, requestBodyRequired } = operation(id);
      if (!requestBody || (body === undefined && !requestBodyRequired)) return [];
      return check(`/operations/${escapePointer(id)}/requestBody`, body);
    },
    validateResponse(id, body) {
      operation(id);
      return check(`/operations/${escapePointer(id)}/response/schema`, body);
    },
  };
}

function toIssue(error: ErrorObject): SchemaIssue {
  const detail =
    error.keyword === 'enum'
      ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')})`
      : '';
  return { path: error.instancePath, message: `${error.message ?? error.keyword}${detail}` };
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * OpenAPI 3.0's `nullable: true` is not JSON Schema: Ajv only understands it next to `type`, and GitHub also puts it
 * next to `anyOf`/`allOf`. Rewrites every nullable schema as "this, or null".
 */
export function toJsonSchema(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJsonSchema);
  if (!value || typeof value !== 'object') return value;
  const { nullable, ...rest } = value as JsonSchema;
  const converted = Object.fromEntries(
    Object.entries(rest).map(([key, child]) => [key, toJsonSchema(child)]),
  );
  if (nullable !== true) return nullable === undefined ? converted : { ...converted, nullable };
  if (typeof converted.type === 'string') {
    const enumValues = Array.isArray(converted.enum) ? { enum: [...converted.enum, null] } : {};
    return { ...converted, ...enumValues, type: [converted.type, 'null'] };
  }
  return { anyOf: [converted, { type: 'null' }] };
}
