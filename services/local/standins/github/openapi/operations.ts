/** The GitHub REST operations the stand-in serves, by the operation ids of GitHub's OpenAPI description. */
export const GITHUB_OPERATIONS = [
  'actions/get-workflow-run',
  'actions/get-workflow-run-attempt',
  'actions/list-jobs-for-workflow-run-attempt',
  'checks/create',
  'checks/update',
  'checks/list-for-ref',
  'apps/get-repo-installation',
  'apps/create-installation-access-token',
  'pulls/get',
  'repos/get',
  'repos/get-branch',
  'repos/get-collaborator-permission-level',
] as const;

export type GitHubOperationId = (typeof GITHUB_OPERATIONS)[number];
