/**
 * The dashboard's stylesheet and its optional script, served by the app itself: the cluster and the offices may
 * have no internet, so nothing comes from a CDN. Tables work without the script; it only makes times relative.
 */

export const STYLESHEET = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --head: #f6f8fa; --hover: #f3f6f9;
  --link: #0969da; --accent: #0969da; --code: #f6f8fa;
  --red: #cf222e; --red-bg: #ffebe9; --amber: #9a6700; --amber-bg: #fff8c5; --blue: #0969da; --blue-bg: #ddf4ff;
  --grey: #59636e; --grey-bg: #eff2f5; --green: #1a7f37; --green-bg: #dafbe1; --purple: #8250df; --purple-bg: #fbefff;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #30363d; --head: #151b23; --hover: #161b22;
    --link: #4493f8; --accent: #4493f8; --code: #151b23;
    --red: #ff7b72; --red-bg: #3c1618; --amber: #d29922; --amber-bg: #3a2a0b; --blue: #58a6ff; --blue-bg: #0c2d57;
    --grey: #9198a1; --grey-bg: #21262d; --green: #3fb950; --green-bg: #0f2e1a; --purple: #bc8cff; --purple-bg: #2b1b45;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
a { color: var(--link); text-decoration: none; }
a:hover { text-decoration: underline; }
header.top { display: flex; align-items: baseline; gap: 16px; padding: 12px 24px; border-bottom: 1px solid var(--line);
  background: var(--head); }
header.top h1 { font-size: 16px; margin: 0; }
header.top h1 a { color: var(--fg); }
header.top .sub { color: var(--muted); }
main { padding: 16px 24px 40px; max-width: 1600px; }
h2 { font-size: 20px; margin: 4px 0 8px; font-weight: 600; }
h3 { font-size: 15px; margin: 20px 0 6px; }
.muted { color: var(--muted); }
.mono, code, pre { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
nav.windows { display: inline-flex; border: 1px solid var(--line); border-radius: 6px; overflow: hidden; }
nav.windows a { padding: 4px 12px; color: var(--fg); border-right: 1px solid var(--line); }
nav.windows a:last-child { border-right: 0; }
nav.windows a[aria-current="page"] { background: var(--accent); color: #fff; }
form.filters { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; margin: 12px 0 14px; }
form.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 2px; }
input, select, button { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--line);
  border-radius: 6px; padding: 4px 8px; }
input[type="search"] { min-width: 260px; }
button { background: var(--head); cursor: pointer; font-weight: 600; }
button:hover { background: var(--hover); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; font-weight: 600; color: var(--muted); background: var(--head); position: sticky; top: 0; }
tbody tr:hover { background: var(--hover); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.count { font-size: 16px; font-weight: 600; }
td.cause { max-width: 560px; }
td.cause .summary { display: block; color: var(--fg); font-weight: 500; overflow-wrap: anywhere; }
td.cause .meta { color: var(--muted); font-size: 12px; }
td.when { white-space: nowrap; color: var(--muted); font-size: 12.5px; }
.badge { display: inline-block; padding: 0 7px; border-radius: 10px; font-size: 12px; font-weight: 600; line-height: 20px;
  white-space: nowrap; }
.badge.broken-trunk { color: var(--red); background: var(--red-bg); }
.badge.likely-flaky { color: var(--amber); background: var(--amber-bg); }
.badge.this-pr { color: var(--blue); background: var(--blue-bg); }
.badge.branches, .badge.category { color: var(--grey); background: var(--grey-bg); }
.badge.infra { color: var(--purple); background: var(--purple-bg); }
.badge.code { color: var(--green); background: var(--green-bg); }
.badge.rules { color: var(--amber); background: var(--amber-bg); }
.badge.unverified { color: var(--amber); background: var(--amber-bg); }
svg.spark { display: block; }
svg.spark polyline { fill: none; stroke: var(--accent); stroke-width: 1.5; stroke-linejoin: round; }
svg.chart { width: 100%; max-width: 720px; height: auto; display: block; }
svg.chart rect { fill: var(--accent); }
svg.chart .axis { stroke: var(--line); }
svg.chart text { fill: var(--muted); font-size: 11px; }
.pager { display: flex; gap: 16px; margin: 14px 0; }
.empty { padding: 32px; text-align: center; color: var(--muted); border: 1px dashed var(--line); border-radius: 8px; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; margin: 12px 0; }
.facts div { border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px; }
.facts b { display: block; font-size: 18px; }
.facts span { color: var(--muted); font-size: 12px; }
.panel { border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 12px 0; }
.panel h3:first-child { margin-top: 0; }
.prose { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }
pre.evidence { background: var(--code); border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px;
  overflow-x: auto; margin: 0; }
pre.evidence .ln { color: var(--muted); user-select: none; display: inline-block; min-width: 5ch; }
ul.inline { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 4px 12px; }
footer { color: var(--muted); font-size: 12px; margin-top: 20px; }
`;

/** Optional: shows times as "3 h ago" (the UTC time stays in the tooltip) and submits filters on change. */
export const SCRIPT = `
(() => {
  const units = [['d', 86400000], ['h', 3600000], ['min', 60000]];
  for (const el of document.querySelectorAll('time[datetime]')) {
    const ms = Date.now() - Date.parse(el.getAttribute('datetime'));
    if (!Number.isFinite(ms) || ms < 0) continue;
    const unit = units.find(([, size]) => ms >= size);
    el.title = el.textContent;
    el.textContent = unit ? Math.floor(ms / unit[1]) + ' ' + unit[0] + ' ago' : 'just now';
  }
  for (const select of document.querySelectorAll('form.filters select')) {
    select.addEventListener('change', () => select.form.submit());
  }
})();
`;
