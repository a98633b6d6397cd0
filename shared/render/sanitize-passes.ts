/**
 * The passes that make model-written text inert, in the order they run. Each pass is a small pure function that
 * removes one kind of live markup. Two rules keep the whole list complete in ONE pass and idempotent:
 * - a pass never writes markup characters a later pass would have to undo (`[`, `]`, `(`, `<`, `@`, `!`, `&`):
 *   removed links become `‹link removed›`, tags `‹…›`, mentions `@ name`;
 * - a later pass never re-creates what an earlier pass removed (the last passes only break syntax, they add none).
 * To add a pass (e.g. removing text that vouches for safety), write one function here and insert it in the list
 * where its input is already free of the markup it must not see.
 */

export interface SanitizePass {
  /** Short id, for tests and for reading the list. */
  readonly id: string;
  readonly apply: (text: string) => string;
}

/** Replaces a non-GitHub link. No bracket, parenthesis or angle bracket, so it can never form new link syntax. */
export const LINK_REMOVED = '‹link removed›';

// C0/C1 controls except tab and newline, and the bidi/zero-width characters used to disguise text.
export const INVISIBLE =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
// A character reference (`&#64;`, `&#x40;`, `&commat;`) renders as the character: `&#64;alice` would mention alice.
const CHARACTER_REFERENCE = /&(?=#[0-9]|#x[0-9a-f]|[a-z][a-z0-9]*;)/gi;
const TAG = /<(?=[a-zA-Z/!?])([^<>]*)>?/g;
// Any run of `!` before `[`: removing one `!` of `!![x](u)` would leave an image.
const IMAGE_BANG = /!+(?=\[)/g;
const MARKDOWN_LINK = /\[([^\]]*)\]\(\s*<?([^()\s>]*)>?(?:\s+"[^"]*")?\s*\)/g;
// GitHub autolinks `www.` after `_` too, so no `\b` before it.
const BARE_URL = /(?<![a-z0-9])(?:[a-z][a-z0-9+.-]*:\/\/|www\.)[^\s<>‹›()[\]"'`]+/gi;
const DANGEROUS_SCHEME = /(?<![a-z0-9])(?:javascript|data|vbscript|file):/gi;
// `](` left after the link pass is either a kept GitHub link or syntax that must not become one
// (`[x](u(v))`, a label made of removed links).
const LINK_SYNTAX = new RegExp(`${MARKDOWN_LINK.source}|\\]\\(`, 'g');
// `[ref]: url` at a line start defines a link for `[x][ref]` anywhere; a protocol-relative url is no bare URL.
const LINK_DEFINITION = /^( {0,3}\[[^\]\n]*\]):/gm;
// Every `@name` not inside a word (an e-mail address stays), whatever surrounds it: an unclosed backtick makes no
// code span, so "after a backtick" is no reason to keep a mention.
const MENTION = /(?<!\w)@+(?=[A-Za-z0-9])|@{2,}(?=[A-Za-z0-9])/g;
const FENCE = /`{3,}|~{3,}/g;

export const SANITIZE_PASSES: readonly SanitizePass[] = [
  { id: 'invisible', apply: (text) => text.replace(INVISIBLE, '') },
  { id: 'newlines', apply: (text) => text.replace(/\r\n?/g, '\n') },
  // Before the URL passes: they must see the characters that end a URL as the renderer will.
  { id: 'fences', apply: (text) => text.replace(FENCE, (run) => "'".repeat(run.length)) },
  { id: 'character-references', apply: (text) => text.replace(CHARACTER_REFERENCE, '＆') },
  { id: 'images', apply: (text) => text.replace(IMAGE_BANG, '') },
  {
    id: 'markdown-links',
    apply: (text) =>
      text.replace(MARKDOWN_LINK, (match, label: string, url: string) => (isGitHubUrl(url) ? match : label)),
  },
  // After the passes that delete text (`[<](x)a` leaves `<a`).
  // Angle quotes keep `vector<int>` readable while no renderer can take it for a tag or an autolink.
  { id: 'html', apply: (text) => text.replace(TAG, (_match, inner: string) => `‹${inner}›`) },
  { id: 'dangerous-schemes', apply: (text) => text.replace(DANGEROUS_SCHEME, (s) => `${s.slice(0, -1)} :`) },
  // After every pass that deletes text (which could glue `@` to a name), before the URL pass (a URL may end in `@`).
  { id: 'mentions', apply: (text) => text.replace(MENTION, '@ ') },
  {
    id: 'bare-urls',
    apply: (text) => text.replace(BARE_URL, (url: string) => (isGitHubUrl(url) ? url : LINK_REMOVED)),
  },
  {
    id: 'link-syntax',
    apply: (text) =>
      text.replace(LINK_SYNTAX, (match, _label?: string, url?: string) =>
        url !== undefined && isGitHubUrl(url) ? match : match.replace('](', '] ('),
      ),
  },
  { id: 'link-definitions', apply: (text) => text.replace(LINK_DEFINITION, '$1 :') },
];

/** Only https links to github.com or its subdomains survive; anything else could lead anywhere. */
export function isGitHubUrl(url: string): boolean {
  // As written, not only as parsed: the parser forgives `https:///github.com`, a renderer may not.
  if (!/^https:\/\/(?:[a-z0-9-]+\.)*github\.com(?:[/?#]|$)/i.test(url)) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const host = parsed.hostname.toLowerCase();
  return (
    parsed.protocol === 'https:' &&
    parsed.username === '' &&
    parsed.password === '' &&
    /^(?:[a-z0-9-]+\.)*github\.com$/.test(host)
  );
}
