/**
 * Response bodies of the GitHub stand-in: GitHub's own example for each operation (from the OpenAPI fixture) with
 * the seeded facts laid over it, so that every field a client might read exists with the documented type.
 */
import type { GitHubSchemas } from './github-schemas';
import type { PullState, RepoName, RepoState, RunAttemptState } from './github-store';
import type { RecordedCheckRun, RepoPermission, SeedJob } from './github-types';
import type { GitHubOperationId } from './openapi/operations';

type Json = Record<string, unknown>;

export interface GitHubResponses {
  workflowRun(run: RunAttemptState, apiUrl: string): Json;
  job(run: RunAttemptState, job: SeedJob, apiUrl: string): Json;
  checkRun(checkRun: RecordedCheckRun, repo: RepoState, apiUrl: string): Json;
  installation(id: number, repo: RepoState, apiUrl: string): Json;
  installationToken(token: string, expiresAt: string, permissions: unknown): Json;
  pull(pull: PullState, apiUrl: string): Json;
  repository(repo: RepoState, apiUrl: string): Json;
  branch(repo: RepoState, branch: string, apiUrl: string): Json;
  permission(login: string, permission: RepoPermission): Json;
}

export function createGitHubResponses(schemas: GitHubSchemas): GitHubResponses {
  const example = (id: GitHubOperationId): Json =>
    structuredClone(schemas.operation(id).response.example) as Json;
  const exampleJob = (example('actions/list-jobs-for-workflow-run-attempt').jobs as Json[])[0] ?? {};

  return {
    workflowRun(run, apiUrl) {
      const base = example('actions/get-workflow-run');
      const repoApi = `${apiUrl}/repos/${run.repo.fullName}`;
      const runApi = `${repoApi}/actions/runs/${run.runId}`;
      const repository = repositoryBody(base.repository as Json, run.repo, apiUrl);
      const fork = run.headRepo.fullName !== run.repo.fullName;
      const actor = { ...(base.actor as Json), login: run.actor };
      return {
        ...base,
        id: run.runId,
        name: run.workflowName,
        display_title: run.workflowName,
        head_branch: run.headBranch,
        head_sha: run.headSha,
        run_attempt: run.attempt,
        event: run.event,
        status: run.status,
        conclusion: run.conclusion,
        url: runApi,
        html_url: `https://github.com/${run.repo.fullName}/actions/runs/${run.runId}`,
        // As on GitHub: a run from a fork lists no pull requests.
        pull_requests: run.prNumber === undefined || fork ? [] : [pullRequestMinimal(run, apiUrl)],
        created_at: run.createdAt,
        updated_at: run.createdAt,
        run_started_at: run.createdAt,
        jobs_url: `${runApi}/jobs`,
        logs_url: `${runApi}/logs`,
        artifacts_url: `${runApi}/artifacts`,
        cancel_url: `${runApi}/cancel`,
        rerun_url: `${runApi}/rerun`,
        previous_attempt_url: run.attempt > 1 ? `${runApi}/attempts/${run.attempt - 1}` : null,
        head_commit: { ...(base.head_commit as Json), id: run.headSha, tree_id: run.headSha },
        actor,
        triggering_actor: actor,
        repository,
        head_repository: fork
          ? repositoryBody(base.head_repository as Json, run.headRepo, apiUrl)
          : repository,
      };
    },

    job(run, job, apiUrl) {
      const status = job.status ?? 'in_progress';
      const completed = status === 'completed';
      const repoApi = `${apiUrl}/repos/${run.repo.fullName}`;
      return {
        ...structuredClone(exampleJob),
        id: job.id,
        run_id: run.runId,
        run_url: `${repoApi}/actions/runs/${run.runId}`,
        run_attempt: run.attempt,
        head_sha: run.headSha,
        head_branch: run.headBranch,
        workflow_name: run.workflowName,
        url: `${repoApi}/actions/jobs/${job.id}`,
        html_url: `https://github.com/${run.repo.fullName}/actions/runs/${run.runId}/job/${job.id}`,
        check_run_url: `${repoApi}/check-runs/${job.id}`,
        name: job.name,
        status,
        conclusion: job.conclusion ?? (completed ? 'failure' : null),
        created_at: run.createdAt,
        started_at: job.startedAt ?? run.createdAt,
        completed_at: completed ? (job.completedAt ?? run.createdAt) : null,
        runner_name: job.runnerName,
        labels: job.labels ?? ['linux.2xlarge'],
        steps: (
          job.steps ?? [{ name: 'Set up job', number: 1, status: 'completed', conclusion: 'success' }]
        ).map((step) => ({
          name: step.name,
          number: step.number,
          status: step.status ?? 'completed',
          conclusion: step.conclusion ?? (step.status === 'completed' || !step.status ? 'success' : null),
          started_at: step.startedAt ?? run.createdAt,
          completed_at: step.status === 'completed' || !step.status ? run.createdAt : null,
        })),
      };
    },

    checkRun(checkRun, repo, apiUrl) {
      const base = example('checks/create');
      const url = `${apiUrl}/repos/${repo.fullName}/check-runs/${checkRun.id}`;
      return {
        ...base,
        id: checkRun.id,
        node_id: `CR_${checkRun.id}`,
        name: checkRun.name,
        head_sha: checkRun.head_sha,
        external_id: checkRun.external_id,
        details_url: checkRun.details_url,
        status: checkRun.status,
        conclusion: checkRun.conclusion,
        started_at: checkRun.started_at,
        completed_at: checkRun.completed_at,
        url,
        html_url: `https://github.com/${repo.fullName}/runs/${checkRun.id}`,
        output: {
          title: checkRun.output.title,
          summary: checkRun.output.summary,
          text: checkRun.output.text,
          annotations_count: checkRun.output.annotations.length,
          annotations_url: `${url}/annotations`,
        },
        pull_requests: [],
      };
    },

    installation(id, repo, apiUrl) {
      const base = example('apps/get-repo-installation');
      return {
        ...base,
        id,
        account: { ...(base.account as Json), login: repo.owner },
        access_tokens_url: `${apiUrl}/app/installations/${id}/access_tokens`,
        repositories_url: `${apiUrl}/installation/repositories`,
        html_url: `https://github.com/organizations/${repo.owner}/settings/installations/${id}`,
        permissions: { actions: 'read', checks: 'write', metadata: 'read', pull_requests: 'read' },
      };
    },

    installationToken(token, expiresAt, permissions) {
      const { repositories: _omitted, ...base } = example('apps/create-installation-access-token');
      return {
        ...base,
        token,
        expires_at: expiresAt,
        permissions: permissions ?? {
          actions: 'read',
          checks: 'write',
          metadata: 'read',
          pull_requests: 'read',
        },
        repository_selection: 'all',
      };
    },

    pull(pull, apiUrl) {
      const base = example('pulls/get');
      const url = `${apiUrl}/repos/${pull.repo.fullName}/pulls/${pull.number}`;
      const repository = repositoryBody((base.base as Json).repo as Json, pull.repo, apiUrl);
      return {
        ...base,
        id: pull.number + 100_000,
        number: pull.number,
        url,
        html_url: `https://github.com/${pull.repo.fullName}/pull/${pull.number}`,
        state: 'open',
        merged: false,
        merge_commit_sha: pull.mergeCommitSha,
        // GitHub's own example lacks a required `type` in its teams; none is as valid and as likely.
        requested_teams: [],
        user: { ...(base.user as Json), login: pull.author },
        author_association: pull.authorAssociation,
        head: {
          ...(base.head as Json),
          ref: pull.headBranch,
          sha: pull.headSha,
          repo: repositoryBody((base.head as Json).repo as Json, pull.headRepo, apiUrl),
          user: { ...((base.head as Json).user as Json), login: pull.headRepo.owner },
        },
        base: { ...(base.base as Json), ref: 'main', repo: repository },
      };
    },

    repository(repo, apiUrl) {
      // GitHub's example is a fork (with `source` and `parent`) and lacks the required `language`.
      const { source: _source, parent: _parent, ...base } = example('repos/get');
      return {
        ...repositoryBody(base, repo, apiUrl),
        fork: false,
        language: null,
        default_branch: repo.defaultBranch,
      };
    },

    branch(repo, branch, apiUrl) {
      const base = example('repos/get-branch');
      const isProtected = repo.protectedBranches.has(branch);
      return {
        ...base,
        name: branch,
        protected: isProtected,
        protection_url: `${apiUrl}/repos/${repo.fullName}/branches/${branch}/protection`,
        _links: {
          self: `${apiUrl}/repos/${repo.fullName}/branches/${branch}`,
          html: `https://github.com/${repo.fullName}/tree/${branch}`,
        },
      };
    },

    permission(login, permission) {
      const base = example('repos/get-collaborator-permission-level');
      // The API folds maintain into write and triage into read; role_name keeps the exact role.
      const folded = permission === 'maintain' ? 'write' : permission === 'triage' ? 'read' : permission;
      const user = { ...(base.user as Json), login, role_name: permission };
      return { ...base, permission: folded, role_name: permission, user };
    },
  };
}

function repositoryBody(base: Json, repo: RepoName, apiUrl: string): Json {
  return {
    ...base,
    id: repo.id,
    name: repo.name,
    full_name: repo.fullName,
    owner: { ...(base.owner as Json), login: repo.owner },
    html_url: `https://github.com/${repo.fullName}`,
    url: `${apiUrl}/repos/${repo.fullName}`,
  };
}

function pullRequestMinimal(run: RunAttemptState, apiUrl: string): Json {
  const repo = { id: run.repo.id, url: `${apiUrl}/repos/${run.repo.fullName}`, name: run.repo.name };
  return {
    id: (run.prNumber ?? 0) + 100_000,
    number: run.prNumber,
    url: `${apiUrl}/repos/${run.repo.fullName}/pulls/${run.prNumber}`,
    head: { ref: run.headBranch, sha: run.headSha, repo },
    base: { ref: 'main', sha: run.headSha, repo },
  };
}
