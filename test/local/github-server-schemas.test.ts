import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGitHubSchemas, toJsonSchema } from '../../services/local/standins/github/github-schemas';
import { type LocalGitHub, startLocalGitHub } from '../../services/local/standins/github/github-server';
import { GITHUB_OPERATIONS } from '../../services/local/standins/github/openapi/operations';
import { selectOperations } from '../../services/local/standins/github/openapi/select-operations';

const REPO = { owner: 'pytorch', repo: 'pytorch' };
const HEAD_SHA = 'c'.repeat(40);
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describe('Function: loadGitHubSchemas', () => {
  it('holds every operation the stand-in serves, extracted from the installed @octokit/openapi', () => {
    const require = createRequire(import.meta.url);
    const installed = JSON.parse(
      readFileSync(require.resolve('@octokit/openapi/package.json'), 'utf8'),
    ).version;

    const schemas = loadGitHubSchemas();

    // A mismatch means @octokit/openapi was upgraded: re-run services/local/standins/github/openapi/extract-schemas.ts.
    expect(schemas.source.version).toBe(installed);
    for (const id of GITHUB_OPERATIONS) expect(schemas.operation(id).response.schema).toBeDefined();
  });

  it('rejects what GitHub rejects and accepts what it accepts', () => {
    const schemas = loadGitHubSchemas();

    const valid = schemas.validateRequest('checks/create', {
      name: 'n',
      head_sha: HEAD_SHA,
      conclusion: 'neutral',
      output: { title: 't', summary: 's' },
    });
    const invalid = schemas.validateRequest('checks/create', { name: 'n', conclusion: 'maybe' });

    expect(valid).toEqual([]);
    expect(invalid).toEqual(
      expect.arrayContaining([
        { path: '', message: "must have required property 'head_sha'" },
        expect.objectContaining({ path: '/conclusion' }),
      ]),
    );
  });
});

describe('Stand-in: GitHub responses', () => {
  let github: LocalGitHub;
  let octokit: Octokit;

  beforeAll(async () => {
    github = await startLocalGitHub();
    github.addRun({
      repo: 'pytorch/pytorch',
      runId: 3,
      runAttempt: 2,
      headSha: HEAD_SHA,
      prNumber: 9,
      prAuthor: 'forker',
      headRepo: 'forker/pytorch',
      collaborators: { maintainer: 'maintain' },
      protectedBranches: ['release/2.9'],
      jobs: [
        { id: 30, name: 'build', runnerName: 'r-0' },
        {
          id: 31,
          name: 'test',
          runnerName: 'r-1',
          status: 'completed',
          steps: [
            { name: 'Set up job', number: 1 },
            { name: 'Run tests', number: 2, status: 'completed', conclusion: 'failure' },
            { name: 'Upload', number: 3, status: 'queued' },
          ],
        },
      ],
    });
    octokit = new Octokit({ baseUrl: github.url, auth: 'test-token', log: quiet });
  });
  afterAll(() => github.stop());

  it('match the response schemas GitHub publishes for each operation', async () => {
    const schemas = loadGitHubSchemas();
    const created = await octokit.rest.checks.create({ ...REPO, name: 'n', head_sha: HEAD_SHA });
    const app = new Octokit({
      baseUrl: github.url,
      auth: 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjF9.c2ln',
      log: quiet,
    });
    const installation = await app.rest.apps.getRepoInstallation(REPO);
    const bodies = {
      'actions/get-workflow-run': await octokit.rest.actions.getWorkflowRun({ ...REPO, run_id: 3 }),
      'actions/get-workflow-run-attempt': await octokit.rest.actions.getWorkflowRunAttempt({
        ...REPO,
        run_id: 3,
        attempt_number: 2,
      }),
      'actions/list-jobs-for-workflow-run-attempt': await octokit.rest.actions.listJobsForWorkflowRunAttempt({
        ...REPO,
        run_id: 3,
        attempt_number: 2,
      }),
      'checks/create': created,
      'checks/list-for-ref': await octokit.rest.checks.listForRef({ ...REPO, ref: HEAD_SHA }),
      'checks/update': await octokit.rest.checks.update({
        ...REPO,
        check_run_id: created.data.id,
        conclusion: 'neutral',
        output: { title: 't', summary: 's' },
      }),
      'apps/get-repo-installation': installation,
      'apps/create-installation-access-token': await app.rest.apps.createInstallationAccessToken({
        installation_id: installation.data.id,
      }),
      'pulls/get': await octokit.rest.pulls.get({ ...REPO, pull_number: 9 }),
      'repos/get': await octokit.rest.repos.get(REPO),
      'repos/get-branch': await octokit.rest.repos.getBranch({ ...REPO, branch: 'release/2.9' }),
      'repos/get-collaborator-permission-level': await octokit.rest.repos.getCollaboratorPermissionLevel({
        ...REPO,
        username: 'maintainer',
      }),
    } as const;

    const issues = Object.entries(bodies).map(([id, response]) => [
      id,
      schemas.validateResponse(id as keyof typeof bodies, response.data),
    ]);

    expect(Object.keys(bodies).sort()).toEqual([...GITHUB_OPERATIONS].sort());
    expect(issues).toEqual(Object.keys(bodies).map((id) => [id, []]));
  });
});

