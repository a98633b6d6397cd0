/**
 * Bundles the reporter into one self-contained CommonJS file for the runner's Node (20 or later) with no
 * node_modules: `dist/osdc-rca-reporter.cjs`, shipped in a ConfigMap (≤ 1 MiB). `npm run build:reporter`.
 */
import { statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outfile = join(root, 'dist', 'osdc-rca-reporter.cjs');
const MAX_BYTES = 1024 * 1024;

const result = await build({
  entryPoints: [join(root, 'services', 'reporter', 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  // The SDK's ES modules tree-shake; its CommonJS builds would pull in every command of every client.
  mainFields: ['module', 'main'],
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  // The SDK warns about Node 20 on every load, straight into the job log. Decided at build time, so the reporter
  // never has to change the env it passes on to the hook.
  define: {
    'process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED': '"true"',
    'process.env.AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING': '"1"',
  },
  banner: { js: '/* osdc-rca reporter, bundled from services/reporter by services/reporter/build.mjs */' },
}).catch(() => {
  // esbuild has printed the errors already.
  process.exit(1);
});

const bytes = statSync(outfile).size;
const bundled = Object.keys(result.metafile.inputs);
const schemaLibrary = bundled.filter((input) => input.includes('node_modules/zod/'));
console.log(`${relative(root, outfile)}: ${(bytes / 1024).toFixed(1)} KiB, ${bundled.length} modules`);
if (bytes > MAX_BYTES) {
  console.error(`the reporter bundle is ${bytes} bytes; a ConfigMap holds at most ${MAX_BYTES}`);
  process.exit(1);
}
if (schemaLibrary.length > 0) {
  console.error(
    `zod was bundled (through ${schemaLibrary[0]}); import shared contracts with \`import type\` only`,
  );
  process.exit(1);
}
