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
import type { StepTimingsRecord } from '../../../services/reporter/step-timings';

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
  /** Wall time from the command's last act (it writes the time to a file) to the reporter's exit, on our clock. */
  readonly addedMs: number;
  /** Wall time from our signal (see `signalWhen`) to the reporter's exit, on our clock. */
  readonly afterSignalMs: number;
  /** The reporter's own timestamps (`OSDC_RCA_TIMINGS_FILE`, see step-timings.ts) and its deadline. */
  readonly timings: StepTimingsRecord & { readonly deadlineMs?: number };
  /** Reporter's clock: from the command's end (exit seen, output passed on) to the reporter's exit. */
  readonly ownAddedMs: number;
  /**
   * Reporter's clock: how long it kept waiting for the send past its deadline, or past the start of the send when
   * preparing the log had already used the deadline up (NaN: nothing was sent).
   */
  readonly ownWaitPastDeadlineMs: number;
  /** Reporter's clock: from the signal reaching it to its exit. */
  readonly ownAfterSignalMs: number;
}

export interface ExecOptions {
  readonly bundle: string;
  readonly env: NodeJS.ProcessEnv;
  /** Node script run as the command; `END()` records the time it ends (call it right before exiting). */
  readonly script: string;
  /** Sent to the reporter once this much of the command's stdout has come through it. */
  readonly signalWhen?: { readonly signal: NodeJS.Signals; readonly stdoutBytes: number };
}

const STDOUT_KEEP_ALL = 8 * 1024 * 1024;
const STDOUT_KEEP_TAIL = 64 * 1024;

export function runExec(options: ExecOptions): Promise<ExecResult> {
  const runDir = mkdtempSync(join(tmpdir(), 'osdc-rca-exec-'));
  const endFile = join(runDir, 'end');
  const timingsFile = join(runDir, 'timings.jsonl');
  const prelude = `const END = () => require('node:fs').writeFileSync(${JSON.stringify(endFile)}, String(Date.now()));`;
  const child = spawn(
    process.execPath,
    [options.bundle, 'exec', '--', process.execPath, '-e', `${prelude}\n${options.script}`],
    { env: { OSDC_RCA_TIMINGS_FILE: timingsFile, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let stdoutBytes = 0;
  let stderr = '';
  let signalledAt = Number.NaN;
  child.stdout.on('data', (chunk: Buffer) => {
    stdoutBytes += chunk.length;
    if (options.signalWhen && Number.isNaN(signalledAt) && stdoutBytes >= options.signalWhen.stdoutBytes) {
      signalledAt = Date.now();
      child.kill(options.signalWhen.signal);
    }
    kept.push(chunk);
    keptBytes += chunk.length;
    if (stdoutBytes <= STDOUT_KEEP_ALL) return;
    while (kept.length > 1 && keptBytes - kept[0]!.length >= STDOUT_KEEP_TAIL)
      keptBytes -= kept.shift()!.length;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolvePromise) => {
    child.once('exit', (exitCode, signal) => {
      const exitedAt = Date.now();
      child.once('close', () => {
        const endedAt = existsSync(endFile) ? Number(readFileSync(endFile, 'utf8')) : Number.NaN;
        const timings = readTimings(timingsFile);
        rmSync(runDir, { recursive: true, force: true });
        const { ended = Number.NaN, sendStarted = Number.NaN, sendSettled = Number.NaN } = timings;
        const { signalled = Number.NaN, done = Number.NaN, deadlineMs = Number.NaN } = timings;
        resolvePromise({
          exitCode,
          signal,
          stdout: Buffer.concat(kept).toString('utf8'),
          stdoutBuffer: Buffer.concat(kept),
          stdoutBytes,
          stderr,
          addedMs: exitedAt - endedAt,
          afterSignalMs: exitedAt - signalledAt,
          timings,
          ownAddedMs: done - ended,
          ownWaitPastDeadlineMs: sendSettled - Math.max(ended + deadlineMs, sendStarted),
          ownAfterSignalMs: done - signalled,
        });
      });
    });
  });
}

/** The reporter's last timing line; empty when it wrote none. */
function readTimings(file: string): ExecResult['timings'] {
  if (!existsSync(file)) return {};
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  return JSON.parse(lines.at(-1) || '{}');
}
