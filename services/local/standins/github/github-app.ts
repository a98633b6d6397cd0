/**
 * The GitHub REST API stand-in as a Hono app: the endpoints the analyzer calls, with GitHub's status codes, its
 * published request schemas enforced, and every request, schema violation and check run recorded for tests.
 * Served by `startLocalGitHub`; tests may also call `app.request()` in-process.
 */
import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import {
  type CheckRunBody,
  checkRunRuleIssues,
  createCheckRunState,
  filterCheckRuns,
  updateCheckRunState,
} from './github-check-runs';
import type { GitHubFaults } from './github-faults';
import { paginate } from './github-paginate';
import { createGitHubResponses } from './github-responses';
import type { GitHubSchemas, SchemaIssue } from './github-schemas';
import type { GitHubStore, RepoState } from './github-store';
import type { AuthKind, RecordedRequest, SchemaViolation } from './github-types';
import type { GitHubOperationId } from './openapi/operations';

export interface GitHubAppOptions {
  readonly store: GitHubStore;
  readonly schemas: GitHubSchemas;
  readonly faults: GitHubFaults;
  /** Appended to as requests are answered. */
  readonly requests: RecordedRequest[];
  readonly violations: SchemaViolation[];
}

type Env = { Variables: { operationId: GitHubOperationId | undefined; injected: boolean } };

const DOCS = 'https://docs.github.com/rest';
const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;
const TOKEN_LIFETIME_MS = 60 * 60 * 1000;

