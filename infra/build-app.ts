/**
 * Builds the osdc-rca app on a CDK App: configuration from context, the stack, and the cdk-nag AwsSolutions rules,
 * which fail synthesis on any finding that is not acknowledged with a reason. infra/app.ts and the tests share it.
 */
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readInfraConfig } from './read-infra-config';
import { OsdcRcaStack } from './stacks/osdc-rca-stack';

export function buildApp(app: App): OsdcRcaStack {
  const config = readInfraConfig(app);
  const stack = new OsdcRcaStack(app, config.stackName, {
    config,
    env: config.account || config.region ? { account: config.account, region: config.region } : undefined,
    description: 'osdc-rca: root-cause analysis of failed CI steps on the OSDC runner fleet',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
