/**
 * Test support: OSDC's real hook wrapper (../shared/osdc/wrapper.js, never copied into the repository), installed in
 * a fresh folder twice, as deployed today and with deploy/osdc/wrapper.patch applied next to the reporter bundle,
 * and a runner that drives either through a job the way the Actions runner does: one wrapper process per hook call,
 * the request JSON on stdin.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BUNDLE_PATH, ensureBundle, repoRoot } from '../../reporter/support/reporter-bundle';

export const OSDC_WRAPPER = resolve(repoRoot, '..', 'shared', 'osdc', 'wrapper.js');
export const WRAPPER_PATCH = join(repoRoot, 'deploy', 'osdc', 'wrapper.patch');
/** Where the wrapper expects the real hooks; the tests point it at the stand-in below instead. */
const REAL_HOOKS_LITERAL = "'/opt/runner-hooks/dist/index.js'";

/**
 * Stands in for the real container hooks' index.js: `prepare_job` and `cleanup_job` print a line and succeed; a step
 * runs its entry point here (the real hooks run it in the job pod) with its output passed on, and exits with its code.
 */
const STAND_IN_HOOKS = `
let input = '';
process.stdin.on('data', (chunk) => (input += chunk)).on('end', () => {
  const request = JSON.parse(input);
  if (request.command !== 'run_script_step' && request.command !== 'run_container_step') {
    console.log('stand-in hooks: ' + request.command + ' done');
    return;
  }
  const { entryPoint, entryPointArgs = [] } = request.args;
  const child = require('node:child_process').spawn(entryPoint, entryPointArgs, { stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('close', (code) => process.exit(code ?? 1));
});`;

export interface OsdcWrappers {
  /** OSDC's wrapper as deployed today. */
  readonly unpatched: string;
  /** OSDC's wrapper with the patch applied, the reporter bundle next to it (as in the ConfigMap). */
  readonly patched: string;
  /** The patched wrapper without the bundle: a ConfigMap that lacks the key, or an `items:` list that misses it. */
  readonly patchedWithoutBundle: string;
  remove(): void;
}

/** Thrown when the patch no longer applies to OSDC's wrapper: the adoption must be redone against the new file. */
export class PatchDoesNotApplyError extends Error {
  override readonly name = 'PatchDoesNotApplyError';
}

export function installOsdcWrappers(): OsdcWrappers {
  ensureBundle();
  const root = mkdtempSync(join(tmpdir(), 'osdc-wrapper-'));
  const hooks = join(root, 'runner-hooks', 'index.js');
  mkdirSync(join(root, 'runner-hooks'));
  writeFileSync(hooks, STAND_IN_HOOKS);
  const install = (name: string, patch: boolean, bundle: boolean) => {
    const dir = join(root, name);
    mkdirSync(dir);
    copyFileSync(OSDC_WRAPPER, join(dir, 'wrapper.js'));
    if (patch) applyPatch(dir);
    pointAtHooks(join(dir, 'wrapper.js'), hooks);
    if (bundle) copyFileSync(BUNDLE_PATH, join(dir, 'osdc-rca-reporter.cjs'));
    return join(dir, 'wrapper.js');
  };
  return {
    unpatched: install('unpatched', false, false),
    patched: install('patched', true, true),
    patchedWithoutBundle: install('patched-without-bundle', true, false),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Applies the patch as a reviewer would (`git apply`: exact context, no fuzz), failing loudly if it does not. */
function applyPatch(dir: string): void {
  try {
    execFileSync('git', ['apply', '--verbose', WRAPPER_PATCH], { cwd: dir, stdio: 'pipe' });
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '');
    throw new PatchDoesNotApplyError(
      `deploy/osdc/wrapper.patch does not apply to ${OSDC_WRAPPER}:\n${stderr}`,
      {
        cause: error,
      },
    );
  }
}

function pointAtHooks(wrapper: string, hooks: string): void {
  const source = readFileSync(wrapper, 'utf8');
  if (source.split(REAL_HOOKS_LITERAL).length !== 2)
    throw new Error(`${OSDC_WRAPPER} no longer names its hooks as ${REAL_HOOKS_LITERAL} exactly once`);
  writeFileSync(wrapper, source.replace(REAL_HOOKS_LITERAL, JSON.stringify(hooks)));
}

export function osdcWrapperIsPresent(): boolean {
  return existsSync(OSDC_WRAPPER);
}

export type HookCommand = 'prepare_job' | 'run_script_step' | 'cleanup_job';

export interface HookCall {
  readonly command: HookCommand;
  /** Node code the step runs (its entry point); steps only. */
  readonly script?: string;
}

export interface HookCallResult {
  readonly command: HookCommand;
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time of the wrapper process, spawn to exit. */
  readonly ms: number;
}

/** One hook call as the runner makes it: a new wrapper process, the request JSON on stdin. */
export function callHook(
  wrapper: string,
  call: HookCall,
  env: NodeJS.ProcessEnv,
  stepEnv: Readonly<Record<string, string>>,
): Promise<HookCallResult> {
  const request = {
    command: call.command,
    responseFile: join(tmpdir(), 'osdc-wrapper-response.json'),
    state: {},
    args:
      call.command === 'run_script_step'
        ? {
            entryPoint: process.execPath,
            entryPointArgs: ['-e', call.script ?? ''],
            environmentVariables: stepEnv,
            workingDirectory: '/__w/pytorch/pytorch',
            prependPath: [],
          }
        : {},
  };
  const started = performance.now();
  const child = spawn(process.execPath, [wrapper], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdin.end(JSON.stringify(request));
  return new Promise((done) =>
    child.on('close', (exitCode) =>
      done({ command: call.command, exitCode, stdout, stderr, ms: performance.now() - started }),
    ),
  );
}

/** A whole job, call after call; `between` runs after each call (e.g. the analyzer finishing an analysis). */
export async function runJob(
  wrapper: string,
  calls: readonly HookCall[],
  env: NodeJS.ProcessEnv,
  stepEnv: Readonly<Record<string, string>>,
  between?: (result: HookCallResult, index: number) => Promise<void>,
): Promise<HookCallResult[]> {
  const results: HookCallResult[] = [];
  for (const [index, call] of calls.entries()) {
    const result = await callHook(wrapper, call, env, stepEnv);
    results.push(result);
    await between?.(result, index);
  }
  return results;
}
