/**
 * Test support: the reporter bundle, copied into a fresh folder without node_modules (as in the ConfigMap), and a
 * runner for its `exec` command that measures the time the reporter adds after the command has ended.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const BUNDLE_PATH = join(repoRoot, 'dist', 'osdc-rca-reporter.cjs');

/** Builds the bundle unless it is newer than every reporter and shared source (`npm test` has just built it). */
export function ensureBundle(): void {
  const sources = [join(repoRoot, 'services', 'reporter'), join(repoRoot, 'shared')].flatMap((dir) =>
    readdirSync(dir).map((name) => join(dir, name)),
  );
  const newest = Math.max(...sources.map((path) => statSync(path).mtimeMs));
  if (existsSync(BUNDLE_PATH) && statSync(BUNDLE_PATH).mtimeMs >= newest) return;
  execFileSync(process.execPath, [join(repoRoot, 'services', 'reporter', 'build.mjs')], { stdio: 'pipe' });
}

/** A folder with only the bundle in it; `remove()` when done. */
export function installBundle(): { dir: string; path: string; remove(): void } {
  ensureBundle();
  const dir = mkdtempSync(join(tmpdir(), 'osdc-rca-bundle-'));
  const path = join(dir, 'osdc-rca-reporter.cjs');
  copyFileSync(BUNDLE_PATH, path);
  return { dir, path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A clean env: no AWS or GitHub variables of the machine running the tests leak in. */
export function baseEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'LANG', 'SYSTEMROOT']) if (process.env[name]) env[name] = process.env[name];
  // No ~/.aws of the machine running the tests either.
  env.HOME = join(tmpdir(), 'osdc-rca-empty-home');
  mkdirSync(env.HOME, { recursive: true });
  // Keep the SDK away from a real instance metadata service; tests that want it hang point it elsewhere.
  env.AWS_EC2_METADATA_DISABLED = 'true';
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

export const GITHUB_ENV = {
  GITHUB_REPOSITORY: 'pytorch/pytorch',
  GITHUB_RUN_ID: '12345678901',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_JOB: 'test',
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  GITHUB_REF: 'refs/pull/4242/merge',
  GITHUB_WORKFLOW: 'pull',
  GITHUB_EVENT_NAME: 'pull_request',
  RUNNER_NAME: 'arc-runner-test-0',
};

export interface ExecResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** All of stdout up to 8 MiB; the last 64 KiB beyond that. */
  readonly stdout: string;
  readonly stdoutBuffer: Buffer;
  readonly stdoutBytes: number;
  readonly stderr: string;
  /** Wall time from the command's last act (it writes the time to a file) to the reporter's exit. */
  readonly addedMs: number;
  /** Wall time from the signal of `signalAfterMs` to the reporter's exit. */
  readonly afterSignalMs: number;
}

export interface ExecOptions {
  readonly bundle: string;
  readonly env: NodeJS.ProcessEnv;
  /** Node script run as the command; `END()` records the time it ends (call it right before exiting). */
  readonly script: string;
  /** Sent to the reporter process this long after start. */
  readonly signalAfterMs?: { readonly signal: NodeJS.Signals; readonly ms: number };
}

const STDOUT_KEEP_ALL = 8 * 1024 * 1024;
const STDOUT_KEEP_TAIL = 64 * 1024;

export function runExec(options: ExecOptions): Promise<ExecResult> {
  const endFile = join(mkdtempSync(join(tmpdir(), 'osdc-rca-end-')), 'end');
  const prelude = `const END = () => require('node:fs').writeFileSync(${JSON.stringify(endFile)}, String(Date.now()));`;
  const child = spawn(
    process.execPath,
    [options.bundle, 'exec', '--', process.execPath, '-e', `${prelude}\n${options.script}`],
    { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let stdoutBytes = 0;
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdoutBytes += chunk.length;
    kept.push(chunk);
    keptBytes += chunk.length;
    if (stdoutBytes <= STDOUT_KEEP_ALL) return;
    while (kept.length > 1 && keptBytes - kept[0]!.length >= STDOUT_KEEP_TAIL)
      keptBytes -= kept.shift()!.length;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  let signalledAt = Number.NaN;
  if (options.signalAfterMs) {
    const { signal, ms } = options.signalAfterMs;
    setTimeout(() => {
      signalledAt = Date.now();
      child.kill(signal);
    }, ms);
  }
  return new Promise((resolvePromise) => {
    child.once('exit', (exitCode, signal) => {
      const exitedAt = Date.now();
      child.once('close', () => {
        const endedAt = existsSync(endFile) ? Number(readFileSync(endFile, 'utf8')) : Number.NaN;
        rmSync(dirname(endFile), { recursive: true, force: true });
        resolvePromise({
          exitCode,
          signal,
          stdout: Buffer.concat(kept).toString('utf8'),
          stdoutBuffer: Buffer.concat(kept),
          stdoutBytes,
          stderr,
          addedMs: exitedAt - endedAt,
          afterSignalMs: exitedAt - signalledAt,
        });
      });
    });
  });
}
