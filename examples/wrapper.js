#!/usr/bin/env node
/**
 * A minimal OSDC-style container-hooks wrapper with the osdc-rca reporter adopted the way deploy/osdc/wrapper.patch
 * adopts it in OSDC's real wrapper.js: load the bundle if it is there, let its spawnReal() spawn the real hooks in
 * place of the wrapper's own (same `{ code, signal }` result), and call its finish() right before exiting, so the
 * reporter's lines come under the wrapper's own. Without the bundle (or with OSDC_RCA_DISABLED=1, or without
 * OSDC_RCA_QUEUE_URL) the job behaves exactly as before. Tests and `npm run bench:reporter` run it; the real
 * adoption is the patch (test/osdc/real-wrapper.test.ts applies it to OSDC's own file).
 */
// biome-ignore lint/suspicious/noRedundantUseStrict: CommonJS at run time (the ConfigMap has no package.json).
'use strict';

const { spawn } = require('node:child_process');

const REAL_HOOKS = process.env.OSDC_REAL_HOOKS || '/opt/runner-hooks/dist/index.js';
const STEP_COMMANDS = new Set(['run_script_step', 'run_container_step']);

// --- osdc-rca: begin -----------------------------------------------------------------------------------------------
let rca = null;
try {
  rca = require('./osdc-rca-reporter.cjs');
} catch {
  rca = null; // fail-open: no bundle, no analysis, same job
}
// --- osdc-rca: end -------------------------------------------------------------------------------------------------

/** The wrapper's own spawn of the real hooks; resolves `{ code, signal }`. */
function spawnReal(stdinData) {
  // --- osdc-rca ---
  if (rca) return rca.spawnReal(REAL_HOOKS, stdinData);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [REAL_HOOKS], { stdio: ['pipe', 'inherit', 'inherit'] });
    const forward = (signal) => child.kill(signal);
    process.on('SIGTERM', forward).on('SIGINT', forward);
    child.stdin.on('error', () => {});
    child.stdin.end(stdinData);
    child.once('error', () => resolve({ code: 1, signal: null }));
    child.once('close', (code, signal) =>
      resolve(signal ? { code: null, signal } : { code: code ?? 1, signal: null }),
    );
  });
}

async function readStdin() {
  let data = '';
  for await (const chunk of process.stdin) data += chunk;
  return data;
}

async function main(stdinData) {
  let command;
  try {
    command = JSON.parse(stdinData).command;
  } catch {
    command = undefined;
  }
  const { code, signal } = await spawnReal(stdinData);
  if (signal === 'SIGINT' || code === 130) return 130;
  if (signal === 'SIGTERM' || code === 143) return 143;
  if (signal) return 128;
  if (STEP_COMMANDS.has(command) && code !== 0) {
    console.log(
      `::error::[OSDC] Step script exited with code ${code}. This is a script/workflow error, not an infrastructure issue.`,
    );
  }
  return code;
}

readStdin().then(async (stdinData) => {
  const code = await main(stdinData);
  // --- osdc-rca: the reporter's lines under the wrapper's own, within its deadline ---
  if (rca) await rca.finish();
  process.exit(code);
});
