/** Small formatting and link helpers shared by the views. Links are built only to github.com. */

const REPO = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/** `2026-11-25T10:11:12.000Z` → `2026-11-25 10:11 UTC`. */
export function formatTime(iso: string): string {
  return iso.length >= 16 ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso;
}

export function repoUrl(repo: string): string | undefined {
  return REPO.test(repo) ? `https://github.com/${repo}` : undefined;
}

export function pullUrl(repo: string, prNumber: number): string | undefined {
  const base = repoUrl(repo);
  return base && Number.isInteger(prNumber) && prNumber > 0 ? `${base}/pull/${prNumber}` : undefined;
}

/** `owner/name#N` → its PR link. */
export function prRefUrl(prRef: string): string | undefined {
  const hash = prRef.lastIndexOf('#');
  return hash > 0 ? pullUrl(prRef.slice(0, hash), Number(prRef.slice(hash + 1))) : undefined;
}

export function runUrl(repo: string, runId: number, runAttempt: number): string | undefined {
  const base = repoUrl(repo);
  return base && runId > 0 ? `${base}/actions/runs/${runId}/attempts/${Math.max(1, runAttempt)}` : undefined;
}

export function commitUrl(repo: string, sha: string): string | undefined {
  const base = repoUrl(repo);
  return base && /^[0-9a-f]{7,40}$/.test(sha) ? `${base}/commit/${sha}` : undefined;
}

/** A stored job link, kept only when it points at github.com over https. */
export function safeGithubUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.hostname === 'github.com' ? parsed.toString() : undefined;
  } catch {
    return undefined;
  }
}
