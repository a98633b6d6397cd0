/**
 * Writes `schemas.json`: the request-body and response schemas of the GitHub operations the stand-in serves, taken
 * from `@octokit/openapi`'s api.github.com description. The stand-in loads this small fixture instead of parsing the
 * 13 MB spec in every test run. Re-run after upgrading `@octokit/openapi`:
 *
 *   npx tsx services/local/standins/github/openapi/extract-schemas.ts
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { GITHUB_OPERATIONS } from './operations';
import { selectOperations } from './select-operations';

const SPEC_FILE = 'generated/api.github.com.json';

async function main(): Promise<void> {
  const require = createRequire(import.meta.url);
  const packageJsonPath = require.resolve('@octokit/openapi/package.json');
  const { version } = JSON.parse(await readFile(packageJsonPath, 'utf8')) as { version: string };
  const spec = JSON.parse(await readFile(new URL(SPEC_FILE, `file://${packageJsonPath}`), 'utf8'));
  const fixture = selectOperations(spec, GITHUB_OPERATIONS, {
    package: '@octokit/openapi',
    version,
    file: SPEC_FILE,
  });
  const target = new URL('schemas.json', import.meta.url);
  await writeFile(target, `${JSON.stringify(fixture, null, 1)}\n`);
  const schemas = Object.keys(fixture.components.schemas).length;
  console.log(
    `wrote ${target.pathname}: ${GITHUB_OPERATIONS.length} operations, ${schemas} component schemas`,
  );
}

await main();