describe('Stand-in: GitHub trust facts', () => {
  let github: LocalGitHub;
  let octokit: Octokit;

  beforeAll(async () => {
    github = await startLocalGitHub();
    github.addRun({
      repo: 'pytorch/pytorch',
      runId: 4,
      headSha: HEAD_SHA,
      headBranch: 'main',
      prNumber: 10,
      prAuthor: 'forker',
      authorAssociation: 'FIRST_TIME_CONTRIBUTOR',
      headRepo: 'forker/pytorch',
      collaborators: { maintainer: 'maintain' },
      protectedBranches: ['release/2.9'],
    });
    octokit = new Octokit({ baseUrl: github.url, auth: 'test-token', log: quiet });
  });
  afterAll(() => github.stop());

  it("shows a fork PR's author, association and head repository, and lists no PR on the fork's run", async () => {
    // Act
    const { data: run } = await octokit.rest.actions.getWorkflowRun({ ...REPO, run_id: 4 });
    const { data: pull } = await octokit.rest.pulls.get({ ...REPO, pull_number: 10 });

    // Assess
    expect(run.pull_requests).toEqual([]);
    expect(run.head_repository.full_name).toBe('forker/pytorch');
    expect(run.head_branch).toBe('main');
    expect(pull).toMatchObject({
      user: { login: 'forker' },
      author_association: 'FIRST_TIME_CONTRIBUTOR',
      head: { repo: { full_name: 'forker/pytorch' } },
      base: { repo: { full_name: 'pytorch/pytorch' } },
    });
  });

  it('answers permissions, protected branches and the default branch as GitHub does', async () => {
    // Act
    const maintainer = await octokit.rest.repos.getCollaboratorPermissionLevel({
      ...REPO,
      username: 'maintainer',
    });
    const stranger = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...REPO, username: 'forker' });
    const release = await octokit.rest.repos.getBranch({ ...REPO, branch: 'release/2.9' });
    const { data: repository } = await octokit.rest.repos.get(REPO);
    const missing = await octokit.rest.repos.getBranch({ ...REPO, branch: 'nope' }).catch((error) => error);

    // Assess
    expect([maintainer.data.permission, maintainer.data.role_name]).toEqual(['write', 'maintain']);
    expect(stranger.data.permission).toBe('read');
    expect(release.data.protected).toBe(true);
    expect(repository.default_branch).toBe('main');
    expect(missing.status).toBe(404);
    expect(github.schemaViolations()).toEqual([]);
  });
});

describe('Function: selectOperations', () => {
  const spec = {
    paths: {
      '/things/{id}': {
        parameters: [],
        patch: {
          operationId: 'things/update',
          externalDocs: { url: 'https://docs.example/things' },
          requestBody: { $ref: '#/components/requestBodies/thing-body' },
          responses: {
            '404': { $ref: '#/components/responses/not_found' },
            '200': { $ref: '#/components/responses/thing' },
          },
        },
        get: { operationId: 'things/get', responses: { '200': { $ref: '#/components/responses/thing' } } },
      },
    },
    components: {
      requestBodies: {
        'thing-body': {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/thing-input' } } },
        },
      },
      responses: {
        not_found: { content: { 'application/json': { schema: { $ref: '#/components/schemas/error' } } } },
        thing: {
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/thing' },
              examples: { default: { $ref: '#/components/examples/thing' } },
            },
          },
        },
      },
      schemas: {
        thing: { type: 'object', properties: { owner: { $ref: '#/components/schemas/user' } } },
        'thing-input': { type: 'object', properties: { name: { type: 'string' } } },
        user: { type: 'object', properties: { login: { type: 'string' } } },
        error: { type: 'object' },
        unrelated: { type: 'string' },
      },
      examples: { thing: { value: { owner: { login: 'octocat' } } } },
    },
  };
  const source = { package: 'p', version: '1', file: 'f' };

  it('keeps the request body, success response, example and referenced schemas of the chosen operations', () => {
    const fixture = selectOperations(spec, ['things/update'], source);

    expect(fixture.operations).toEqual({
      'things/update': {
        method: 'patch',
        path: '/things/{id}',
        docsUrl: 'https://docs.example/things',
        requestBody: { $ref: '#/components/schemas/thing-input' },
        requestBodyRequired: true,
        response: {
          status: 200,
          schema: { $ref: '#/components/schemas/thing' },
          example: { owner: { login: 'octocat' } },
        },
      },
    });
    expect(Object.keys(fixture.components.schemas)).toEqual(['thing', 'thing-input', 'user']);
  });

  it('throws when an operation is missing from the spec', () => {
    expect(() => selectOperations(spec, ['things/get', 'things/delete'], source)).toThrow(
      'operations not in the spec: things/delete',
    );
  });
});

describe('Function: toJsonSchema', () => {
  it('turns OpenAPI nullable schemas into JSON Schema unions with null', () => {
    const converted = toJsonSchema({
      type: 'object',
      properties: {
        name: { type: 'string', nullable: true },
        state: { type: 'string', enum: ['open'], nullable: true },
        owner: { nullable: true, allOf: [{ $ref: '#/components/schemas/user' }] },
        plain: { type: 'integer', nullable: false },
      },
    });

    expect(converted).toEqual({
      type: 'object',
      properties: {
        name: { type: ['string', 'null'] },
        state: { type: ['string', 'null'], enum: ['open', null] },
        owner: { anyOf: [{ allOf: [{ $ref: '#/components/schemas/user' }] }, { type: 'null' }] },
        plain: { type: 'integer', nullable: false },
      },
    });
  });
});
