/**
 * A local IAM that answers `SimulatePrincipalPolicy` over IAM's own protocol (awsQuery: a form-encoded POST, an XML
 * answer), so `@aws-sdk/client-iam` talks to it unchanged. It holds roles and their identity policies and evaluates
 * them per action, resource and context entry (evaluate-policies.ts); every simulation is recorded with the context
 * it carried, so a test can see what a caller asked as well as what it was told.
 *
 * @example
 * const iam = await startLocalIam({ roles: { [roleArn]: [{ name: 'Reporter', document }] } });
 * const client = new IAMClient({ ...LOCAL_AWS, endpoint: iam.endpoint });
 */
import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { assertEvaluable, evaluatePolicies, type NamedPolicy } from './evaluate-policies';

export interface SimulationRecord {
  readonly policySourceArn: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** Context key → its type and values, as sent. */
  readonly context: Readonly<Record<string, { readonly type: string; readonly values: readonly string[] }>>;
}

export interface LocalIam {
  /** `http://127.0.0.1:<port>`, for the client's `endpoint`. */
  readonly endpoint: string;
  /** The simulations answered, in order. */
  simulations(): readonly SimulationRecord[];
  stop(): Promise<void>;
}

export interface StartLocalIamOptions {
  /** Role ARN → its identity policies. Another ARN is answered with IAM's `NoSuchEntity`. */
  readonly roles: Readonly<Record<string, readonly NamedPolicy[]>>;
}

/** IAM's ContextKeyType values (API reference, ContextEntry). */
const CONTEXT_KEY_TYPES = new Set(
  ['string', 'numeric', 'boolean', 'ip', 'binary', 'date'].flatMap((type) => [type, `${type}List`]),
);
const NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

class IamFault extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startLocalIam(options: StartLocalIamOptions): Promise<LocalIam> {
  for (const policies of Object.values(options.roles)) assertEvaluable(policies);
  const records: SimulationRecord[] = [];
  const server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    try {
      const params = new URLSearchParams(body);
      const action = params.get('Action');
      if (action !== 'SimulatePrincipalPolicy') {
        throw new IamFault(400, 'InvalidAction', `${action ?? 'no Action'} is not served by the local IAM`);
      }
      const record = parseSimulation(params);
      const policies = options.roles[record.policySourceArn];
      if (!policies) {
        throw new IamFault(
          404,
          'NoSuchEntity',
          `The role with ARN ${record.policySourceArn} cannot be found.`,
        );
      }
      records.push(record);
      send(response, 200, 'SimulatePrincipalPolicyResponse', simulationResult(record, policies));
    } catch (error) {
      const fault = error instanceof IamFault ? error : new IamFault(500, 'ServiceFailure', String(error));
      const type = fault.status < 500 ? 'Sender' : 'Receiver';
      send(
        response,
        fault.status,
        'ErrorResponse',
        `<Error><Type>${type}</Type><Code>${fault.code}</Code><Message>${xml(fault.message)}</Message></Error>`,
      );
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    simulations: () => [...records],
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** awsQuery lists: `Name.member.1`, `Name.member.2`, … in order. */
function members(params: URLSearchParams, prefix: string): string[] {
  const found: string[] = [];
  for (let n = 1; params.has(`${prefix}.member.${n}`); n += 1)
    found.push(params.get(`${prefix}.member.${n}`) ?? '');
  return found;
}

function parseSimulation(params: URLSearchParams): SimulationRecord {
  const policySourceArn = params.get('PolicySourceArn');
  const actions = members(params, 'ActionNames');
  if (!policySourceArn || actions.length === 0) {
    throw new IamFault(400, 'ValidationError', 'PolicySourceArn and ActionNames are required');
  }
  const context: Record<string, { type: string; values: string[] }> = {};
  for (let n = 1; params.has(`ContextEntries.member.${n}.ContextKeyName`); n += 1) {
    const entry = `ContextEntries.member.${n}`;
    const type = params.get(`${entry}.ContextKeyType`) ?? '';
    if (!CONTEXT_KEY_TYPES.has(type)) {
      throw new IamFault(
        400,
        'ValidationError',
        `ContextKeyType ${JSON.stringify(type)} is not a valid type`,
      );
    }
    context[params.get(`${entry}.ContextKeyName`) ?? ''] = {
      type,
      values: members(params, `${entry}.ContextKeyValues`),
    };
  }
  const resources = members(params, 'ResourceArns');
  return { policySourceArn, actions, resources: resources.length > 0 ? resources : ['*'], context };
}

function simulationResult(record: SimulationRecord, policies: readonly NamedPolicy[]): string {
  const context = new Map(Object.entries(record.context).map(([key, { values }]) => [key, values]));
  const results = record.actions.flatMap((action) =>
    record.resources.map((resource) => {
      const evaluation = evaluatePolicies(policies, { action, resource, context });
      const matched = evaluation.matchedPolicies.map(
        (name) =>
          `<member><SourcePolicyId>${xml(name)}</SourcePolicyId><SourcePolicyType>role</SourcePolicyType></member>`,
      );
      const missing = evaluation.missingContextValues.map((key) => `<member>${xml(key)}</member>`);
      return (
        `<member><EvalActionName>${xml(action)}</EvalActionName><EvalResourceName>${xml(resource)}</EvalResourceName>` +
        `<EvalDecision>${evaluation.decision}</EvalDecision><MatchedStatements>${matched.join('')}</MatchedStatements>` +
        `<MissingContextValues>${missing.join('')}</MissingContextValues></member>`
      );
    }),
  );
  return (
    '<SimulatePrincipalPolicyResult><IsTruncated>false</IsTruncated>' +
    `<EvaluationResults>${results.join('')}</EvaluationResults></SimulatePrincipalPolicyResult>`
  );
}

function send(response: ServerResponse, status: number, root: string, inner: string): void {
  const requestId = `<RequestId>${randomUUID()}</RequestId>`;
  const metadata = root === 'ErrorResponse' ? requestId : `<ResponseMetadata>${requestId}</ResponseMetadata>`;
  response.writeHead(status, { 'content-type': 'text/xml' });
  response.end(`<${root} xmlns="${NAMESPACE}">${inner}${metadata}</${root}>`);
}

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

function xml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => XML_ENTITIES[char] ?? char);
}
