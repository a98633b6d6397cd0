/**
 * Picks the secret-looking values of a step's environment (`args.environmentVariables` in the runner's hook request),
 * to be masked exactly wherever they show up in the step's output. Secrets reach a step through `env:`, under names
 * that say what they are; the runner's own metadata (`GITHUB_*`, `RUNNER_*`) is not secret except its tokens.
 */
import { MIN_SECRET_LENGTH } from './redactor';

// Substrings that mark a secret wherever they are in the name (`HF_TOKEN`, `AWS_SECRET_ACCESS_KEY`, `TWINE_PASSWORD`).
const SECRET_NAME =
  /TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|APIKEY|API_KEY|ACCESS_KEY|PRIVATE_KEY/i;
// Whole name parts that mark a secret (`NPM_AUTH`, `SSH_KEY`, `GH_PAT`), but not `MONKEY` or `AUTHOR`.
const SECRET_NAME_PART = /^(?:KEY|AUTH|PAT|PASS|PWD_SECRET|CREDS|COOKIE|SESSION)$/i;
// Names that hold where a secret is, not the secret.
const LOCATION_NAME = /(?:_URL|_URI|_PATH|_FILE|_DIR|_SOCK|_ENDPOINT|_HOST|_REGION|_NAME|_ID)$/i;
const RUN_METADATA = /^(?:GITHUB|RUNNER|ACTIONS|INPUT_GITHUB|CI|HOME|PATH|PWD|SHELL|USER)(?:_|$)/i;
const NOT_SECRET_VALUE = /^(?:true|false|null|none|yes|no|on|off|\d+(?:\.\d+)*|\*+|[/~.].*|[A-Za-z]:\\.*)$/i;

/**
 * @example
 * secretValuesFromEnv({ HF_TOKEN: 'hf_abc…', GITHUB_SHA: '0123…' }) // ['hf_abc…']
 */
export function secretValuesFromEnv(env: Readonly<Record<string, string | undefined>>): string[] {
  const values = new Set<string>();
  for (const [name, raw] of Object.entries(env)) {
    const value = raw?.trim();
    if (!value || value.length < MIN_SECRET_LENGTH || NOT_SECRET_VALUE.test(value)) continue;
    if (!isSecretName(name)) continue;
    values.add(value);
  }
  return [...values];
}

function isSecretName(name: string): boolean {
  const named = SECRET_NAME.test(name) || name.split(/[_-]/).some((part) => SECRET_NAME_PART.test(part));
  if (!named) return false;
  if (LOCATION_NAME.test(name) && !/TOKEN$|SECRET$|PASSWORD$|KEY$/i.test(name)) return false;
  // The runner's own variables are metadata, except the tokens it hands to the job.
  if (RUN_METADATA.test(name) && !/TOKEN|SECRET|PASSWORD/i.test(name)) return false;
  return true;
}
