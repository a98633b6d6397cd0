/** The signature detail page: the full analysis, a per-day chart and the occurrences with links to each job. */
import { html } from 'hono/html';
import type { AnalysisOrigin } from '../../../shared/contract/analysis-origin';
import type { RankWindow } from '../../../shared/contract/tables';
import { describeOrigin } from '../../../shared/render/describe-origin';
import type { OccurrencePage, OccurrenceRow } from '../list-occurrences';
import type { SignatureDetail } from '../read-signature';
import { WHERE_SEEN_LABELS, whereSeen } from '../signature-summary';
import { commitUrl, formatTime, prRefUrl, pullUrl, repoUrl, runUrl, safeGithubUrl } from './format';
import { layout } from './layout';
import { linkOrText, UNVERIFIED_BADGE, verdictBadges } from './list-page';
import { dayChart } from './sparkline';

const PRS_SHOWN = 20;

export function detailPage(
  detail: SignatureDetail,
  occurrences: OccurrencePage,
  window: RankWindow,
  now: Date,
) {
  const { summary } = detail;
  const record = summary.record;
  const analysis = record?.analysis;
  const seen = whereSeen(summary, window, now);
  const self = `/signatures/${encodeURIComponent(summary.signature)}?window=${window}`;
  return layout(
    summary.summary || summary.signature,
    html`<p><a href="/?window=${window}">← Repeated failures</a></p>
<h2 class="title">${summary.summary || '(no summary)'}</h2>
<p><span class="badge ${seen}">${WHERE_SEEN_LABELS[seen]}</span> ${summary.analysisTrusted ? verdictBadges(summary) : UNVERIFIED_BADGE}
${record?.analyst.kind === 'rules' ? html` <span class="badge rules" title="${record.analyst.reason}">offline rules analyst</span>` : ''}
<span class="mono muted"> ${summary.signature} · ${summary.rule} · ${summary.strength}</span></p>
<div class="facts">
<div><b>${detail.counts['24h']}</b><span>last 24 hours</span></div>
<div><b>${detail.counts['7d']}</b><span>last 7 days</span></div>
<div><b>${detail.counts['30d']}</b><span>last 30 days</span></div>
<div><b>${summary.total}</b><span>in total</span></div>
<div><b><time datetime="${summary.firstSeenAt}">${formatTime(summary.firstSeenAt)}</time></b><span>first seen</span></div>
<div><b><time datetime="${summary.lastSeenAt}">${formatTime(summary.lastSeenAt)}</time></b><span>last seen</span></div>
<div><b>${summary.lastSeenOnMainAt ? html`<time datetime="${summary.lastSeenOnMainAt}">${formatTime(summary.lastSeenOnMainAt)}</time>` : 'never'}</b><span>last seen on main</span></div>
</div>
<h3>Per day, last 30 days</h3>
${dayChart(detail.days)}
${
  analysis
    ? html`<section class="panel">
<h3>Root cause</h3><p class="prose">${analysis.rootCause}</p>
<h3>Suggested fix</h3><p class="prose">${analysis.suggestedFix}</p>
${analysis.evidence.length ? html`<h3>Evidence</h3><pre class="evidence">${analysis.evidence.map((line) => html`<span class="ln">${line.line ?? ''}</span>${line.text}\n`)}</pre>` : ''}
${analysis.files.length ? html`<h3>Files</h3><ul class="inline mono">${analysis.files.map((file) => html`<li>${file.path}${file.line ? `:${file.line}` : ''}</li>`)}</ul>` : ''}
<p class="muted">Confidence ${analysis.confidence} · ${record.analyst.kind === 'model' ? `model ${record.analyst.modelId}` : `rules analyst: ${record.analyst.reason}`} · analysed <time datetime="${record.createdAt}">${formatTime(record.createdAt)}</time></p>
${originNote(record.origin)}
</section>`
    : html`<p class="empty">No analysis stored for this signature.</p>`
}
<h3>Repositories and pull requests</h3>
<ul class="inline">${summary.repos.map((repo) => html`<li>${linkOrText(repoUrl(repo), repo)}</li>`)}</ul>
${summary.prs.length ? html`<ul class="inline">${summary.prs.slice(0, PRS_SHOWN).map((pr) => html`<li>${linkOrText(prRefUrl(pr), pr)}</li>`)}${summary.prs.length > PRS_SHOWN ? html`<li class="muted">+${summary.prs.length - PRS_SHOWN} more</li>` : ''}</ul>` : html`<p class="muted">Not seen on any pull request.</p>`}
<h3>Occurrences, newest first</h3>
<table class="occurrences">
<thead><tr><th>When</th><th>Repository</th><th>Branch</th><th>Workflow / job</th><th>Run</th><th>Commit</th></tr></thead>
<tbody>${occurrences.items.map(occurrenceRow)}</tbody>
</table>
<div class="pager">${occurrences.nextCursor ? html`<a rel="next" href="${self}&cursor=${occurrences.nextCursor}">Older occurrences →</a>` : ''}</div>
<footer><a href="/api/signatures/${encodeURIComponent(summary.signature)}?window=${window}">JSON</a></footer>`,
  );
}

function occurrenceRow(occurrence: OccurrenceRow) {
  const job = occurrence.workflow ? `${occurrence.workflow} / ${occurrence.job}` : occurrence.job;
  const branch =
    occurrence.prNumber !== null
      ? linkOrText(pullUrl(occurrence.repo, occurrence.prNumber), `PR #${occurrence.prNumber}`)
      : occurrence.branchKind === 'main'
        ? html`<span class="badge broken-trunk">${branchName(occurrence.ref)}</span>`
        : html`<span class="mono">${branchName(occurrence.ref)}</span>`;
  return html`<tr>
<td class="when"><time datetime="${occurrence.at}">${formatTime(occurrence.at)}</time></td>
<td>${linkOrText(repoUrl(occurrence.repo), occurrence.repo)}</td>
<td>${branch}</td>
<td>${linkOrText(safeGithubUrl(occurrence.jobUrl), job)}</td>
<td>${linkOrText(runUrl(occurrence.repo, occurrence.runId, occurrence.runAttempt), `${occurrence.runId} #${occurrence.runAttempt}`)}</td>
<td class="mono">${linkOrText(commitUrl(occurrence.repo, occurrence.sha), occurrence.sha.slice(0, 10))}</td>
</tr>`;
}

/** Where the shown analysis was made, from what GitHub confirmed; an untrusted one is marked as unverified. */
function originNote(origin: AnalysisOrigin | undefined) {
  if (!origin) return html`<p class="muted origin">Where this analysis was made is not recorded.</p>`;
  const described = describeOrigin(origin);
  const commit = commitUrl(origin.repo, origin.headSha);
  const job = described.jobUrl ? html` (${linkOrText(described.jobUrl, 'job')})` : '';
  const text = html`First analysed on ${described.place} at commit ${linkOrText(commit, described.commit)}${job}; ${described.reach}.`;
  return described.trusted
    ? html`<p class="muted origin">${text}</p>`
    : html`<p class="origin"><span class="badge unverified">unverified</span> ${text} No trusted job has analysed this failure yet.</p>`;
}

function branchName(ref: string | null): string {
  return (ref ?? '').replace(/^refs\/heads\//, '');
}
