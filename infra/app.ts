/** The CDK app (`npx cdk synth`, `npx cdk deploy`): configuration comes from cdk.json context; see docs/deploy.md. */
import { App } from 'aws-cdk-lib';
import { buildApp } from './build-app';

buildApp(new App());