export function createGitHubApp(options: GitHubAppOptions): Hono<Env> {
  const { store, schemas, faults } = options;
  const responses = createGitHubResponses(schemas);
  const app = new Hono<Env>();

  app.use(async (c, next) => {
    c.set('injected', false);
    const receivedAt = Date.now();
    await next();
    options.requests.push({
      receivedAt,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      operationId: c.get('operationId'),
      auth: authKind(c.req.header('authorization')),
      injected: c.get('injected'),
    });
  });

  app.use(async (c, next) => {
    const failure = faults.take(c.req.method, c.req.path);
    if (!failure) return next();
    c.set('injected', true);
    return c.json(failure.body as object, failure.status as 500, failure.headers);
  });

  const begin = (c: Context<Env>, id: GitHubOperationId, auth: 'jwt' | 'token') => {
    c.set('operationId', id);
    const kind = authKind(c.req.header('authorization'));
    if (kind === 'none') throw githubError(401, 'Requires authentication', schemas.operation(id).docsUrl);
    if (auth === 'jwt' && kind !== 'jwt') {
      throw githubError(401, 'A JSON web token could not be decoded', schemas.operation(id).docsUrl);
    }
    if (auth === 'token' && kind !== 'token') {
      throw githubError(403, 'Resource not accessible by integration', schemas.operation(id).docsUrl);
    }
  };

  const repoOf = (c: Context<Env>): RepoState => {
    const repo = store.repo(c.req.param('owner') ?? '', c.req.param('repo') ?? '');
    if (!repo) throw notFound();
    return repo;
  };

  const readBody = async <T>(c: Context<Env>, id: GitHubOperationId): Promise<T> => {
    const text = await c.req.text();
    let body: unknown;
    try {
      body = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      options.violations.push(violation(c, id, [{ path: '', message: 'is not valid JSON' }], text));
      throw githubError(400, 'Problems parsing JSON', schemas.operation(id).docsUrl);
    }
    const missing = body === undefined && schemas.operation(id).requestBodyRequired;
    const issues = missing
      ? [{ path: '', message: 'a JSON body is required' }]
      : schemas.validateRequest(id, body);
    rejectIfInvalid(c, id, issues, body);
    return body as T;
  };

  const rejectIfInvalid = (c: Context<Env>, id: GitHubOperationId, issues: SchemaIssue[], body: unknown) => {
    if (issues.length === 0) return;
    options.violations.push(violation(c, id, issues, body));
    const details = issues.map((issue) => `For '${issue.path || '/'}': ${issue.message}.`).join('\n');
    throw githubError(422, `Invalid request.\n\n${details}`, schemas.operation(id).docsUrl);
  };

  app.get('/repos/:owner/:repo/actions/runs/:run_id', (c) => {
    begin(c, 'actions/get-workflow-run', 'token');
    const run = store.run(repoOf(c), numberParam(c, 'run_id'));
    if (!run) throw notFound();
    return c.json(responses.workflowRun(run, apiUrl(c)));
  });

  app.get('/repos/:owner/:repo/actions/runs/:run_id/attempts/:attempt_number', (c) => {
    begin(c, 'actions/get-workflow-run-attempt', 'token');
    const run = store.run(repoOf(c), numberParam(c, 'run_id'), numberParam(c, 'attempt_number'));
    if (!run) throw notFound();
    return c.json(responses.workflowRun(run, apiUrl(c)));
  });

  app.get('/repos/:owner/:repo/actions/runs/:run_id/attempts/:attempt_number/jobs', (c) => {
    begin(c, 'actions/list-jobs-for-workflow-run-attempt', 'token');
    const run = store.run(repoOf(c), numberParam(c, 'run_id'), numberParam(c, 'attempt_number'));
    if (!run) throw notFound();
    const { items, link } = paginate(run.jobs, c.req.url);
    const jobs = items.map((job) => responses.job(run, job, apiUrl(c)));
    return c.json({ total_count: run.jobs.length, jobs }, 200, link ? { link } : {});
  });

  app.post('/repos/:owner/:repo/check-runs', async (c) => {
    begin(c, 'checks/create', 'token');
    const repo = repoOf(c);
    const body = await readBody<CheckRunBody>(c, 'checks/create');
    rejectIfInvalid(c, 'checks/create', checkRunRuleIssues(body), body);
    if (!repo.commits.has(body.head_sha ?? '')) {
      throw githubError(
        422,
        `No commit found for SHA: ${body.head_sha}`,
        schemas.operation('checks/create').docsUrl,
      );
    }
    const checkRun = createCheckRunState(store.nextCheckRunId(), repo.fullName, body, now());
    store.saveCheckRun(checkRun);
    return c.json(responses.checkRun(checkRun, repo, apiUrl(c)), 201);
  });

  app.patch('/repos/:owner/:repo/check-runs/:check_run_id', async (c) => {
    begin(c, 'checks/update', 'token');
    const repo = repoOf(c);
    const current = store.checkRun(repo, numberParam(c, 'check_run_id'));
    if (!current) throw notFound();
    const body = await readBody<CheckRunBody>(c, 'checks/update');
    rejectIfInvalid(c, 'checks/update', checkRunRuleIssues(body, current), body);
    const updated = updateCheckRunState(current, body, now());
    store.saveCheckRun(updated);
    return c.json(responses.checkRun(updated, repo, apiUrl(c)));
  });

  app.get('/repos/:owner/:repo/commits/:ref/check-runs', (c) => {
    begin(c, 'checks/list-for-ref', 'token');
    const repo = repoOf(c);
    const ref = c.req.param('ref') ?? '';
    if (!repo.commits.has(ref)) {
      throw githubError(
        422,
        `No commit found for SHA: ${ref}`,
        schemas.operation('checks/list-for-ref').docsUrl,
      );
    }
    const found = filterCheckRuns(
      store
        .checkRuns()
        .filter((checkRun) => checkRun.head_sha === ref && store.checkRun(repo, checkRun.id) !== undefined),
      {
        checkName: c.req.query('check_name'),
        status: c.req.query('status'),
        latestOnly: (c.req.query('filter') ?? 'latest') === 'latest',
      },
    );
    const { items, link } = paginate(found, c.req.url);
    const checkRuns = items.map((checkRun) => responses.checkRun(checkRun, repo, apiUrl(c)));
    return c.json({ total_count: found.length, check_runs: checkRuns }, 200, link ? { link } : {});
  });

  app.get('/repos/:owner/:repo/installation', (c) => {
    begin(c, 'apps/get-repo-installation', 'jwt');
    const repo = repoOf(c);
    return c.json(responses.installation(repo.installationId, repo, apiUrl(c)));
  });

  app.post('/app/installations/:installation_id/access_tokens', async (c) => {
    begin(c, 'apps/create-installation-access-token', 'jwt');
    const id = numberParam(c, 'installation_id');
    if (!store.hasInstallation(id)) throw notFound();
    const body = await readBody<{ permissions?: unknown } | undefined>(
      c,
      'apps/create-installation-access-token',
    );
    const token = `ghs_local${crypto.randomUUID().replaceAll('-', '')}`;
    const expiresAt = new Date(Date.now() + TOKEN_LIFETIME_MS).toISOString().replace(/\.\d+Z$/, 'Z');
    const permissions = body?.permissions ?? store.installationPermissions(id);
    return c.json(responses.installationToken(token, expiresAt, permissions), 201);
  });

  app.get('/repos/:owner/:repo/pulls/:pull_number', (c) => {
    begin(c, 'pulls/get', 'token');
    const pull = store.pull(repoOf(c), numberParam(c, 'pull_number'));
    if (!pull) throw notFound();
    return c.json(responses.pull(pull, apiUrl(c)));
  });

  app.get('/repos/:owner/:repo', (c) => {
    begin(c, 'repos/get', 'token');
    return c.json(responses.repository(repoOf(c), apiUrl(c)));
  });

  app.get('/repos/:owner/:repo/branches/:branch', (c) => {
    begin(c, 'repos/get-branch', 'token');
    const repo = repoOf(c);
    const branch = c.req.param('branch') ?? '';
    if (!repo.branches.has(branch) && !repo.protectedBranches.has(branch)) {
      throw githubError(404, 'Branch not found', schemas.operation('repos/get-branch').docsUrl);
    }
    return c.json(responses.branch(repo, branch, apiUrl(c)));
  });

  app.get('/repos/:owner/:repo/collaborators/:username/permission', (c) => {
    begin(c, 'repos/get-collaborator-permission-level', 'token');
    const repo = repoOf(c);
    const login = c.req.param('username') ?? '';
    // Seeded repositories are public: anyone who is not a collaborator can read.
    return c.json(responses.permission(login, repo.collaborators.get(login.toLowerCase()) ?? 'read'));
  });

  app.notFound((c) => c.json({ message: 'Not Found', documentation_url: DOCS, status: '404' }, 404));
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    // Like GitHub's own 500s, the body says nothing about internals; the stand-in's console does.
    console.error('github stand-in:', error);
    return c.json({ message: 'Server Error' }, 500);
  });
  return app;
}

function authKind(header: string | undefined): AuthKind {
  const [scheme = '', credentials = ''] = (header ?? '').trim().split(/\s+/, 2);
  if (!credentials) return 'none';
  return scheme.toLowerCase() === 'bearer' && JWT.test(credentials) ? 'jwt' : 'token';
}

function githubError(status: 400 | 401 | 403 | 404 | 422, message: string, documentationUrl = DOCS) {
  const body = JSON.stringify({ message, documentation_url: documentationUrl, status: String(status) });
  return new HTTPException(status, {
    res: new Response(body, { status, headers: { 'content-type': 'application/json; charset=utf-8' } }),
  });
}

function notFound() {
  return githubError(404, 'Not Found');
}

function numberParam(c: Context<Env>, name: string): number {
  const value = c.req.param(name) ?? '';
  if (!/^\d{1,15}$/.test(value)) throw notFound();
  return Number(value);
}

function violation(
  c: Context<Env>,
  id: GitHubOperationId,
  issues: SchemaIssue[],
  body: unknown,
): SchemaViolation {
  return { operationId: id, method: c.req.method, path: c.req.path, issues, body };
}

function apiUrl(c: Context<Env>): string {
  return new URL(c.req.url).origin;
}

function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}
