/**
 * The layout tells the architecture, and these tests keep it telling the truth: shared/ is pure and layered in the
 * order of its README, no source file imports itself in a circle, and no source file outgrows 300 lines.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const SHARED_LAYERS = ['text', 'redaction', 'log', 'contract', 'signature', 'context', 'render'] as const;
const MAY_IMPORT: Record<(typeof SHARED_LAYERS)[number], readonly string[]> = {
  text: [],
  redaction: ['text'],
  log: ['text', 'redaction'],
  contract: ['text', 'log'],
  signature: ['text', 'log', 'contract'],
  context: ['text', 'log', 'contract', 'signature'],
  render: ['text', 'log', 'contract', 'context', 'signature'],
};
/** Packages and Node modules that do I/O or talk to a service: never in shared/. */
const IMPURE =
  /^(?:@aws-sdk\/|@octokit\/|@aws-lambda-powertools\/|hono|node:(?:fs|net|http|https|http2|child_process|dgram|dns|tls|worker_threads|os))/;

function sourceFiles(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(repoRoot, folder))) {
    const relative = path.join(folder, entry);
    if (statSync(path.join(repoRoot, relative)).isDirectory()) files.push(...sourceFiles(relative));
    else if (/\.(?:ts|mjs)$/.test(entry)) files.push(relative);
  }
  return files;
}

function importsOf(file: string): string[] {
  const text = readFileSync(path.join(repoRoot, file), 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/g)].map(
    (match) => match[1] ?? match[2] ?? '',
  );
}

/** The file's code without its comments (TSDoc examples may mention what the code must not do). */
function withoutComments(file: string): string {
  return readFileSync(path.join(repoRoot, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
}

/** The repository-relative source file a relative specifier names, if it is one of ours. */
function resolve(from: string, specifier: string, known: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.normalize(path.join(path.dirname(from), specifier));
  return [base, `${base}.ts`, path.join(base, 'index.ts'), base.replace(/\.js$/, '.ts')].find((c) =>
    known.has(c),
  );
}

const sources = [...sourceFiles('shared'), ...sourceFiles('services'), ...sourceFiles('infra')];
const known = new Set(sources);

describe('Layout: shared/', () => {
  it('keeps at most four files at its root and its code in concern folders', () => {
    const root = readdirSync(path.join(repoRoot, 'shared')).filter((entry) =>
      statSync(path.join(repoRoot, 'shared', entry)).isFile(),
    );
    expect(root.length).toBeLessThanOrEqual(4);
    expect(
      sourceFiles('shared').every((file) =>
        SHARED_LAYERS.some((layer) => file.startsWith(`shared/${layer}/`)),
      ),
    ).toBe(true);
  });

  it.each(SHARED_LAYERS)('lets %s/ import only the folders above it', (layer) => {
    const offending = sourceFiles(`shared/${layer}`).flatMap((file) =>
      importsOf(file).flatMap((specifier) => {
        const target = resolve(file, specifier, known);
        if (!target) return [];
        const targetLayer = target.split(path.sep)[1] ?? '';
        const allowed =
          target.startsWith('shared/') && (targetLayer === layer || MAY_IMPORT[layer].includes(targetLayer));
        return allowed ? [] : [`${file} imports ${target}`];
      }),
    );
    expect(offending).toEqual([]);
  });

  it('imports no SDK, no service client and no I/O module, and reads no environment', () => {
    const offending = sourceFiles('shared').flatMap((file) => [
      ...importsOf(file)
        .filter((specifier) => IMPURE.test(specifier))
        .map((specifier) => `${file} imports ${specifier}`),
      ...(/\bprocess\.env\b/.test(withoutComments(file)) ? [`${file} reads process.env`] : []),
    ]);
    expect(offending).toEqual([]);
  });
});

describe('Layout: every source file', () => {
  it('stays within 300 lines (generated WebAssembly aside)', () => {
    const long = sources
      .filter((file) => !file.endsWith('-wasm.ts'))
      .map((file) => ({
        file,
        lines: readFileSync(path.join(repoRoot, file), 'utf8').split('\n').length - 1,
      }))
      .filter(({ lines }) => lines > 300)
      .map(({ file, lines }) => `${file}: ${lines} lines`);
    expect(long).toEqual([]);
  });

  it('takes part in no import circle', () => {
    const edges = new Map(
      sources.map((file) => [
        file,
        importsOf(file).flatMap((specifier) => resolve(file, specifier, known) ?? []),
      ]),
    );
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, trail: string[]) => {
      state.set(file, 'open');
      for (const next of edges.get(file) ?? []) {
        if (state.get(next) === 'open') circles.push([...trail.slice(trail.indexOf(next)), next].join(' → '));
        else if (!state.has(next)) visit(next, [...trail, next]);
      }
      state.set(file, 'done');
    };
    for (const file of sources) if (!state.has(file)) visit(file, [file]);
    expect(circles).toEqual([]);
  });
});
