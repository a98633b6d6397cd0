/**
 * One hook call through the reporter bundle's wrapper API, in a process of its own as in a runner pod (every hook
 * call is a new wrapper process there). The hook is a shell command; it records when it ended, so the caller can
 * tell the time the reporter added after it. Only `[OSDC]` lines and the analysis group are kept of the output.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface HookProcessCall {
  readonly bundle: string;
  /** The runner's hook command: `prepare_job`, `run_script_step`, `cleanup_job`. */
  readonly request: string;
  /** What the hook runs, and the exit code it ends with (its own otherwise). */
  readonly hook: { readonly command: string; readonly args: readonly string[]; readonly exitCode?: number };
  /** The runner container's env, where the reporter reads its configuration. */
  readonly runnerEnv: Readonly<Record<string, string | undefined>>;
  /** The step's env, as the runner sends it in the request. */
  readonly stepEnv: Readonly<Record<string, string>>;
}

export interface HookProcessResult {
  readonly exitCode: number | null;
  readonly lines: string[];
  /** Epoch ms the hook's command ended, and when the wrapper process did. */
  readonly hookEndedAt: number;
  readonly exitedAt: number;
}

export async function runHookProcess(call: HookProcessCall): Promise<HookProcessResult> {
  const folder = mkdtempSync(path.join(tmpdir(), 'osdc-rca-hook-'));
  const endFile = path.join(folder, 'ended');
  const script = `"$0" "$@"; code=$?; date +%s%3N > ${JSON.stringify(endFile)}; exit ${call.hook.exitCode ?? '$code'}`;
  const request = { command: call.request, args: { environmentVariables: call.stepEnv } };
  const driver = `
    require(${JSON.stringify(path.resolve(call.bundle))})
      .runHook({ command: 'sh', args: process.argv.slice(1), request: ${JSON.stringify(request)} })
      .then(async (run) => {
        // The reporter's own lines come after the hook's output, as OSDC's wrapper prints them.
        process.stdout.write(await run.followUp, () => process.exit(run.exitCode ?? 1));
      });`;
  const child = spawn(
    process.execPath,
    ['-e', driver, '--', '-c', script, call.hook.command, ...call.hook.args],
    {
      env: { PATH: process.env.PATH, ...call.runnerEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const kept: string[] = [];
  let inGroup = false;
  const keep = (text: string) => {
    for (const line of text.split('\n')) {
      if (line.startsWith('::group::[OSDC]')) inGroup = true;
      if ((inGroup || line.startsWith('[OSDC]')) && line.length > 0) kept.push(line);
      if (line.startsWith('::endgroup::')) inGroup = false;
    }
  };
  const collect = (stream: NodeJS.ReadableStream) => {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const text = rest + chunk;
      const cut = text.lastIndexOf('\n');
      rest = cut >= 0 ? text.slice(cut + 1) : text;
      // Long replayed logs: only look at whole lines, and never hold more than one partial line.
      if (cut >= 0) keep(text.slice(0, cut));
      if (rest.length > 1 << 20) rest = '';
    });
    stream.on('end', () => keep(rest));
  };
  collect(child.stdout);
  collect(child.stderr);
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const exitedAt = Date.now();
  // No file: the hook never ended on its own (a signal), so there is no time to measure from.
  const hookEndedAt = existsSync(endFile) ? Number(readFileSync(endFile, 'utf8')) : Number.NaN;
  rmSync(folder, { recursive: true, force: true });
  return { exitCode, lines: kept, hookEndedAt, exitedAt };
}
