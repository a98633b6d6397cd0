/**
 * The runner pods' role may do exactly two things: send a report to the queue and read the job's own result item
 * of the Results table. IAM's policy simulator answers this for a role ARN (the stack output RunnerPodRoleArn),
 * `GetItem` once per kind of key with the `dynamodb:LeadingKeys` the request would carry, so a role that lacks the
 * condition on result keys fails; without an ARN the check says it did not look. The verdict: judge-runner-role.ts.
 */
import {
  type ContextEntry,
  type EvaluationResult,
  type IAMClient,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import { describeError } from './describe-error';
import { type DoctorCheck, failed, notChecked } from './doctor-check';
import {
  judgeRunnerRole,
  LEADING_KEY_PROBES,
  LEADING_KEYS,
  RUNNER_FORBIDDEN,
  type RunnerRoleSimulation,
} from './judge-runner-role';

export interface RunnerRoleCheckInput {
  /** Loaded only when a role ARN is given: the IAM client is large and otherwise unused. */
  readonly iam: () => Promise<IAMClient>;
  readonly roleArn: string | undefined;
  readonly queueUrl: string | undefined;
  readonly resultsTable: string | undefined;
}

export function runnerRoleCheck(input: RunnerRoleCheckInput): DoctorCheck {
  return {
    name: 'runner role',
    async run(signal) {
      const { roleArn } = input;
      if (!roleArn) {
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
      const simulate = async (actions: readonly string[], resource: string, context?: ContextEntry[]) =>
        (
          await iam.send(
            new SimulatePrincipalPolicyCommand({
              PolicySourceArn: roleArn,
              ActionNames: [...actions],
              ResourceArns: [resource],
              ...(context ? { ContextEntries: context } : {}),
            }),
            { abortSignal: signal },
          )
        ).EvaluationResults ?? [];
      let simulation: RunnerRoleSimulation;
      try {
        simulation = await simulateRunnerRole(simulate, resources);
      } catch (error) {
        return failed(
          `IAM SimulatePrincipalPolicy on ${roleArn}: ${describeError(error)}`,
          'run the doctor with credentials allowed iam:SimulatePrincipalPolicy, or leave --runner-role-arn out',
        );
      }
      return judgeRunnerRole(roleArn, simulation);
    },
  };
}

type Simulate = (
  actions: readonly string[],
  resource: string,
  context?: ContextEntry[],
) => Promise<EvaluationResult[]>;

/** Every action on the resource it concerns, then `GetItem` with each probe key as its `dynamodb:LeadingKeys`. */
async function simulateRunnerRole(
  simulate: Simulate,
  resources: { queueArn: string; tableArn: string },
): Promise<RunnerRoleSimulation> {
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
  // One call at a time, like the calls above: IAM's request quota is account-wide, and seven calls take ~1 s.
  const keys: Array<RunnerRoleSimulation['keys'][number]> = [];
  for (const probe of LEADING_KEY_PROBES) {
    const [result] = await simulate(['dynamodb:GetItem'], resources.tableArn, [
      // A GetItem names one partition key; IAM holds LeadingKeys as a list, so ForAllValues/ForAnyValue apply.
      { ContextKeyName: LEADING_KEYS, ContextKeyType: 'stringList', ContextKeyValues: [probe.key] },
    ]);
    keys.push({ probe, decision: result?.EvalDecision });
  }
  return { actions: [...onQueue, ...onTable, ...elsewhere], keys };
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
