/**
 * IAM's evaluation of a principal's identity policies for one request, for the local IAM stand-in: an explicit
 * `Deny` wins, else an `Allow` whose action, resource and conditions match, else the implicit deny. It covers what
 * our roles use: `Action`/`NotAction` (case-insensitive wildcards), `Resource`/`NotResource` (case-sensitive
 * wildcards), and the `StringEquals`/`StringLike` conditions with the `ForAllValues:`/`ForAnyValue:` set operators,
 * as the IAM User Guide defines them ("Condition operators", "Multivalued context keys"): notably `ForAllValues`
 * is true when the request carries no value for the key. A policy using anything else is refused when the stand-in
 * starts, so it never answers with a decision it did not really evaluate.
 */

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

type OneOrMore = string | readonly string[];

export interface IamStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: OneOrMore;
  readonly NotAction?: OneOrMore;
  readonly Resource?: OneOrMore;
  readonly NotResource?: OneOrMore;
  /** Operator → condition key → the policy's values. */
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, OneOrMore>>>>;
}

/** One policy of a principal, named as the simulator names its source (`SourcePolicyId`). */
export interface NamedPolicy {
  readonly name: string;
  readonly document: { readonly Statement: IamStatement | readonly IamStatement[] };
}

export interface EvaluationRequest {
  readonly action: string;
  readonly resource: string;
  /** Context key (any case) → its values; a key that is absent is not in the request. */
  readonly context: ReadonlyMap<string, readonly string[]>;
}

export interface Evaluation {
  readonly decision: Decision;
  /** The policies whose statements decided: the denying ones, else the allowing ones. */
  readonly matchedPolicies: readonly string[];
  /** Condition keys that statements matching the action and resource use and the request did not carry. */
  readonly missingContextValues: readonly string[];
}

const OPERATORS = new Set(['StringEquals', 'StringLike']);
const SET_OPERATORS = new Set(['ForAllValues', 'ForAnyValue']);

/** Throws a TypeError naming the first element of the policies this evaluation does not implement. */
export function assertEvaluable(policies: readonly NamedPolicy[]): void {
  for (const policy of policies) {
    for (const statement of statementsOf(policy)) {
      for (const operator of Object.keys(statement.Condition ?? {})) {
        const { set, base } = parseOperator(operator);
        if ((set !== undefined && !SET_OPERATORS.has(set)) || !OPERATORS.has(base)) {
          throw new TypeError(
            `policy ${policy.name}: condition operator ${operator} is not evaluated locally`,
          );
        }
      }
    }
  }
}

export function evaluatePolicies(policies: readonly NamedPolicy[], request: EvaluationRequest): Evaluation {
  const context = new Map([...request.context].map(([key, values]) => [key.toLowerCase(), values]));
  const denying = new Set<string>();
  const allowing = new Set<string>();
  const missing = new Set<string>();
  for (const policy of policies) {
    for (const statement of statementsOf(policy)) {
      if (!appliesTo(statement, request)) continue;
      for (const key of conditionKeys(statement)) if (!context.has(key.toLowerCase())) missing.add(key);
      if (!conditionsHold(statement, context)) continue;
      (statement.Effect === 'Deny' ? denying : allowing).add(policy.name);
    }
  }
  const decision: Decision =
    denying.size > 0 ? 'explicitDeny' : allowing.size > 0 ? 'allowed' : 'implicitDeny';
  return {
    decision,
    matchedPolicies: [...(decision === 'explicitDeny' ? denying : allowing)],
    missingContextValues: [...missing],
  };
}

function statementsOf(policy: NamedPolicy): readonly IamStatement[] {
  const { Statement } = policy.document;
  return Array.isArray(Statement) ? Statement : [Statement as IamStatement];
}

const listOf = (value: OneOrMore | undefined): readonly string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : value;

function appliesTo(statement: IamStatement, request: EvaluationRequest): boolean {
  const action = (patterns: OneOrMore | undefined) =>
    listOf(patterns).some((pattern) => wildcardMatch(request.action.toLowerCase(), pattern.toLowerCase()));
  const resource = (patterns: OneOrMore | undefined) =>
    listOf(patterns).some((pattern) => wildcardMatch(request.resource, pattern));
  const actionMatches = statement.NotAction ? !action(statement.NotAction) : action(statement.Action);
  const resourceMatches = statement.NotResource
    ? !resource(statement.NotResource)
    : resource(statement.Resource);
  return actionMatches && resourceMatches;
}

function conditionKeys(statement: IamStatement): string[] {
  return Object.values(statement.Condition ?? {}).flatMap((byKey) => Object.keys(byKey));
}

/** Every operator block holds, and in each every key: the policy's values for a key are alternatives. */
function conditionsHold(statement: IamStatement, context: ReadonlyMap<string, readonly string[]>): boolean {
  return Object.entries(statement.Condition ?? {}).every(([operator, byKey]) => {
    const { set, base } = parseOperator(operator);
    const matches =
      base === 'StringLike' ? wildcardMatch : (value: string, pattern: string) => value === pattern;
    return Object.entries(byKey).every(([key, patterns]) => {
      const values = context.get(key.toLowerCase());
      const allowed = (value: string) => listOf(patterns).some((pattern) => matches(value, pattern));
      if (set === 'ForAllValues') return values === undefined || values.every(allowed);
      // ForAnyValue, or a single-valued operator: some value the request carries must match.
      return values?.some(allowed) ?? false;
    });
  });
}

/** `ForAllValues:StringLike` → the set operator and the operator it applies to each value. */
function parseOperator(operator: string): { set: string | undefined; base: string } {
  const at = operator.indexOf(':');
  return at < 0
    ? { set: undefined, base: operator }
    : { set: operator.slice(0, at), base: operator.slice(at + 1) };
}

/** IAM's wildcards: `*` any run of characters (none included), `?` exactly one; everything else literal. */
export function wildcardMatch(value: string, pattern: string): boolean {
  let v = 0;
  let p = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (v < value.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === value[v])) {
      v += 1;
      p += 1;
    } else if (p < pattern.length && pattern[p] === '*') {
      starAt = p;
      resumeAt = v;
      p += 1;
    } else if (starAt >= 0) {
      p = starAt + 1;
      resumeAt += 1;
      v = resumeAt;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p += 1;
  return p === pattern.length;
}
