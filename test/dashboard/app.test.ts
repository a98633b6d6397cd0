import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDashboardApp } from '../../services/dashboard/app';
import { createStateTable, type StateTable } from './factories';
import { NOW, SIGNATURES, seedScenario } from './seed-scenario';

interface ListBody {
  window: string;
  asOf: string;
  items: Array<{
    signature: string;
    count: number;
    whereSeen: string;
    trend: number[];
    [key: string]: unknown;
  }>;
  nextCursor: string | null;
}

describe('Function: createDashboardApp', () => {
  let table: StateTable;
  let app: ReturnType<typeof createDashboardApp>;
  beforeAll(async () => {
    table = await createStateTable();
    await seedScenario(table);
    app = createDashboardApp({ client: table.client, tableName: table.tableName, now: () => NOW });
  });
  afterAll(() => table.client.destroy());

  const list = async (search: string): Promise<ListBody> => {
    const response = await app.request(`/api/signatures${search}`);
    expect(response.status).toBe(200);
    return (await response.json()) as ListBody;
  };
  const ranking = (body: ListBody) => body.items.map((item) => [item.signature, item.count]);

  describe('GET /api/signatures', () => {
    it('ranks signatures by their true count in the last 24 hours, leaving stale ones out', async () => {
      // Act
      const body = await list('?window=24h');

      // Assess
      expect(ranking(body)).toEqual([
        [SIGNATURES.trunk, 6],
        [SIGNATURES.vision, 3],
        [SIGNATURES.flaky, 1],
      ]);
      expect(body.items[0]?.trend).toHaveLength(24);
    });

    it('ranks by the last 7 days by default', async () => {
      // Act
      const body = await list('');

      // Assess
      expect(body.window).toBe('7d');
      expect(ranking(body)).toEqual([
        [SIGNATURES.trunk, 6],
        [SIGNATURES.flaky, 4],
        [SIGNATURES.vision, 3],
        [SIGNATURES.thisPr, 2],
        [SIGNATURES.xss, 1],
      ]);
    });

    it('ranks by the last 30 days, where the older burst comes first', async () => {
      // Act
      const body = await list('?window=30d');

      // Assess
      expect(ranking(body)[0]).toEqual([SIGNATURES.stale, 8]);
      expect(body.items).toHaveLength(6);
      expect(body.items[0]?.trend).toHaveLength(30);
    });

    it('labels where each failure was seen', async () => {
      // Act
      const body = await list('?window=30d');

      // Assess
      const labels = Object.fromEntries(body.items.map((item) => [item.signature, item.whereSeen]));
      expect(labels).toEqual({
        [SIGNATURES.trunk]: 'broken-trunk',
        [SIGNATURES.flaky]: 'likely-flaky',
        [SIGNATURES.stale]: 'likely-flaky',
        [SIGNATURES.thisPr]: 'this-pr',
        [SIGNATURES.xss]: 'this-pr',
        [SIGNATURES.vision]: 'branches',
      });
    });

    it('returns the documented row shape', async () => {
      // Act
      const body = await list('?window=24h&limit=1');

      // Assess
      expect(body.items[0]).toEqual({
        signature: SIGNATURES.trunk,
        strength: 'strong',
        rule: 'pytest-failure',
        category: 'build',
        isInfra: false,
        summary: 'Build of torch/csrc fails: undefined reference to at::native::add_out',
        count: 6,
        total: 6,
        trend: expect.any(Array),
        firstSeenAt: new Date(NOW.getTime() - 15 * 3_600_000).toISOString(),
        lastSeenAt: new Date(NOW.getTime() - 2 * 3_600_000).toISOString(),
        lastSeenOnMainAt: new Date(NOW.getTime() - 3 * 3_600_000).toISOString(),
        repos: ['pytorch/pytorch'],
        prCount: 1,
        prAuthorCount: 1,
        analysisTrusted: true,
        whereSeen: 'broken-trunk',
      });
      expect(body).toMatchObject({ window: '24h', asOf: NOW.toISOString(), nextCursor: expect.any(String) });
    });

    it.each([
      ['repository', '?window=30d&repo=pytorch/vision', [SIGNATURES.vision]],
      ['category', '?window=30d&category=timeout', [SIGNATURES.flaky]],
      ['branch kind', '?window=30d&branch=main', [SIGNATURES.trunk]],
      ['text in the cause, any case', '?window=30d&q=ALLREDUCE', [SIGNATURES.flaky]],
      [
        'several filters at once',
        '?window=30d&repo=pytorch/pytorch&branch=pr&category=lint',
        [SIGNATURES.thisPr],
      ],
    ])('filters by %s', async (_name, search, expected) => {
      // Act
      const body = await list(search);

      // Assess
      expect(body.items.map((item) => item.signature)).toEqual(expected);
    });

    it('pages through the ranking with an opaque cursor, without gaps or repeats', async () => {
      // Prepare
      const everything = await list('?window=30d');
      const seen: string[] = [];
      let search = '?window=30d&limit=2';

      // Act
      for (let pages = 0; pages < 10; pages += 1) {
        const body = await list(search);
        seen.push(...body.items.map((item) => item.signature));
        if (!body.nextCursor) break;
        search = `?window=30d&limit=2&cursor=${encodeURIComponent(body.nextCursor)}`;
      }

      // Assess
      expect(seen).toEqual(everything.items.map((item) => item.signature));
    });

    it('rejects a cursor it did not hand out, and an unknown window', async () => {
      // Act
      const badCursor = await app.request('/api/signatures?cursor=bm90LWEtY3Vyc29y');
      const badWindow = await app.request('/api/signatures?window=1y');

      // Assess
      expect(badCursor.status).toBe(400);
      expect(await badCursor.json()).toEqual({ error: 'The cursor is not one this API handed out' });
      expect(badWindow.status).toBe(400);
    });
  });

  describe('GET /api/signatures/:id', () => {
    it('returns the analysis, counts, per-day chart and newest occurrences', async () => {
      // Act
      const response = await app.request(`/api/signatures/${SIGNATURES.trunk}?limit=4`);

      // Assess
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        signature: { signature: string; record: { analysis: { suggestedFix: string } }; prs: string[] };
        counts: Record<string, number>;
        days: Array<{ day: string; count: number }>;
        occurrences: { items: Array<{ at: string; jobUrl: string; branchKind: string }>; nextCursor: string };
      };
      expect(body.signature.signature).toBe(SIGNATURES.trunk);
      expect(body.signature.record.analysis.suggestedFix).toContain('BinaryOps.cpp');
      expect(body.signature.prs).toEqual(['pytorch/pytorch#501']);
      expect(body.counts).toEqual({ '24h': 6, '7d': 6, '30d': 6 });
      expect(body.days).toHaveLength(30);
      expect(body.days.at(-1)).toEqual({ day: '2026-11-25', count: 5 });
      expect(body.days.at(-2)).toEqual({ day: '2026-11-24', count: 1 });
      const times = body.occurrences.items.map((item) => item.at);
      expect(times).toEqual([...times].sort().reverse());
      expect(times).toHaveLength(4);
      expect(body.occurrences.items[0]).toMatchObject({
        jobUrl: 'https://github.com/pytorch/pytorch/actions/runs/42/job/31337#step:5:1042',
        branchKind: 'pr',
      });
      expect(body.occurrences.nextCursor).toEqual(expect.any(String));
    });

    it('pages through the occurrences', async () => {
      // Prepare
      const first = (await (await app.request(`/api/signatures/${SIGNATURES.trunk}?limit=4`)).json()) as {
        occurrences: { items: Array<{ reportId: string }>; nextCursor: string };
      };

      // Act
      const response = await app.request(
        `/api/signatures/${SIGNATURES.trunk}?limit=4&cursor=${first.occurrences.nextCursor}`,
      );

      // Assess
      const second = (await response.json()) as { occurrences: { items: Array<{ reportId: string }> } };
      expect(second.occurrences.items).toHaveLength(2);
      const ids = [...first.occurrences.items, ...second.occurrences.items].map((item) => item.reportId);
      expect(new Set(ids).size).toBe(6);
    });

    it('answers 404 for an unknown signature', async () => {
      // Act
      const unknown = await app.request('/api/signatures/0000000000000000');
      const notAKey = await app.request('/api/signatures/..%2F..%2Fetc');

      // Assess
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual({ error: 'Unknown signature' });
      expect(notAKey.status).toBe(404);
    });
  });

  describe('HTML pages', () => {
    it('renders the ranking as a table that works without JavaScript', async () => {
      // Act
      const response = await app.request('/?window=7d');

      // Assess
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      const body = await response.text();
      const order = [
        SIGNATURES.trunk,
        SIGNATURES.flaky,
        SIGNATURES.vision,
        SIGNATURES.thisPr,
        SIGNATURES.xss,
      ].map((signature) => body.indexOf(`data-signature="${signature}"`));
      expect(order.every((position) => position > 0)).toBe(true);
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(body).toContain('<form class="filters" method="get" action="/"');
      expect(body).toContain('broken trunk');
      expect(body).toContain('likely flaky');
      expect(body).toContain('this PR');
      expect(body).toContain('<svg class="spark"');
    });

    it('renders the detail page with the chart and links to each job, PR and run', async () => {
      // Act
      const response = await app.request(`/signatures/${SIGNATURES.trunk}`);

      // Assess
      expect(response.status).toBe(200);
      const body = await response.text();
      expect(body).toContain('<svg class="chart"');
      expect(body).toContain(
        'href="https://github.com/pytorch/pytorch/actions/runs/42/job/31337#step:5:1042"',
      );
      expect(body).toContain('href="https://github.com/pytorch/pytorch/pull/501"');
      expect(body).toContain('href="https://github.com/pytorch/pytorch/actions/runs/42/attempts/1"');
      expect(body).toContain('Restore round-half-even');
    });

    it('labels an analysis by the offline rules analyst as such', async () => {
      // Act
      const body = await (await app.request(`/signatures/${SIGNATURES.vision}`)).text();

      // Assess
      expect(body).toContain('offline rules analyst');
    });

    it('escapes attacker-controlled analysis text and job names', async () => {
      // Act
      const listBody = await (await app.request('/?window=7d')).text();
      const detailBody = await (await app.request(`/signatures/${SIGNATURES.xss}`)).text();

      // Assess
      for (const body of [listBody, detailBody]) {
        expect(body).not.toContain('<script>alert');
        expect(body).not.toContain('<img src=x');
        expect(body).toContain('&lt;script&gt;alert(&quot;summary&quot;)&lt;/script&gt;');
      }
      expect(detailBody).toContain('&lt;img src=x onerror=alert(&quot;job&quot;)&gt;');
      expect(detailBody).toContain('&lt;/pre&gt;&lt;script&gt;');
      expect(detailBody).not.toContain('javascript:alert');
    });

    it('reflects filter values escaped', async () => {
      // Act
      const body = await (
        await app.request(`/?q=${encodeURIComponent('"><script>alert(2)</script>')}`)
      ).text();

      // Assess
      expect(body).not.toContain('<script>alert(2)');
      expect(body).toContain('value="&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"');
    });

    it('answers 404 with a page for an unknown signature', async () => {
      // Act
      const response = await app.request('/signatures/0000000000000000');

      // Assess
      expect(response.status).toBe(404);
      expect(await response.text()).toContain('No such signature');
    });

    it('serves its own stylesheet and script under a strict content security policy', async () => {
      // Act
      const page = await app.request('/');
      const css = await app.request('/assets/dashboard.css');
      const js = await app.request('/assets/dashboard.js');

      // Assess
      const policy = page.headers.get('content-security-policy') ?? '';
      expect(policy).toContain("default-src 'none'");
      expect(policy).toContain("script-src 'self'");
      expect(css.headers.get('content-type')).toContain('text/css');
      expect(await css.text()).toContain('prefers-color-scheme: dark');
      expect(js.headers.get('content-type')).toContain('text/javascript');
    });
  });

  describe('errors', () => {
    it('answers a generic 500 that does not echo internals, and reports the error', async () => {
      // Prepare
      const onError = vi.fn();
      const broken = createDashboardApp({
        client: table.client,
        tableName: 'secret-table-name-that-does-not-exist',
        now: () => NOW,
        onError,
      });

      // Act
      const api = await broken.request('/api/signatures');
      const page = await broken.request('/');

      // Assess
      expect(api.status).toBe(500);
      expect(await api.json()).toEqual({ error: 'Internal error' });
      expect(page.status).toBe(500);
      const body = await page.text();
      expect(body).not.toContain('secret-table-name');
      expect(body).not.toContain('ResourceNotFound');
      expect(onError).toHaveBeenCalledTimes(2);
    });
  });
});
