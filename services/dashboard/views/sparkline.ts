/** Inline SVG charts: no script, no external asset, colours from the stylesheet so they follow light and dark. */
import { html } from 'hono/html';

/** A trend line of per-bucket counts, oldest first. */
export function sparkline(values: readonly number[], label: string) {
  const width = 96;
  const height = 22;
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const points = values
    .map(
      (value, index) =>
        `${(index * step).toFixed(1)},${(height - 2 - (value / max) * (height - 4)).toFixed(1)}`,
    )
    .join(' ');
  return html`<svg class="spark" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${label}"><polyline points="${points}" /></svg>`;
}

/** A bar chart of per-day counts with the first and last day labelled. */
export function dayChart(days: ReadonlyArray<{ day: string; count: number }>) {
  const width = 600;
  const height = 120;
  const top = 14;
  const bottom = 18;
  const max = Math.max(1, ...days.map((day) => day.count));
  const slot = width / Math.max(1, days.length);
  const bars = days.map((day, index) => {
    const barHeight = day.count === 0 ? 0 : Math.max(2, (day.count / max) * (height - top - bottom));
    const x = (index * slot + 1).toFixed(1);
    const y = (height - bottom - barHeight).toFixed(1);
    return html`<rect x="${x}" y="${y}" width="${(slot - 2).toFixed(1)}" height="${barHeight.toFixed(1)}"><title>${day.day}: ${day.count}</title></rect>`;
  });
  const first = days[0]?.day ?? '';
  const last = days.at(-1)?.day ?? '';
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="Occurrences per day, ${first} to ${last}">
<line class="axis" x1="0" y1="${height - bottom}" x2="${width}" y2="${height - bottom}" />
${bars}
<text x="0" y="${height - 4}">${first}</text><text x="${width}" y="${height - 4}" text-anchor="end">${last}</text>
<text x="0" y="10">max ${max}/day</text>
</svg>`;
}
