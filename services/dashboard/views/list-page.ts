/** The "Repeated failures" page: one row per signature, ranked by occurrences in the window. */
import { html } from 'hono/html';
import { CATEGORIES } from '../../../shared/contract/analysis';
import type { RankWindow } from '../../../shared/contract/tables';
import type { ListSignaturesQuery, SignaturePage, SignatureRow } from '../list-signatures';
import { WHERE_SEEN_LABELS } from '../signature-summary';
import { formatTime, repoUrl } from './format';
import { layout } from './layout';
import { sparkline } from './sparkline';

const WINDOWS: readonly RankWindow[] = ['24h', '7d', '30d'];
const WINDOW_NAMES: Readonly<Record<RankWindow, string>> = {
  '24h': '24 hours',
  '7d': '7 days',
  '30d': '30 days',
};
const BRANCH_KINDS = [
  ['main', 'main'],
  ['pr', 'pull requests'],
  ['branch', 'other branches'],
] as const;

/** The list URL for a query, keeping its filters; `undefined` values are dropped. */
export function listHref(query: Partial<ListSignaturesQuery>): string {
  const params = new URLSearchParams();
  if (query.window && query.window !== '7d') params.set('window', query.window);
  if (query.repo) params.set('repo', query.repo);
  if (query.category) params.set('category', query.category);
  if (query.branch) params.set('branch', query.branch);
  if (query.text) params.set('q', query.text);
  if (query.cursor) params.set('cursor', query.cursor);
  const search = params.toString();
  return search ? `/?${search}` : '/';
}

export function listPage(query: ListSignaturesQuery, page: SignaturePage) {
  const filters = { ...query, cursor: undefined };
  const tabs = WINDOWS.map(
    (window) =>
      html`<a href="${listHref({ ...filters, window })}" ${window === query.window ? html`aria-current="page"` : ''}>${window}</a>`,
  );
  const rows = page.items.map((row, index) => signatureRow(row, index + 1, query.window));
  const filtered = Boolean(query.repo || query.category || query.branch || query.text);
  return layout(
    'Repeated failures',
    html`<h2>Repeated failures <span class="muted">in the last ${WINDOW_NAMES[query.window]}</span></h2>
<nav class="windows" aria-label="Window">${tabs}</nav>
<form class="filters" method="get" action="/" role="search">
<input type="hidden" name="window" value="${query.window}">
<label>Cause contains<input type="search" name="q" value="${query.text ?? ''}" placeholder="text or signature" maxlength="200"></label>
<label>Repository<input type="text" name="repo" value="${query.repo ?? ''}" placeholder="owner/name" maxlength="200"></label>
<label>Category<select name="category"><option value="">any</option>${CATEGORIES.map(
      (category) =>
        html`<option value="${category}" ${category === query.category ? 'selected' : ''}>${category}</option>`,
    )}</select></label>
<label>Seen on<select name="branch"><option value="">anywhere</option>${BRANCH_KINDS.map(
      ([kind, name]) =>
        html`<option value="${kind}" ${kind === query.branch ? 'selected' : ''}>${name}</option>`,
    )}</select></label>
<button type="submit">Filter</button>
${filtered ? html`<a href="${listHref({ window: query.window })}">Clear filters</a>` : ''}
</form>
${
  rows.length
    ? html`<table class="signatures">
<thead><tr><th class="num">#</th><th class="num">Count</th><th>Trend</th><th>Cause</th><th>Where seen</th><th>Kind</th><th>Repositories</th><th>First seen</th><th>Last seen</th></tr></thead>
<tbody>${rows}</tbody>
</table>`
    : html`<p class="empty">No failures ${filtered ? 'match these filters ' : ''}in the last ${WINDOW_NAMES[query.window]}.</p>`
}
<div class="pager">
${query.cursor ? html`<a href="${listHref(filters)}">← First page</a>` : ''}
${page.nextCursor ? html`<a rel="next" href="${listHref({ ...filters, cursor: page.nextCursor })}">Next page →</a>` : ''}
</div>
<footer>Counts as of ${formatTime(page.asOf)} · ${page.stats.queries} ${page.stats.queries === 1 ? 'query' : 'queries'}, ${page.stats.itemsRead} index items read · <a href="/api/signatures${listHref(query).slice(1)}">JSON</a></footer>`,
  );
}

function signatureRow(row: SignatureRow, rank: number, window: RankWindow) {
  const detail = `/signatures/${encodeURIComponent(row.signature)}?window=${window}`;
  return html`<tr data-signature="${row.signature}">
<td class="num muted">${rank}</td>
<td class="num count">${row.count}</td>
<td>${sparkline(row.trend, `${row.count} in the last ${WINDOW_NAMES[window]}`)}</td>
<td class="cause"><a class="summary" href="${detail}">${row.summary || '(no summary)'}</a><span class="meta mono">${row.signature} · ${row.rule}${row.strength === 'weak' ? ' · weak' : ''} · ${row.total} total</span></td>
<td><span class="badge ${row.whereSeen}">${WHERE_SEEN_LABELS[row.whereSeen]}</span>${row.prCount ? html`<div class="muted">${row.prCount} PR${row.prCount === 1 ? '' : 's'} · ${row.prAuthorCount} author${row.prAuthorCount === 1 ? '' : 's'}</div>` : ''}</td>
<td>${row.analysisTrusted ? verdictBadges(row) : UNVERIFIED_BADGE}</td>
<td>${row.repos.slice(0, 3).map((repo) => html`<div>${linkOrText(repoUrl(repo), repo)}</div>`)}${row.repos.length > 3 ? html`<div class="muted">+${row.repos.length - 3} more</div>` : ''}</td>
<td class="when"><time datetime="${row.firstSeenAt}">${formatTime(row.firstSeenAt)}</time></td>
<td class="when"><time datetime="${row.lastSeenAt}">${formatTime(row.lastSeenAt)}</time></td>
</tr>`;
}

/** Shown instead of a category and an infra verdict that only untrusted PRs' answers vouch for. */
export const UNVERIFIED_BADGE = html`<span class="badge unverified" title="Analysed only on pull requests from authors without write access">unverified</span>`;

export function verdictBadges(row: Pick<SignatureRow, 'category' | 'isInfra'>) {
  return html`${row.category === 'infra' ? '' : html`<span class="badge category">${row.category}</span> `}<span class="badge ${row.isInfra ? 'infra' : 'code'}">${row.isInfra ? 'infra' : 'code'}</span>`;
}

export function linkOrText(url: string | undefined, text: string) {
  return url ? html`<a href="${url}">${text}</a>` : html`${text}`;
}
