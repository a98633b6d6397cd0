#!/usr/bin/env node
/**
 * An OSDC-style container-hooks wrapper with the osdc-rca reporter adopted. The runner runs it as
 * ACTIONS_RUNNER_CONTAINER_HOOKS=/home/runner/hook-extensions/wrapper.js with its bundled Node and no node_modules;
 * osdc-rca-reporter.cjs sits next to it in the same ConfigMap.
 *
 * Adopting the reporter is the block marked "osdc-rca": load the bundle if it is there, and let its runHook() spawn
 * the real hooks in place of the wrapper's own spawn. Everything else is the wrapper as it was. Without the bundle
 * (or with OSDC_RCA_DISABLED=1, or without OSDC_RCA_QUEUE_URL) the job behaves exactly as before.
 */
// biome-ignore lint/suspicious/noRedundantUseStrict: CommonJS at run time (the ConfigMap has no package.json).
'use strict';

const { spawn } = require('node:child_process');
const path = require('node:path');

const REAL_HOOKS = process.env.OSDC_REAL_HOOKS || '/home/runner/k8s/index.js';
const STEP_COMMANDS = new Set(['run_script_step', 'run_container_step']);
const CANCELLED = new Set([130, 143]);

// --- osdc-rca: begin -----------------------------------------------------------------------------------------------
function loadReporter() {
  try {
    return require(path.join(__dirname, 'osdc-rca-reporter.cjs'));
  } catch {
    return undefined; // fail-open: no bundle, no analysis, same job
  }
}
// --- osdc-rca: end -------------------------------------------------------------------------------------------------

/** The wrapper's own spawn, used when the reporter is absent. */
function spawnHooks(request) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [REAL_HOOKS], { stdio: ['pipe', 'inherit', 'inherit'] });
    const forward = (signal) => child.kill(signal);
    process.on('SIGTERM', forward).on('SIGINT', forward);
    child.stdin.on('error', () => {});
    child.stdin.end(request);
    child.once('error', () => resolve({ exitCode: 1, signal: null }));
    child.once('exit', (exitCode, signal) => resolve({ exitCode, signal }));
  });
}

function readStdin() {
  return new Promise((resolve) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk) => {
      text += chunk;
    });
    process.stdin.on('end', () => resolve(text));
  });
}

async function main() {
  const request = await readStdin();
  let command;
  try {
    command = JSON.parse(request).command;
  } catch {
    command = undefined;
  }

  // --- osdc-rca: begin ---------------------------------------------------------------------------------------------
  const reporter = loadReporter();
  const { exitCode, signal } = reporter
    ? await reporter.runHook({ command: process.execPath, args: [REAL_HOOKS], request })
    : await spawnHooks(request);
  // --- osdc-rca: end -----------------------------------------------------------------------------------------------

  if (STEP_COMMANDS.has(command) && exitCode !== 0 && !CANCELLED.has(exitCode) && !signal) {
    console.log(
      `::error::[OSDC] Step script exited with code ${exitCode}. This is a script/workflow error, not an infrastructure issue.`,
    );
  }
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  // Exit now: a report that timed out may leave sockets behind, and the job must not wait for them.
  process.exit(exitCode ?? 1);
}

main();
