/**
 * The IAM role the runner pods assume through IRSA. Runner output is attacker-controlled (anyone can open a PR), so
 * the role can do two things only: send a report to the queue and read a job's result item from the Results table
 * (keys starting `result#`: `dynamodb:LeadingKeys`). IAM cannot tell one pod from another (the role is shared), so
 * which result a pod can name is the analyzer's part: the key is a hash of a secret only that pod knows
 * (docs/security.md).
 */
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FederatedPrincipal, PolicyDocument, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RESULT_KEY_PREFIX } from '../../shared/contract/result-key';

export interface RunnerPodRoleProps {
  /** ARN of the EKS cluster's IAM OIDC provider, `arn:aws:iam::<account>:oidc-provider/<issuer>`. */
  readonly oidcProviderArn: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly queue: IQueue;
  readonly resultsTable: ITable;
}

export class RunnerPodRole extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: RunnerPodRoleProps) {
    super(scope, id);
    const issuer = oidcIssuer(props.oidcProviderArn);
    this.role = new Role(this, 'Role', {
      description: `osdc-rca: runner pods (${props.namespace}/${props.serviceAccount}) send failure reports`,
      assumedBy: new FederatedPrincipal(
        props.oidcProviderArn,
        {
          StringEquals: {
            [`${issuer}:sub`]: `system:serviceaccount:${props.namespace}:${props.serviceAccount}`,
            [`${issuer}:aud`]: 'sts.amazonaws.com',
          },
        },
        'sts:AssumeRoleWithWebIdentity',
      ),
      inlinePolicies: {
        Reporter: new PolicyDocument({
          statements: [
            new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [props.queue.queueArn] }),
            new PolicyStatement({
              actions: ['dynamodb:GetItem'],
              resources: [props.resultsTable.tableArn],
              // Report items, bindings and the signature cache are the analyzer's: a pod reads results only.
              conditions: {
                'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${RESULT_KEY_PREFIX}*`] },
              },
            }),
          ],
        }),
      },
    });
  }
}

/** The issuer host and path that IRSA condition keys start with: the provider ARN after `oidc-provider/`. */
export function oidcIssuer(oidcProviderArn: string): string {
  const marker = ':oidc-provider/';
  const at = oidcProviderArn.indexOf(marker);
  if (at < 0) throw new TypeError(`not an IAM OIDC provider ARN: ${oidcProviderArn}`);
  return oidcProviderArn.slice(at + marker.length);
}
