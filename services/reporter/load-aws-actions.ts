/**
 * Loads the AWS part of the reporter on first use. From source this is a plain dynamic import; in the bundle,
 * build.mjs replaces this module with one that compiles the embedded AWS part only when it is first called.
 */
export type AwsActions = typeof import('./aws-actions');

export function loadAwsActions(): Promise<AwsActions> {
  return import('./aws-actions');
}
