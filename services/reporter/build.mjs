/**
 * Bundles the reporter into one self-contained CommonJS file for the runner's Node (20 or later) with no
 * node_modules: `dist/osdc-rca-reporter.cjs`, shipped in a ConfigMap (≤ 1 MiB). `npm run build:reporter`.
 *
 * Two stages. The AWS part (aws-actions.ts: the SDK clients and what uses them) is bundled first and embedded in
 * the main bundle compressed (brotli, base64), then decompressed and compiled with `vm` the first time a step fails
 * or has an analysis to fetch. Every hook call loads the main bundle; this keeps the SDK's compile time (tens of ms)
 * off the steps that pass, and the ConfigMap small.
 */
import { statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const reporterDir = join(root, 'services', 'reporter');
const outfile = join(root, 'dist', 'osdc-rca-reporter.cjs');
const MAX_BYTES = 1024 * 1024;

/** @type {import('esbuild').BuildOptions} */
const common = {
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
  },
};

const fail = (message) => {
  if (message) console.error(message);
  process.exit(1);
};

// esbuild prints its own errors; exit quietly on them.
const aws = await build({
  ...common,
  entryPoints: [join(reporterDir, 'aws-actions.ts')],
  write: false,
}).catch(() => fail());
// Code compiled by `vm` has no loader for `import()`, and the SDK imports a few built-ins lazily that way.
const awsCode = aws.outputFiles[0].text.replace(
  /\bimport\((["'])(node:[\w/]+)\1\)/g,
  (_match, _quote, name) => `Promise.resolve().then(()=>require("${name}"))`,
);
const leftover = awsCode.match(/[^\w.$]import\([^)]{0,60}\)/);
if (leftover) fail(`the AWS part still has a dynamic import, which vm cannot run: ${leftover[0]}`);
const awsPacked = brotliCompressSync(Buffer.from(awsCode), {
  params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY },
}).toString('base64');

/** Replaces load-aws-actions.ts with a loader that compiles the embedded AWS part on first use. */
const embedAwsActions = {
  name: 'embed-aws-actions',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]services[\\/]reporter[\\/]load-aws-actions\.ts$/ }, () => ({
      loader: 'js',
      contents: `
        const packed = ${JSON.stringify(awsPacked)};
        let loaded;
        export function loadAwsActions() {
          if (!loaded) {
            const code = require('node:zlib').brotliDecompressSync(Buffer.from(packed, 'base64')).toString('utf8');
            const module = { exports: {} };
            const wrapped = require('node:vm').runInThisContext(
              '(function (exports, require, module) {' + code + '\\n})',
              { filename: 'osdc-rca-reporter-aws.cjs' },
            );
            wrapped(module.exports, require, module);
            loaded = module.exports;
          }
          return Promise.resolve(loaded);
        }`,
    }));
  },
};

const main = await build({
  ...common,
  entryPoints: [join(reporterDir, 'main.ts')],
  outfile,
  plugins: [embedAwsActions],
  banner: { js: '/* osdc-rca reporter, bundled from services/reporter by services/reporter/build.mjs */' },
}).catch(() => fail());

const bytes = statSync(outfile).size;
console.log(
  `${relative(root, outfile)}: ${(bytes / 1024).toFixed(1)} KiB (AWS part ${(awsCode.length / 1024).toFixed(1)} KiB, embedded as ${(awsPacked.length / 1024).toFixed(1)} KiB)`,
);
if (bytes > MAX_BYTES) fail(`the reporter bundle is ${bytes} bytes; a ConfigMap holds at most ${MAX_BYTES}`);

for (const result of [aws, main]) {
  const inputs = Object.keys(result.metafile.inputs);
  const schemaLibrary = inputs.find((input) => input.includes('node_modules/zod/'));
  if (schemaLibrary)
    fail(`zod was bundled (through ${schemaLibrary}); import shared contracts with \`import type\` only`);
  // The runner's Node has no node_modules: anything left external would fail on the first require.
  const externals = Object.values(result.metafile.outputs)
    .flatMap((output) => output.imports)
    .filter(
      (entry) => entry.external && !entry.path.startsWith('node:') && !builtinModules.includes(entry.path),
    );
  if (externals.length > 0) {
    fail(
      `the reporter bundle requires packages it does not contain: ${externals.map((e) => e.path).join(', ')}`,
    );
  }
}
const sdkInMain = Object.keys(main.metafile.inputs).find((input) => input.includes('node_modules/@aws-sdk/'));
if (sdkInMain)
  fail(
    `the AWS SDK leaked into the always-loaded part (through ${sdkInMain}); reach it via loadAwsActions()`,
  );
