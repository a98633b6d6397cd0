/**
 * The dashboard of repeated failures: HTML pages and the JSON API behind them (docs/dashboard.md), read from the
 * State table with Query and GetItem only. The same app runs on Lambda (lambda.ts) and on Node (serve.ts).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { html } from 'hono/html';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { z } from 'zod';
import { SCRIPT, STYLESHEET } from './assets';
import { InvalidCursorError } from './cursor';
import { listOccurrences } from './list-occurrences';
import { listSignatures } from './list-signatures';
import { parseListQuery } from './parse-list-query';
import { readSignature } from './read-signature';
import { whereSeen } from './signature-summary';
import { detailPage } from './views/detail-page';
import { layout } from './views/layout';
import { listPage } from './views/list-page';

export interface DashboardDeps {
  readonly client: DynamoDBClient;
  /** The State table. */
  readonly tableName: string;
  /** The clock; tests pin it. */
  readonly now?: () => Date;
  /** Where unexpected errors go; the response itself never shows them. */
  readonly onError?: (error: unknown, request: Request) => void;
}

const DetailParamsSchema = z.object({
  window: z.enum(['24h', '7d', '30d']).default('7d'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(1024).optional(),
});

/**
 * @example
 * const app = createDashboardApp({ client: new DynamoDBClient({}), tableName: 'osdc-rca-State' });
 * const response = await app.request('/api/signatures?window=24h');
 */
export function createDashboardApp(deps: DashboardDeps): Hono {
  const now = deps.now ?? (() => new Date());
  const app = new Hono();

  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        scriptSrc: ["'self'"],
        imgSrc: ["'self'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: 'no-referrer',
    }),
  );

  app.get('/assets/dashboard.css', (c) => asset(c, STYLESHEET, 'text/css; charset=utf-8'));
  app.get('/assets/dashboard.js', (c) => asset(c, SCRIPT, 'text/javascript; charset=utf-8'));

  app.get('/api/signatures', async (c) => {
    const query = parseListQuery(c.req.query());
    return c.json(await listSignatures(deps.client, deps.tableName, query, now()), 200, noStore);
  });

  app.get('/api/signatures/:id', async (c) => {
    const params = parseDetailParams(c.req.query());
    const at = now();
    const signature = c.req.param('id');
    const detail = await readSignature(deps.client, deps.tableName, signature, at);
    if (!detail) return c.json({ error: 'Unknown signature' }, 404, noStore);
    const occurrences = await listOccurrences(deps.client, deps.tableName, signature, params);
    const { buckets: _buckets, ...summary } = detail.summary;
    return c.json(
      {
        signature: summary,
        whereSeen: whereSeen(detail.summary, params.window, at),
        counts: detail.counts,
        days: detail.days,
        occurrences,
      },
      200,
      noStore,
    );
  });

  app.get('/', async (c) => {
    const query = parseListQuery(c.req.query());
    const page = await listSignatures(deps.client, deps.tableName, query, now());
    return c.html(listPage(query, page), 200, noStore);
  });

  app.get('/signatures/:id', async (c) => {
    const params = parseDetailParams(c.req.query());
    const at = now();
    const signature = c.req.param('id');
    const detail = await readSignature(deps.client, deps.tableName, signature, at);
    if (!detail)
      return errorPage(c, 404, 'No such signature', 'The analyzer has not recorded this signature.');
    const occurrences = await listOccurrences(deps.client, deps.tableName, signature, params);
    return c.html(detailPage(detail, occurrences, params.window, at), 200, noStore);
  });

  app.notFound((c) =>
    isApi(c) ? c.json({ error: 'Not found' }, 404) : errorPage(c, 404, 'Not found', 'There is no page here.'),
  );

  app.onError((error, c) => {
    const status =
      error instanceof HTTPException ? error.status : error instanceof InvalidCursorError ? 400 : 500;
    // Only our own validation messages are shown; anything else may carry table names, keys or stack traces.
    const message =
      error instanceof HTTPException || error instanceof InvalidCursorError
        ? error.message
        : 'Internal error';
    if (status === 500) deps.onError?.(error, c.req.raw);
    if (isApi(c)) return c.json({ error: message }, status as 400 | 500, noStore);
    return errorPage(
      c,
      status as 400 | 500,
      status === 500 ? 'Something went wrong' : 'Bad request',
      message,
    );
  });

  return app;
}

const noStore = { 'Cache-Control': 'no-store' };

function parseDetailParams(params: Record<string, string>) {
  const parsed = DetailParamsSchema.safeParse(params);
  if (!parsed.success) throw new HTTPException(400, { message: 'Invalid query: window, limit or cursor' });
  return parsed.data;
}

function isApi(c: Context): boolean {
  return c.req.path.startsWith('/api/');
}

function asset(c: Context, body: string, type: string) {
  return c.body(body, 200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=3600' });
}

function errorPage(c: Context, status: 400 | 404 | 500, title: string, message: string) {
  return c.html(
    layout(title, html`<h2>${title}</h2><p>${message}</p><p><a href="/">← Repeated failures</a></p>`),
    status,
    noStore,
  );
}
