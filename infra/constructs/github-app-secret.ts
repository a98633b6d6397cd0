/**
 * The GitHub App's private key in Secrets Manager. The stack creates the secret with a random value; the operator
 * puts the PEM in out of band, so the key never passes through CloudFormation, cdk.json or a shell history.
 */
import { Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface GithubAppSecretProps {
  /** A stable name so the operator can find the secret without stack outputs, e.g. `OsdcRca/github-app-private-key`. */
  readonly secretName: string;
}

export class GithubAppSecret extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string, props: GithubAppSecretProps) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      secretName: props.secretName,
      description: 'osdc-rca: PEM private key of the GitHub App that posts check runs (set out of band)',
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason:
        'A GitHub App private key can only be generated in GitHub; it is rotated there and the new PEM put here by the operator, so a rotation Lambda has nothing to rotate.',
    });
  }
}
