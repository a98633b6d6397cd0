import { generateKeyPairSync } from 'node:crypto';
import { createAppAuth } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalGitHub, startLocalGitHub } from '../../services/local/standins/github/github-server';
import { GitHubSeedError } from '../../services/local/standins/github/github-store';
import type { SeedJob } from '../../services/local/standins/github/github-types';

const REPO = { owner: 'pytorch', repo: 'pytorch' };
const HEAD_SHA = 'a'.repeat(40);
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function seedJobs(count: number): SeedJob[] {
  return Array.from({ length: count }, (_, index) => ({
    id: 9000 + index,
    name: `test (default, ${index + 1}, 40, linux.2xlarge)`,
    runnerName: `runner-${index}`,
  }));
}

describe('Function: startLocalGitHub', () => {
  let github: LocalGitHub;
  let octokit: Octokit;

  beforeAll(async () => {
    github = await startLocalGitHub();
    github.addRun({
      repo: 'pytorch/pytorch',
      runId: 101,
      runAttempt: 1,
      headSha: HEAD_SHA,
      headBranch: 'feature',
      event: 'pull_request',
      prNumber: 42,
      jobs: seedJobs(35),
    });
    github.addRun({
      repo: 'pytorch/pytorch',
      runId: 101,
      runAttempt: 2,
      headSha: HEAD_SHA,
      jobs: seedJobs(2),
    });
    octokit = new Octokit({ baseUrl: github.url, auth: 'test-token', log: quiet });
  });
  afterAll(() => github.stop());
  beforeEach(() => github.reset());

  it('serves the latest attempt of a seeded run and each attempt by number', async () => {
    const { data: latest } = await octokit.rest.actions.getWorkflowRun({ ...REPO, run_id: 101 });
    const { data: first } = await octokit.rest.actions.getWorkflowRunAttempt({
      ...REPO,
      run_id: 101,
      attempt_number: 1,
    });

    expect(latest).toMatchObject({ id: 101, run_attempt: 2, head_sha: HEAD_SHA });
    expect(first).toMatchObject({
      id: 101,
      run_attempt: 1,
      head_sha: HEAD_SHA,
      head_branch: 'feature',
      event: 'pull_request',
      html_url: 'https://github.com/pytorch/pytorch/actions/runs/101',
      repository: { full_name: 'pytorch/pytorch' },
    });
    expect(first.pull_requests?.map((pull) => pull.number)).toEqual([42]);
  });

  it('pages through the jobs of a run attempt with Link headers', async () => {
    const jobs = await octokit.paginate(octokit.rest.actions.listJobsForWorkflowRunAttempt, {
      ...REPO,
      run_id: 101,
      attempt_number: 1,
      per_page: 10,
    });

    expect(jobs.map((job) => job.id)).toEqual(seedJobs(35).map((job) => job.id));
    expect(jobs[7]).toMatchObject({
      runner_name: 'runner-7',
      status: 'in_progress',
      conclusion: null,
      head_sha: HEAD_SHA,
      html_url: 'https://github.com/pytorch/pytorch/actions/runs/101/job/9007',
    });
    expect(github.requests().filter((request) => request.path.endsWith('/jobs'))).toHaveLength(4);
  });

  it('answers 404 for unknown runs, attempts, repositories and pull requests', async () => {
    const statuses = await Promise.all([
      octokit.rest.actions.getWorkflowRun({ ...REPO, run_id: 999 }).catch((error) => error.status),
      octokit.rest.actions
        .getWorkflowRunAttempt({ ...REPO, run_id: 101, attempt_number: 3 })
        .catch((error) => error.status),
      octokit.rest.actions
        .getWorkflowRun({ owner: 'evil', repo: 'fork', run_id: 101 })
        .catch((e) => e.status),
      octokit.rest.pulls.get({ ...REPO, pull_number: 7 }).catch((error) => error.status),
      octokit
        .request('GET /repos/{owner}/{repo}/actions/runs/{run_id}/timing', { ...REPO, run_id: 101 })
        .catch((error) => error.status),
    ]);

    expect(statuses).toEqual([404, 404, 404, 404, 404]);
  });

  it('refuses to seed a repository name that is not owner/name', () => {
    expect(() => github.addRun({ repo: 'pytorch', runId: 1, headSha: HEAD_SHA })).toThrow(GitHubSeedError);
  });

  it('serves a seeded pull request with its merge commit', async () => {
    const { data } = await octokit.rest.pulls.get({ ...REPO, pull_number: 42 });

    expect(data).toMatchObject({
      number: 42,
      head: { sha: HEAD_SHA, ref: 'feature' },
      base: { ref: 'main' },
    });
    expect(data.merge_commit_sha).toMatch(/^[0-9a-f]{40}$/);
  });

  it('creates a check run and applies updates, appending annotations', async () => {
    const annotation = {
      path: 'torch/nn/modules/linear.py',
      start_line: 12,
      end_line: 12,
      annotation_level: 'failure' as const,
      message: 'shape mismatch',
    };
    const { data: created } = await octokit.rest.checks.create({
      ...REPO,
      name: 'OSDC failure analysis',
      head_sha: HEAD_SHA,
      external_id: 'report-1',
      status: 'in_progress',
      output: { title: 'Analysing', summary: 'pending', annotations: [annotation] },
    });

    await octokit.rest.checks.update({
      ...REPO,
      check_run_id: created.id,
      conclusion: 'neutral',
      details_url: 'https://github.com/pytorch/pytorch/actions/runs/101/job/9007',
      output: {
        title: 'Linear layer shape mismatch',
        summary: 'cause',
        text: 'details',
        annotations: [annotation],
      },
    });

    expect(created).toMatchObject({ status: 'in_progress', conclusion: null, head_sha: HEAD_SHA });
    expect(github.checkRuns()).toEqual([
      expect.objectContaining({
        id: created.id,
        repo: 'pytorch/pytorch',
        name: 'OSDC failure analysis',
        head_sha: HEAD_SHA,
        status: 'completed',
        conclusion: 'neutral',
        completed_at: expect.stringMatching(/Z$/),
        external_id: 'report-1',
        details_url: 'https://github.com/pytorch/pytorch/actions/runs/101/job/9007',
        output: {
          title: 'Linear layer shape mismatch',
          summary: 'cause',
          text: 'details',
          annotations: [annotation, annotation],
        },
        updates: 1,
      }),
    ]);
    expect(github.schemaViolations()).toEqual([]);
  });

  it('lists the check runs of a commit by name, latest per name unless asked for all, a page at a time', async () => {
    // Prepare
    const create = (name: string, externalId: string) =>
      octokit.rest.checks.create({
        ...REPO,
        name,
        head_sha: HEAD_SHA,
        external_id: externalId,
        conclusion: 'neutral',
      });
    for (let index = 0; index < 3; index += 1) await create('OSDC failure analysis', `report-${index}`);
    await create('lint', 'other');

    // Act
    const all = await octokit.paginate(octokit.rest.checks.listForRef, {
      ...REPO,
      ref: HEAD_SHA,
      check_name: 'OSDC failure analysis',
      filter: 'all',
      per_page: 2,
    });
    const { data: latest } = await octokit.rest.checks.listForRef({ ...REPO, ref: HEAD_SHA });
    const unknown = await octokit.rest.checks
      .listForRef({ ...REPO, ref: 'f'.repeat(40) })
      .catch((error) => error.status);

    // Assess
    expect(all.map((checkRun) => checkRun.external_id)).toEqual(['report-2', 'report-1', 'report-0']);
    expect(latest.total_count).toBe(2);
    expect(latest.check_runs.map((checkRun) => [checkRun.name, checkRun.external_id])).toEqual([
      ['lint', 'other'],
      ['OSDC failure analysis', 'report-2'],
    ]);
    expect(unknown).toBe(422);
    expect(github.requests().filter((request) => request.operationId === 'checks/list-for-ref')).toHaveLength(
      4,
    );
  });

  it('creates check runs on the merge commit of a seeded pull request', async () => {
    const { data: pull } = await octokit.rest.pulls.get({ ...REPO, pull_number: 42 });

    const { status } = await octokit.rest.checks.create({
      ...REPO,
      name: 'x',
      head_sha: pull.merge_commit_sha!,
    });

    expect(status).toBe(201);
  });

  it('rejects a body that breaks the published schema with 422 and records the violation', async () => {
    const annotations = Array.from({ length: 51 }, (_, index) => ({
      path: 'a.py',
      start_line: index + 1,
      end_line: index + 1,
      annotation_level: 'warning' as const,
      message: 'm',
    }));

    const error = await octokit.rest.checks
      .create({
        ...REPO,
        name: 'x',
        head_sha: HEAD_SHA,
        output: { title: 't', summary: 's'.repeat(65_536), annotations },
      })
      .catch((caught) => caught);

    expect(error.status).toBe(422);
    expect(github.checkRuns()).toEqual([]);
    const [violation] = github.schemaViolations();
    expect(violation).toMatchObject({ operationId: 'checks/create', method: 'POST' });
    expect(violation?.issues.map((issue) => issue.path).sort()).toEqual([
      '/output/annotations',
      '/output/summary',
    ]);
  });

  it('rejects completing a check run without a conclusion, as GitHub documents', async () => {
    const onCreate = await octokit.rest.checks
      .create({ ...REPO, name: 'x', head_sha: HEAD_SHA, completed_at: '2025-01-01T00:00:00Z' })
      .catch((error) => error.status);
    const { data } = await octokit.rest.checks.create({ ...REPO, name: 'x', head_sha: HEAD_SHA });
    const onUpdate = await octokit.rest.checks
      .update({ ...REPO, check_run_id: data.id, status: 'completed' })
      .catch((error) => error.status);

    expect([onCreate, onUpdate]).toEqual([422, 422]);
    expect(github.schemaViolations().map((violation) => violation.operationId)).toEqual([
      'checks/create',
      'checks/update',
    ]);
    expect(github.checkRuns()[0]).toMatchObject({ status: 'queued', conclusion: null, updates: 0 });
  });

  it('rejects stale conclusions and annotation columns that span several lines', async () => {
    const annotation = {
      path: 'a.py',
      start_line: 1,
      end_line: 3,
      start_column: 2,
      annotation_level: 'notice' as const,
      message: 'm',
    };

    const statuses = await Promise.all([
      octokit.rest.checks
        .create({ ...REPO, name: 'x', head_sha: HEAD_SHA, conclusion: 'stale' })
        .catch((e) => e.status),
      octokit.rest.checks
        .create({
          ...REPO,
          name: 'x',
          head_sha: HEAD_SHA,
          output: { title: 't', summary: 's', annotations: [annotation] },
        })
        .catch((error) => error.status),
    ]);

    expect(statuses).toEqual([422, 422]);
    expect(
      github.schemaViolations().flatMap((violation) => violation.issues.map((issue) => issue.path)),
    ).toEqual(expect.arrayContaining(['/conclusion', '/output/annotations/0']));
  });

  it('answers a body that is not JSON with 400 and records it', async () => {
    const response = await fetch(`${github.url}/repos/pytorch/pytorch/check-runs`, {
      method: 'POST',
      headers: { authorization: 'token test-token', 'content-type': 'application/json' },
      body: '{"name": "x",',
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ message: 'Problems parsing JSON' });
    expect(github.schemaViolations()).toEqual([
      expect.objectContaining({
        operationId: 'checks/create',
        issues: [{ path: '', message: 'is not valid JSON' }],
      }),
    ]);
  });

  it('filters recorded check runs by repository and head SHA', async () => {
    github.addRun({ repo: 'pytorch/vision', runId: 1, headSha: 'd'.repeat(40) });
    await octokit.rest.checks.create({ ...REPO, name: 'x', head_sha: HEAD_SHA });
    await octokit.rest.checks.create({
      owner: 'pytorch',
      repo: 'vision',
      name: 'y',
      head_sha: 'd'.repeat(40),
    });

    const vision = github.checkRuns({ repo: 'pytorch/vision' });
    const bySha = github.checkRuns({ headSha: HEAD_SHA });

    expect(vision.map((checkRun) => checkRun.name)).toEqual(['y']);
    expect(bySha.map((checkRun) => checkRun.name)).toEqual(['x']);
  });

  it('rejects check runs on a commit the repository does not have', async () => {
    const error = await octokit.rest.checks
      .create({ ...REPO, name: 'x', head_sha: 'b'.repeat(40) })
      .catch((caught) => caught);

    expect(error.status).toBe(422);
    expect(error.response.data.message).toBe(`No commit found for SHA: ${'b'.repeat(40)}`);
    expect(github.checkRuns()).toEqual([]);
  });

  it('answers 404 when updating an unknown check run', async () => {
    const status = await octokit.rest.checks
      .update({ ...REPO, check_run_id: 123_456, conclusion: 'neutral' })
      .catch((error) => error.status);

    expect(status).toBe(404);
  });

  it('requires credentials, and an installation token rather than the App JWT on repository endpoints', async () => {
    const anonymous = new Octokit({ baseUrl: github.url, log: quiet });
    const asApp = new Octokit({
      baseUrl: github.url,
      auth: 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjF9.c2ln',
      log: quiet,
    });

    const statuses = await Promise.all([
      anonymous.rest.actions.getWorkflowRun({ ...REPO, run_id: 101 }).catch((error) => error.status),
      asApp.rest.checks.create({ ...REPO, name: 'x', head_sha: HEAD_SHA }).catch((error) => error.status),
      octokit.rest.apps.getRepoInstallation(REPO).catch((error) => error.status),
    ]);

    expect(statuses).toEqual([401, 403, 401]);
  });

  it('issues installation tokens to a GitHub App authenticating with @octokit/auth-app', async () => {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const app = new Octokit({
      baseUrl: github.url,
      authStrategy: createAppAuth,
      auth: { appId: 1, privateKey },
      log: quiet,
    });
    const { data: installation } = await app.rest.apps.getRepoInstallation(REPO);
    const installed = new Octokit({
      baseUrl: github.url,
      authStrategy: createAppAuth,
      auth: { appId: 1, privateKey, installationId: installation.id },
      log: quiet,
    });

    await installed.rest.checks.create({ ...REPO, name: 'x', head_sha: HEAD_SHA });

    expect(
      github.requests().map(({ method, path, status, auth }) => ({ method, path, status, auth })),
    ).toEqual([
      { method: 'GET', path: '/repos/pytorch/pytorch/installation', status: 200, auth: 'jwt' },
      {
        method: 'POST',
        path: `/app/installations/${installation.id}/access_tokens`,
        status: 201,
        auth: 'jwt',
      },
      { method: 'POST', path: '/repos/pytorch/pytorch/check-runs', status: 201, auth: 'token' },
    ]);
    expect(github.schemaViolations()).toEqual([]);
  });

  it('answers 404 to an access token request for an unknown installation', async () => {
    const asApp = new Octokit({
      baseUrl: github.url,
      auth: 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjF9.c2ln',
      log: quiet,
    });

    const status = await asApp.rest.apps
      .createInstallationAccessToken({ installation_id: 77 })
      .catch((error) => error.status);

    expect(status).toBe(404);
  });
});

