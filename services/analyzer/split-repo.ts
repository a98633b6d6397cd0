/** `owner/name` → `[owner, name]`, for Octokit's parameters (names are validated where they enter). */
export function splitRepo(fullName: string): [owner: string, repo: string] {
  const [owner = '', repo = ''] = fullName.split('/');
  return [owner, repo];
}
