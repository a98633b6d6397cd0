/**
 * The runner pods' role as the RunnerPodRole construct synthesizes it, for a local IAM to evaluate, and the ways an
 * operator could get it wrong. The queue and table are imported by ARN, so the policies name real ARNs, not tokens.
 */
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { RunnerPodRole } from '../../infra/constructs/runner-pod-role';
import type { IamStatement, NamedPolicy } from '../../services/local/standins/aws/evaluate-policies';

export const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/111122223333/OsdcRca-Reports';
export const RESULTS_TABLE_NAME = 'OsdcRca-Results';
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:111122223333:OsdcRca-Reports';
export const RESULTS_TABLE_ARN = `arn:aws:dynamodb:us-east-1:111122223333:table/${RESULTS_TABLE_NAME}`;

export const roleArn = (name: string) => `arn:aws:iam::111122223333:role/${name}`;

/** The role's inline policies as the construct synthesizes them for the queue and table above. */
export function deployedRunnerPolicies(): NamedPolicy[] {
  const stack = new Stack();
  const runner = new RunnerPodRole(stack, 'Runner', {
    oidcProviderArn: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE',
    namespace: 'arc-runners',
    serviceAccount: 'arc-runner',
    queue: Queue.fromQueueArn(stack, 'Reports', QUEUE_ARN),
    resultsTable: Table.fromTableArn(stack, 'Results', RESULTS_TABLE_ARN),
  });
  const roleId = stack.getLogicalId(runner.role.node.defaultChild as CfnElement);
  const { Policies } = Template.fromStack(stack).toJSON().Resources[roleId].Properties as {
    Policies: Array<{ PolicyName: string; PolicyDocument: NamedPolicy['document'] }>;
  };
  return Policies.map((policy) => ({ name: policy.PolicyName, document: policy.PolicyDocument }));
}

/** The same policies with the GetItem statement's condition replaced, or removed for `undefined`. */
export function withGetItemCondition(
  policies: readonly NamedPolicy[],
  condition: IamStatement['Condition'],
): NamedPolicy[] {
  return policies.map((policy) => ({
    name: policy.name,
    document: {
      Statement: [policy.document.Statement]
        .flat()
        .map(({ Condition, ...statement }) =>
          statement.Action === 'dynamodb:GetItem'
            ? { ...statement, ...(condition ? { Condition: condition } : {}) }
            : { ...statement, ...(Condition ? { Condition } : {}) },
        ),
    },
  }));
}