describe('Method: LocalGitHub.failNext', () => {
  let github: LocalGitHub;

  beforeAll(async () => {
    github = await startLocalGitHub();
    github.addRun({ repo: 'pytorch/pytorch', runId: 5, headSha: HEAD_SHA, jobs: seedJobs(1) });
  });
  afterAll(() => github.stop());
  beforeEach(() => github.reset());

  it('fails the next matching requests, which plugin-retry retries through', async () => {
    const RetryingOctokit = Octokit.plugin(retry);
    const octokit = new RetryingOctokit({
      baseUrl: github.url,
      auth: 'test-token',
      retry: { retryAfterBaseValue: 1 },
      log: quiet,
    });
    github.failNext({ method: 'POST', pathPattern: '/repos/*/*/check-runs', status: 502, times: 2 });

    const { status } = await octokit.rest.checks.create({ ...REPO, name: 'x', head_sha: HEAD_SHA });

    expect(status).toBe(201);
    expect(github.requests().map((request) => [request.status, request.injected])).toEqual([
      [502, true],
      [502, true],
      [201, false],
    ]);
    expect(github.checkRuns()).toHaveLength(1);
  });

  it('sends a secondary rate limit with retry-after that plugin-throttling honours', async () => {
    const waits: number[] = [];
    const ThrottledOctokit = Octokit.plugin(throttling);
    const octokit = new ThrottledOctokit({
      baseUrl: github.url,
      auth: 'test-token',
      log: quiet,
      throttle: {
        retryAfterBaseValue: 1,
        onRateLimit: () => false,
        onSecondaryRateLimit: (retryAfter: number) => {
          waits.push(retryAfter);
          return true;
        },
      },
    });
    github.failNext({ pathPattern: '/repos/**', status: 403, headers: { 'retry-after': '7' } });

    const { data } = await octokit.rest.actions.getWorkflowRun({ ...REPO, run_id: 5 });

    expect(data.id).toBe(5);
    expect(waits).toEqual([7]);
  });

  it('leaves requests that do not match alone and applies a custom body', async () => {
    const octokit = new Octokit({ baseUrl: github.url, auth: 'test-token', log: quiet });
    github.failNext({
      method: 'PATCH',
      pathPattern: /check-runs\/\d+$/,
      status: 422,
      body: { message: 'nope' },
    });

    const { data } = await octokit.rest.checks.create({ ...REPO, name: 'x', head_sha: HEAD_SHA });
    const error = await octokit.rest.checks
      .update({ ...REPO, check_run_id: data.id, conclusion: 'neutral' })
      .catch((caught) => caught);

    expect(error.status).toBe(422);
    expect(error.response.data).toEqual({ message: 'nope' });
    expect(github.checkRuns()[0]?.conclusion).toBeNull();
  });
});
