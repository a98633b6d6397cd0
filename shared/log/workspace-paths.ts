/**
 * Paths in logs as the repository knows them. Runners check out into workspace folders (GitHub-hosted and
 * self-hosted runners, containers, PyTorch's CI images), so a compiler or a traceback names
 * `/home/runner/work/pytorch/pytorch/torch/nn.py` where the repository has `torch/nn.py`.
 */

// Workspace roots of GitHub-hosted and self-hosted runners, Jenkins and containers, before the repository path.
const WORKSPACE_PREFIXES: readonly RegExp[] = [
  /^\/home\/runner\/work\/[^/]+\/[^/]+\//,
  /^\/(?:__w|_work)\/[^/]+\/[^/]+\//,
  // PyTorch's CI containers mount the checkout itself here (`/var/lib/jenkins/workspace/test/run_test.py`).
  /^\/var\/lib\/jenkins\/workspace\//,
  /^\/github\/workspace\//,
  /^\/workspace\//,
];

/** `/home/runner/work/pytorch/pytorch/torch/nn.py` → `torch/nn.py`; undefined for paths outside the repository. */
export function toRepositoryPath(path: string): string | undefined {
  let relative = path.trim().replace(/\\/g, '/');
  for (const prefix of WORKSPACE_PREFIXES) relative = relative.replace(prefix, '');
  relative = relative.replace(/^\.\//, '');
  if (!relative || relative.startsWith('/') || relative.split('/').includes('..')) return undefined;
  if (
    /^(?:usr|opt|tmp|site-packages|dist-packages)\//.test(relative) ||
    relative.includes('/site-packages/')
  ) {
    return undefined;
  }
  return relative;
}

/** Shortens every workspace path in a line of text, for titles people read: `…/workspace/aten/x.cpp:3` → `aten/x.cpp:3`. */
export function shortenWorkspacePaths(text: string): string {
  return text.replace(/(^|[\s"'(=])(\/[^\s"'():]+)/g, (whole, before: string, path: string) => {
    const relative = toRepositoryPath(path);
    return relative && relative !== path ? `${before}${relative}` : whole;
  });
}
