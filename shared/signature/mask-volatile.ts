/**
 * Masking of volatile tokens before a failure signature is hashed, so that the same root cause seen in another
 * shard, on another runner, at another time or after an unrelated edit that moved line numbers gets the same
 * signature. The order matters: specific shapes (timestamps, UUIDs, paths) go before the catch-all number mask that
 * would otherwise cut them into pieces. Every pattern is linear (no nested quantifiers) because key lines come from
 * attacker-controlled logs.
 */

type Replacement = readonly [RegExp, string];

const REPLACEMENTS: readonly Replacement[] = [
  // ISO-8601 and `2019-08-02 14:35:02,123`-style timestamps, then bare clock times.
  [/\b\d{4}-\d{2}-\d{2}[T _]\d{2}[:_]\d{2}[:_]\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g, '<ts>'],
  // A quoted value's escaped line break (`"\n21:37:31.096 [warn] …"`) counts as the start of a word.
  [/(?:(?<=\\[nrt])|\b)\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, '<time>'],
  [/\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g, '<uuid>'],
  // Temporary files carry random names all the way down: the whole path goes.
  [/(?:\/private)?\/(?:tmp|var\/folders|var\/tmp)\/[^\s'"`:;,)\]]*/g, '<tmp>'],
  [/\b[A-Za-z]:\\(?:[Uu]sers\\[^\\\s]+\\AppData\\Local\\)?Temp\\[^\s'"`:;,)\]]*/g, '<tmp>'],
  // Workspace roots differ by runner, user and checkout; the repository-relative rest of the path is kept.
  [/\/home\/runner\/work\/[^/\s]+\/[^/\s]+/g, '<ws>'],
  [/\/__w\/[^/\s]+\/[^/\s]+/g, '<ws>'],
  [/\/(?:home|Users)\/travis\/build\/[^/\s]+\/[^/\s]+/g, '<ws>'],
  [/\/builds\/workspace\/[^/\s]+/g, '<ws>'],
  [/\/github\/workspace\b/g, '<ws>'],
  [/\/var\/lib\/[^\s'"`:;,)\]]*/g, '<var>'],
  [/\/(?:home|Users)\/[^/\s]+/g, '<home>'],
  [/\b[A-Za-z]:\\(?:[^\\\s'"`:;,)\]]+\\)*/g, '<win>\\'],
  // IPv4 with optional port, then `host:port` and `localhost:port`.
  [/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b/g, '<ip>'],
  [/\[[0-9a-fA-F:]*:[0-9a-fA-F:]+\](?::\d{1,5})?/g, '<ip>'],
  [/\b0x[0-9a-fA-F]+\b/g, '<hex>'],
  // Git SHAs, digests and other long hex: at least one digit, so words like `deadbeef` or `facade` survive.
  [/\b(?=[a-f]*\d)[0-9a-f]{7,64}\b/g, '<hex>'],
  [/\b(?=[A-F]*\d)[0-9A-F]{12,64}\b/g, '<hex>'],
  // Shards: `shard 2/5`, `shard_3`, `test_shard_3`, `(3/5)`, `1/1 failed`.
  [/(?<![a-z])(shard)[\s_-]*\d+(?:\s*(?:\/|of)\s*\d+)?/gi, '$1 <n>'],
  [/\b\d+\s*(?:\/|of)\s*\d+\b/g, '<n>/<n>'],
  // Durations before plain numbers, so `1.23s` and `1.5 sec` become one token.
  [/\b\d+(?:\.\d+)?\s?(?:ns|us|µs|ms|s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?)\b/g, '<dur>'],
  // Sizes and lengths glued to their unit (`17.98665pt too wide`, `4.72KB`): the unit stays, the amount goes.
  [/(?<![\w.])\d+(?:\.\d+)?(?=\s?(?:[kKMGT]i?B|B|bytes?|pt|px|r?em|%)(?!\w))/g, '<n>'],
  // Numbers that stand alone (line numbers, ports, counts, sizes); digits inside identifiers (`conv2d`) stay.
  [/(?:(?<=\\[nrt])|(?<![\w.]))[-+]?\d+(?:\.\d+)*(?![\w])/g, '<n>'],
];

/**
 * Replaces volatile tokens of a normalised line with placeholders and collapses whitespace.
 *
 * @example
 * maskVolatile('test_nn.py:123: AssertionError at 0x7f3a in 1.2s') // 'test_nn.py:<n>: AssertionError at <hex> in <dur>'
 */
export function maskVolatile(text: string): string {
  let masked = text;
  for (const [pattern, replacement] of REPLACEMENTS) masked = masked.replace(pattern, replacement);
  return masked.replace(/\s+/g, ' ').trim();
}
