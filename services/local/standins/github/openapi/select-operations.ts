/**
 * Cuts GitHub's OpenAPI description (13 MB) down to the operations the stand-in serves: each one's request-body
 * schema, its success response's schema and example, and the component schemas they reference (transitively).
 * Pure, so that it can be tested on a small spec; `extract-schemas.ts` does the file I/O.
 */

export type JsonSchema = Record<string, unknown>;

export interface SelectedOperation {
  readonly method: string;
  /** OpenAPI path template, e.g. `/repos/{owner}/{repo}/check-runs`. */
  readonly path: string;
  /** GitHub's documentation page for the operation; its 4xx bodies link to it. */
  readonly docsUrl: string | undefined;
  readonly requestBody: JsonSchema | undefined;
  /** Whether a request without a body is an error (OpenAPI `requestBody.required`). */
  readonly requestBodyRequired: boolean;
  readonly response: { readonly status: number; readonly schema: JsonSchema; readonly example: unknown };
}

export interface GitHubSchemaFixture {
  readonly source: { readonly package: string; readonly version: string; readonly file: string };
  readonly operations: Record<string, SelectedOperation>;
  readonly components: { readonly schemas: Record<string, JsonSchema> };
}

export class SpecSelectionError extends Error {
  override readonly name = 'SpecSelectionError';
}

interface OpenApiOperation {
  readonly operationId?: string;
  readonly externalDocs?: { readonly url?: string };
  readonly requestBody?: unknown;
  readonly responses?: Record<string, unknown>;
}

interface OpenApiSpec {
  readonly paths: Record<string, Record<string, OpenApiOperation | unknown>>;
  readonly components: Record<string, Record<string, unknown>>;
}

const METHODS = new Set(['get', 'put', 'post', 'patch', 'delete']);
const SCHEMA_REF = '#/components/schemas/';

/**
 * @example
 * const fixture = selectOperations(spec, ['checks/create'], { package: '@octokit/openapi', version, file });
 */
export function selectOperations(
  spec: OpenApiSpec,
  operationIds: readonly string[],
  source: GitHubSchemaFixture['source'],
): GitHubSchemaFixture {
  const wanted = new Set(operationIds);
  const operations: Record<string, SelectedOperation> = {};
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, value] of Object.entries(item)) {
      const operation = value as OpenApiOperation;
      if (!METHODS.has(method) || !operation.operationId || !wanted.has(operation.operationId)) continue;
      operations[operation.operationId] = selectOperation(spec, method, path, operation);
    }
  }
  const missing = operationIds.filter((id) => !(id in operations));
  if (missing.length > 0) throw new SpecSelectionError(`operations not in the spec: ${missing.join(', ')}`);

  const schemas: Record<string, JsonSchema> = {};
  const pending = Object.values(operations).flatMap((operation) => [
    ...collectSchemaRefs(operation.requestBody),
    ...collectSchemaRefs(operation.response.schema),
  ]);
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (name in schemas) continue;
    const schema = spec.components.schemas?.[name];
    if (!schema) throw new SpecSelectionError(`missing component schema ${name}`);
    schemas[name] = schema as JsonSchema;
    pending.push(...collectSchemaRefs(schema));
  }
  const sorted = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
  return { source, operations: sortKeys(operations), components: { schemas: sorted } };
}

function selectOperation(spec: OpenApiSpec, method: string, path: string, operation: OpenApiOperation) {
  const id = operation.operationId!;
  const body = operation.requestBody ? resolve(spec, operation.requestBody) : undefined;
  const requestBody = body ? jsonContent(body)?.schema : undefined;
  if (body && !requestBody)
    throw new SpecSelectionError(`${id}: request body has no application/json schema`);

  const success = Object.keys(operation.responses ?? {})
    .filter((status) => /^2\d\d$/.test(status))
    .sort()[0];
  if (!success) throw new SpecSelectionError(`${id}: no 2xx response`);
  const content = jsonContent(resolve(spec, operation.responses![success]));
  if (!content?.schema)
    throw new SpecSelectionError(`${id}: ${success} response has no application/json schema`);
  const firstExample = Object.values(content.examples ?? {})[0];
  const example = firstExample ? (resolve(spec, firstExample) as { value?: unknown }).value : undefined;

  return {
    method,
    path,
    docsUrl: operation.externalDocs?.url,
    requestBody: requestBody as JsonSchema | undefined,
    requestBodyRequired: (body as { required?: boolean } | undefined)?.required === true,
    response: { status: Number(success), schema: content.schema as JsonSchema, example },
  };
}

interface MediaType {
  readonly schema?: unknown;
  readonly examples?: Record<string, unknown>;
}

function jsonContent(value: unknown): MediaType | undefined {
  return (value as { content?: Record<string, MediaType> }).content?.['application/json'];
}

/** Follows a `$ref` to another component (responses, request bodies, examples); schema refs stay refs. */
function resolve(spec: OpenApiSpec, value: unknown): unknown {
  const ref = (value as { $ref?: unknown }).$ref;
  if (typeof ref !== 'string') return value;
  const [, , kind, name] = ref.split('/');
  const target = kind && name ? spec.components[kind]?.[name] : undefined;
  if (target === undefined) throw new SpecSelectionError(`unresolved reference ${ref}`);
  return resolve(spec, target);
}

function collectSchemaRefs(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) collectSchemaRefs(item, found);
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') {
        if (!child.startsWith(SCHEMA_REF)) throw new SpecSelectionError(`unexpected reference ${child}`);
        found.add(child.slice(SCHEMA_REF.length));
      } else {
        collectSchemaRefs(child, found);
      }
    }
  }
  return found;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
