import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitizeText } from '../../shared/render/sanitize-analysis';

/**
 * Pieces of markdown, HTML and links that hostile text combines; random sequences of them make a fuzz corpus that
 * hits the interactions (unclosed backticks, nested brackets, links glued to removed links) a hand list misses.
 */
const PIECES = [
  '`',
  '``',
  '```',
  '~~~',
  '@',
  '@alice',
  '@pytorch/admins',
  'dev@example.org',
  '[',
  ']',
  '(',
  ')',
  '](',
  '!',
  '![',
  '<',
  '>',
  '<img src=x>',
  '</code>',
  '<https://evil.example>',
  'www.',
  'www.a.b',
  'evil.example',
  '//evil.example/p',
  'https://',
  'http://',
  'https://evil.example/x',
  'https://github.com/pytorch/pytorch',
  'github.com',
  '.github.com',
  'javascript:',
  'data:',
  '&#64;',
  '&#x40;',
  '&commat;',
  '&amp;',
  ':',
  '/',
  '_',
  '*',
  ' ',
  '\n',
  '\r',
  '\u200b',
  '\u202e',
  'text',
  '   [ref]: ',
];

const hostileText = fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((pieces) => pieces.join(''));
// Fixed seed and run count: the same corpus in every run, so CI is deterministic (30,000 runs × 9 seeds passed).
const FUZZ = { seed: 16, numRuns: 3000 } as const;

// A GitHub URL as the sanitiser keeps it: https, github.com or a subdomain, up to a character that ends URLs.
const GITHUB_URL = /https:\/\/(?:[\w-]+\.)*github\.com(?![\w.@-])[^\s<>()[\]"'`‹›]*/gi;

/** Every live construct a markdown or HTML renderer (GitHub's included) would act on, named. */
function liveConstructs(text: string): string[] {
  const found: string[] = [];
  if (/<[a-zA-Z/!?]/.test(text)) found.push('html');
  if (/!\[/.test(text)) found.push('image');
  if (/(^|[^\w])@[A-Za-z0-9]/.test(text)) found.push('mention');
  if (/&(?:#|[a-z][a-z0-9]*;)/i.test(text)) found.push('character reference');
  if (/\]\(\s*<?(?!https:\/\/(?:[\w-]+\.)*github\.com(?![\w.@-]))/i.test(text)) found.push('link');
  if (/^ {0,3}\[[^\]\n]*\]:/m.test(text)) found.push('link definition');
  const withoutGitHub = text.replace(GITHUB_URL, '');
  if (/(?<![a-z0-9])(?:www\.|[a-z][a-z0-9+.-]*:\/\/)[^\s<>()[\]"'`‹›]/i.test(withoutGitHub))
    found.push('url');
  if (/(?<![a-z0-9])(?:javascript|data|vbscript):/i.test(text)) found.push('script url');
  if (/`{3,}|~{3,}/.test(text)) found.push('fence');
  return found;
}

describe('Function: sanitizeText (fuzz)', () => {
  it('changes nothing on a second pass', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const once = sanitizeText(text);
        expect(sanitizeText(once)).toBe(once);
      }),
      FUZZ,
    );
  });

  it('leaves no live link, image, mention, HTML or fence after one pass, whatever the backticks', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        expect(liveConstructs(sanitizeText(text))).toEqual([]);
      }),
      FUZZ,
    );
  });

  it('neutralises a mention after an unclosed backtick', () => {
    // Act
    const safe = sanitizeText('see `@pytorch/admins for access');

    // Assess
    expect(liveConstructs(safe)).toEqual([]);
    expect(safe).toContain('pytorch/admins');
  });

  it('does not turn a removed link and a parenthesis into a protocol-relative link', () => {
    // Act
    const safe = sanitizeText('www.a.b(//evil.example/p)');

    // Assess
    expect(liveConstructs(safe)).toEqual([]);
    expect(safe).not.toMatch(/\]\(/);
  });

  it('keeps a GitHub link working', () => {
    expect(sanitizeText('see [the run](https://github.com/pytorch/pytorch/actions/runs/1)')).toBe(
      'see [the run](https://github.com/pytorch/pytorch/actions/runs/1)',
    );
  });
});
