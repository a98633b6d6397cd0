/**
 * Builds the osdc-rca app in-process the way `npx cdk synth` does (cdk.json context, then overrides), without
 * bundling the Lambda code: the template and cdk-nag do not depend on it, and the CLI test bundles for real.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../../infra/build-app';
import type { OsdcRcaStack } from '../../infra/stacks/osdc-rca-stack';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** The `context` of cdk.json: the defaults a fresh clone synthesizes with. */
export function readCdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(repoRoot, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
}

export function buildTestApp(overrides: Record<string, unknown> = {}): { app: App; stack: OsdcRcaStack } {
  const app = new App({
    context: { ...readCdkJsonContext(), ...overrides, 'aws:cdk:bundling-stacks': [] },
  });
  return { app, stack: buildApp(app) };
}
