/**
 * What the runner pods' role may do, and the verdict on what IAM's simulator says it may do. Runner output is
 * attacker-controlled, so anything more than sending a report and reading the job's own result item is a finding:
 * the role's `GetItem` must be held to `result#` keys by `dynamodb:LeadingKeys` (docs/security.md, attack 6), or any
 * pod can read every repository's report items, bindings and cached analyses.
 */
import type { EvaluationResult } from '@aws-sdk/client-iam';
import { bindingKey, cacheKey, reportKey } from '../../../shared/contract/keys';
import { RESULT_KEY_PREFIX, resultKeyOfDigest } from '../../../shared/contract/result-key';
import { REPOSITORY_SCOPE } from '../../../shared/contract/trust-scope';
import { type CheckOutcome, failed, passed } from './doctor-check';

/** What the role must be allowed, on the queue and the Results table. */
export const RUNNER_ALLOWED = ['sqs:SendMessage', 'dynamodb:GetItem'] as const;

/** What it must not be allowed: reading or deleting others' reports, writing analyses, calling the model. */
export const RUNNER_FORBIDDEN = [
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:PurgeQueue',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'bedrock:InvokeModel',
  'secretsmanager:GetSecretValue',
] as const;

/** The condition key IAM sets to the partition keys a DynamoDB request names. */
export const LEADING_KEYS = 'dynamodb:LeadingKeys';

export interface LeadingKeyProbe {
  /** Which kind of Results item the key names. */
  readonly kind: 'result' | 'report' | 'binding' | 'cache';
  readonly key: string;
  /** Whether a runner pod must be able to GetItem it. */
  readonly readable: boolean;
}

/** Any digest will do: the condition looks at the key's prefix, and the simulator reads no item. */
const PROBE_DIGEST = '0'.repeat(64);

/** One key of each kind the analyzer writes to the Results table, built as the analyzer builds them. */
export const LEADING_KEY_PROBES: readonly LeadingKeyProbe[] = [
  { kind: 'result', key: resultKeyOfDigest(PROBE_DIGEST), readable: true },
  { kind: 'report', key: reportKey(PROBE_DIGEST), readable: false },
  { kind: 'binding', key: bindingKey(1, 'build'), readable: false },
  { kind: 'cache', key: cacheKey('pytorch/pytorch', 'sig0123456789', REPOSITORY_SCOPE), readable: false },
];

/** The simulator's answers: every action without context, and `GetItem` once per probe key. */
export interface RunnerRoleSimulation {
  readonly actions: readonly EvaluationResult[];
  readonly keys: ReadonlyArray<{ readonly probe: LeadingKeyProbe; readonly decision: string | undefined }>;
}

const REDEPLOY =
  'redeploy the stack; the RunnerPodRole construct grants exactly sqs:SendMessage and dynamodb:GetItem on result# keys';

/** Both needed actions allowed, every forbidden one denied, and `GetItem` allowed on result keys only. */
export function judgeRunnerRole(roleArn: string, simulation: RunnerRoleSimulation): CheckOutcome {
  const allowed = new Set(
    simulation.actions.filter((r) => r.EvalDecision === 'allowed').map((r) => r.EvalActionName),
  );
  const missing = RUNNER_ALLOWED.filter((action) => !allowed.has(action));
  if (missing.length > 0) {
    return failed(`${roleArn} may not ${missing.join(' or ')}: runner pods cannot report failures`, REDEPLOY);
  }
  const extra = RUNNER_FORBIDDEN.filter((action) => allowed.has(action));
  if (extra.length > 0) {
    return failed(
      `${roleArn} may also ${extra.join(', ')}: runner pods run untrusted code and must not`,
      'remove the extra policies from the role; it needs sqs:SendMessage and dynamodb:GetItem only',
    );
  }
  const wrong = simulation.keys.filter(({ probe, decision }) => (decision === 'allowed') !== probe.readable);
  const unreadable = wrong.filter(({ probe }) => probe.readable).map(({ probe }) => keyKind(probe));
  if (unreadable.length > 0) {
    return failed(
      `${roleArn} may not dynamodb:GetItem ${unreadable.join(', ')} items: runner pods cannot read their results`,
      REDEPLOY,
    );
  }
  const exposed = wrong.map(({ probe }) => keyKind(probe));
  if (exposed.length > 0) {
    return failed(
      `${roleArn} may dynamodb:GetItem ${exposed.join(', ')} items: its ${LEADING_KEYS} are not held to ` +
        `${RESULT_KEY_PREFIX}*, so any runner pod can read every repository's reports, bindings and cached analyses`,
      `add the LeadingKeys condition to the role's dynamodb:GetItem statement ` +
        `(ForAllValues:StringLike ${LEADING_KEYS} = ${RESULT_KEY_PREFIX}*, as the RunnerPodRole construct does); ` +
        'see docs/security.md, attack 6',
    );
  }
  return passed(`${roleArn}: sqs:SendMessage, and dynamodb:GetItem on ${RESULT_KEY_PREFIX} keys only`);
}

/** `report#…`: the key's kind as the policy's patterns see it (the rest is a digest or a repository). */
function keyKind(probe: LeadingKeyProbe): string {
  return `${probe.key.slice(0, probe.key.indexOf('#') + 1)}…`;
}
