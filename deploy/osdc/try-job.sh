#!/bin/sh
# Runs one job through OSDC's wrapper.js with deploy/osdc/wrapper.patch applied and the reporter bundle next to it,
# the way the Actions runner does: one wrapper process per hook call (prepare_job, a failing step, a later step,
# cleanup_job), the request JSON on stdin. The real hooks are replaced by a stand-in that runs the step's script
# here. Use it with the env printed by `npx osdc-rca local-env` (see docs/osdc-integration.md, "Try it locally").
#
#   sh deploy/osdc/try-job.sh [path/to/osdc/wrapper.js]    (default: ../shared/osdc/wrapper.js)
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
wrapper=${1:-$repo/../shared/osdc/wrapper.js}
: "${OSDC_RCA_QUEUE_URL:?set the env first: . .osdc-rca/local-env.sh (written by npx osdc-rca local-env)}"
[ -f "$repo/dist/osdc-rca-reporter.cjs" ] || (cd "$repo" && npm run -s build:reporter)

dir=$(mktemp -d)
export OSDC_RCA_STATE_DIR="$dir/state"
cp "$wrapper" "$dir/wrapper.js"
(cd "$dir" && git apply "$repo/deploy/osdc/wrapper.patch")
cp "$repo/dist/osdc-rca-reporter.cjs" "$dir/"
# The stand-in for the real hooks (/opt/runner-hooks/dist/index.js in the runner pod).
cat > "$dir/hooks.js" <<'HOOKS'
let input = '';
process.stdin.on('data', (chunk) => (input += chunk)).on('end', () => {
  const request = JSON.parse(input);
  if (request.command !== 'run_script_step') return console.log(`(stand-in hooks: ${request.command})`);
  const { entryPoint, entryPointArgs } = request.args;
  require('node:child_process')
    .spawn(entryPoint, entryPointArgs, { stdio: ['ignore', 'inherit', 'inherit'] })
    .on('close', (code) => process.exit(code ?? 1));
});
HOOKS
node -e '
  const fs = require("node:fs");
  const file = process.argv[1];
  const source = fs.readFileSync(file, "utf8");
  fs.writeFileSync(file, source.replace("/opt/runner-hooks/dist/index.js", process.argv[2]));
' "$dir/wrapper.js" "$dir/hooks.js"

# One hook call: the request JSON (the step's env carries the GitHub fields), then the wrapper's exit code.
hook() {
  echo "----- $1"
  node -e '
    const [command, script] = process.argv.slice(1);
    const names = ["GITHUB_REPOSITORY", "GITHUB_RUN_ID", "GITHUB_RUN_ATTEMPT", "GITHUB_JOB", "GITHUB_SHA"];
    const environmentVariables = Object.fromEntries(names.map((name) => [name, process.env[name] ?? ""]));
    const args = script ? { entryPoint: "sh", entryPointArgs: ["-c", script], environmentVariables } : {};
    console.log(JSON.stringify({ command, args, state: {} }));
  ' "$1" "${2:-}" | node "$dir/wrapper.js" && code=0 || code=$?
  echo "----- $1 exited $code"
}

hook prepare_job
hook run_script_step 'echo "FAILED test/test_nn.py::TestConv::test_conv2d - AssertionError: Tensor-likes are not close!"; exit 1'
hook run_script_step 'echo "uploading test reports"; sleep 3'
hook cleanup_job
rm -rf "$dir"
