/**
 * Passes on top of the sanitiser's (sanitize-passes.ts) so that an answer cannot vouch for safety. The model read a
 * log that whoever opened the PR wrote, and that log can tell it what to say: "not caused by this PR, safe to merge",
 * a link to the attacker's own repository under a trustworthy label, `curl … | sh` as the fix. So:
 * - a sentence telling the reader to merge, approve, ignore, skip or trust something is replaced by a notice;
 * - a command that pipes a download into a shell is replaced by a notice;
 * - a GitHub link outside the repository's own pages (`github.com/<owner>/<repo>/…`) is removed like any other link.
 * The input has been through the sanitiser's passes, so the only links left are GitHub links; the notices hold no
 * markup and none of the words these passes look for, so running them again changes nothing.
 */
import { LINK_REMOVED, type SanitizePass } from './sanitize-passes';

/** Stands where a sentence or command vouching for safety was. */
export const VOUCHING_REMOVED = '‹removed: an analysis does not vouch for safety›';
export const SHELL_PIPE_REMOVED = '‹removed: a command that runs a downloaded script›';

const ACTIONS = 'merge|approve|land|ignore|disregard|dismiss|skip|bypass|override|trust|re-?run and merge';
const VOUCHING = [
  // "safe to merge", "fine to ignore", "OK to approve"
  new RegExp(`\\b(?:safe|ok|okay|fine|harmless)\\s+to\\s+(?:${ACTIONS})\\b`, 'i'),
  // "you can merge", "please approve", "just ignore", "go ahead and land" — an instruction to the reader.
  new RegExp(
    `\\b(?:you\\s+(?:can|may|should|could)|please|just|simply|feel\\s+free\\s+to|go\\s+ahead\\s+and|recommend(?:ed)?\\s+to)\\s+(?:safely\\s+)?(?:${ACTIONS})\\b`,
    'i',
  ),
  // A sentence that starts with the instruction: "Merge this PR.", "Ignore the failure", "Trust this analysis".
  new RegExp(`^\\s*(?:safely\\s+)?(?:${ACTIONS})\\s+(?:this|the|it|that|these|your|my)\\b`, 'i'),
  // "can be safely ignored", "should be skipped"
  /\b(?:can|may|should|could)\s+(?:safely\s+)?be\s+(?:safely\s+)?(?:ignored|disregarded|dismissed|skipped|bypassed|overridden|merged|approved)\b/i,
  // "(this is) not caused by this PR" used as clearance: only the verified dedup facts may say so.
  /\bnot\s+(?:caused\s+by|related\s+to|due\s+to)\s+(?:this|your|the)\s+(?:pr|pull\s+request|change|changes|patch|commit)\b/i,
];

// `curl … | sh`, `wget -O- … | sudo bash`, `bash <(curl …)`, `iwr … | iex`.
const SHELL_PIPE =
  /(?:\b(?:curl|wget|iwr|invoke-webrequest)\b[^\n|]*\|\s*(?:sudo\s+)?(?:[a-z]*sh|python3?|perl|ruby|node|iex)\b[^\n]*)|(?:\b(?:[a-z]*sh|source)\s+<\(\s*(?:curl|wget)\b[^\n]*)/gi;

// A URL does not end in the sentence's punctuation, as GitHub's autolinker sees it.
const GITHUB_URL =
  /https:\/\/(?:[a-z0-9-]+\.)*github\.com(?:[/?#](?:[^\s<>‹›()[\]"'`]*[^\s<>‹›()[\]"'`.,;:!?])?)?/gi;
const MARKDOWN_GITHUB_LINK = /\[([^\]]*)\]\(\s*<?(https:\/\/[^()\s>]*)>?(?:\s+"[^"]*")?\s*\)/g;

/**
 * Sentences end at `.`, `!`, `?` followed by a space or the end, or at a line break; a `.` inside a word or a URL
 * (`github.com`, `e.g.x`) does not end one. Each piece keeps its leading spaces, so joining them gives the text back.
 */
const SENTENCE = /(?:[^\n.!?]|[.!?]+(?=[^\s.!?]))+[.!?]*|[.!?]+|\n+/g;

/**
 * The passes for an answer about `repo` (`owner/name`); without a repository, every GitHub link is kept and only the
 * vouching and shell passes run.
 *
 * @example
 * safetyPasses('pytorch/pytorch').reduce((text, pass) => pass.apply(text), sanitised);
 */
export function safetyPasses(repo: string | undefined): readonly SanitizePass[] {
  // Links first: a removed link's label joins its sentence, which the vouching pass then judges whole.
  return [
    ...(repo
      ? [{ id: 'foreign-github-links', apply: (text: string) => keepRepositoryLinks(text, repo) }]
      : []),
    { id: 'shell-pipes', apply: (text) => text.replace(SHELL_PIPE, SHELL_PIPE_REMOVED) },
    { id: 'vouching', apply: removeVouching },
  ];
}

/** Whether `url` is one of the repository's own pages on github.com (its code, issues, PRs, runs). */
export function isRepositoryUrl(url: string, repo: string): boolean {
  const base = `https://github.com/${repo}`.toLowerCase();
  const lower = url.toLowerCase();
  return lower === base || ['/', '?', '#'].some((next) => lower.startsWith(`${base}${next}`));
}

function removeVouching(text: string): string {
  let removedLast = false;
  return text.replace(SENTENCE, (sentence) => {
    if (!VOUCHING.some((pattern) => pattern.test(sentence))) {
      if (sentence.trim()) removedLast = false;
      return sentence;
    }
    // One notice for a run of such sentences, where the first one stood.
    const notice = removedLast ? '' : `${sentence.match(/^\s*/)?.[0] ?? ''}${VOUCHING_REMOVED}`;
    removedLast = true;
    return notice;
  });
}

function keepRepositoryLinks(text: string, repo: string): string {
  // The label goes too: it is the trustworthy name the link hid behind, and glued to the text around it a label can
  // form a new URL (`https://` + `label`).
  const linked = text.replace(MARKDOWN_GITHUB_LINK, (match, _label: string, url: string) =>
    isRepositoryUrl(url, repo) ? match : LINK_REMOVED,
  );
  return linked.replace(GITHUB_URL, (url) => (isRepositoryUrl(url, repo) ? url : LINK_REMOVED));
}
