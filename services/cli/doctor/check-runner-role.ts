/**
 * The runner pods' role may do exactly two things: send a report to the queue and read one item of the Results
 * table. Runner output is attacker-controlled, so anything more is a finding. IAM's policy simulator answers this
 * for a role ARN (the stack output RunnerPodRoleArn); without one the check says it did not look.
 */
import { type EvaluationResult, type IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { describeError } from './describe-error';
import { type DoctorCheck, failed, notChecked, passed } from './doctor-check';

export interface RunnerRoleCheckInput {
  /** Loaded only when a role ARN is given: the IAM client is large and otherwise unused. */
  readonly iam: () => Promise<IAMClient>;
  readonly roleArn: string | undefined;
  readonly queueUrl: string | undefined;
  readonly resultsTable: string | undefined;
}

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

export function runnerRoleCheck(input: RunnerRoleCheckInput): DoctorCheck {
  return {
    name: 'runner role',
    async run(signal) {
      if (!input.roleArn) {
        return notChecked(
          'not checked: pass --runner-role-arn (the stack output RunnerPodRoleArn) to simulate it',
        );
      }
      const resources = runnerResourceArns(input.queueUrl, input.resultsTable);
      if (!resources) {
        return failed(
          'cannot name the queue and table to simulate against',
          'set OSDC_RCA_QUEUE_URL (an https://sqs.<region>.amazonaws.com/<account>/<name> URL) and OSDC_RCA_RESULTS_TABLE',
        );
      }
      const iam = await input.iam();
      const simulate = async (actions: readonly string[], resource: string) =>
        (
          await iam.send(
            new SimulatePrincipalPolicyCommand({
              PolicySourceArn: input.roleArn,
              ActionNames: [...actions],
              ResourceArns: [resource],
            }),
            { abortSignal: signal },
          )
        ).EvaluationResults ?? [];
      let results: EvaluationResult[];
      try {
        const onQueue = await simulate(
          ['sqs:SendMessage', ...RUNNER_FORBIDDEN.filter((a) => a.startsWith('sqs:'))],
          resources.queueArn,
        );
        const onTable = await simulate(
          ['dynamodb:GetItem', ...RUNNER_FORBIDDEN.filter((a) => a.startsWith('dynamodb:'))],
          resources.tableArn,
        );
        const elsewhere = await simulate(
          RUNNER_FORBIDDEN.filter((a) => !a.startsWith('sqs:') && !a.startsWith('dynamodb:')),
          '*',
        );
        results = [...onQueue, ...onTable, ...elsewhere];
      } catch (error) {
        return failed(
          `IAM SimulatePrincipalPolicy on ${input.roleArn}: ${describeError(error)}`,
          'run the doctor with credentials allowed iam:SimulatePrincipalPolicy, or leave --runner-role-arn out',
        );
      }
      return judgeRunnerRole(input.roleArn, results);
    },
  };
}

/** Turns simulation results into a verdict: both needed actions allowed, every forbidden one denied. */
export function judgeRunnerRole(roleArn: string, results: readonly EvaluationResult[]) {
  const allowed = new Set(results.filter((r) => r.EvalDecision === 'allowed').map((r) => r.EvalActionName));
  const missing = RUNNER_ALLOWED.filter((action) => !allowed.has(action));
  const extra = RUNNER_FORBIDDEN.filter((action) => allowed.has(action));
  if (missing.length > 0) {
    return failed(
      `${roleArn} may not ${missing.join(' or ')}: runner pods cannot report failures`,
      'redeploy the stack; the RunnerPodRole construct grants exactly sqs:SendMessage and dynamodb:GetItem',
    );
  }
  if (extra.length > 0) {
    return failed(
      `${roleArn} may also ${extra.join(', ')}: runner pods run untrusted code and must not`,
      'remove the extra policies from the role; it needs sqs:SendMessage and dynamodb:GetItem only',
    );
  }
  return passed(`${roleArn}: sqs:SendMessage and dynamodb:GetItem only`);
}

/** The queue's and table's ARNs from a standard queue URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`). */
export function runnerResourceArns(
  queueUrl: string | undefined,
  resultsTable: string | undefined,
): { queueArn: string; tableArn: string } | undefined {
  const match = /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/(\d{12})\/([\w-]+(?:\.fifo)?)$/.exec(
    queueUrl ?? '',
  );
  if (!match || !resultsTable) return undefined;
  const [, region, account, name] = match;
  const partition = queueUrl?.includes('.amazonaws.com.cn/') ? 'aws-cn' : 'aws';
  return {
    queueArn: `arn:${partition}:sqs:${region}:${account}:${name}`,
    tableArn: `arn:${partition}:dynamodb:${region}:${account}:table/${resultsTable}`,
  };
}
