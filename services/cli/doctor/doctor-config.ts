/**
 * What `osdc-rca doctor` and `osdc-rca canary` check, read once at the edge from the same variables the services
 * use (README's configuration table) and from flags, which win.
 */
import { DEFAULT_MODEL_ID } from '../../../shared/contract/constants';
import { DEFAULT_ANALYZER_TIMEOUT_SECONDS } from '../../../shared/contract/queue';

/** Endpoints of the local stand-ins; absent against AWS, where the SDK's own settings (`AWS_ENDPOINT_URL_*`) apply. */
export interface LocalEndpoints {
  readonly sts: string;
  readonly sqs: string;
  readonly dynamodb: string;
  readonly bedrock: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export interface GitHubAppSettings {
  readonly apiUrl: string;
  readonly appId: string | undefined;
  /** Secrets Manager secret holding the App's PEM key (production). */
  readonly privateKeySecretArn: string | undefined;
  /** The PEM key itself (the local stand-in's generated key). */
  readonly privateKey: string | undefined;
  /** `owner/name` of a repository the App must serve. */
  readonly repo: string | undefined;
}

export interface DoctorConfig {
  readonly region: string | undefined;
  readonly queueUrl: string | undefined;
  readonly resultsTable: string | undefined;
  readonly stateTable: string | undefined;
  readonly modelId: string;
  readonly analyzerTimeoutSeconds: number;
  readonly github: GitHubAppSettings;
  readonly runnerRoleArn: string | undefined;
  readonly local: LocalEndpoints | undefined;
}

export interface DoctorFlags {
  readonly repo?: string | undefined;
  readonly runnerRoleArn?: string | undefined;
  readonly modelId?: string | undefined;
  readonly analyzerTimeoutSeconds?: number | undefined;
}

export class DoctorConfigError extends Error {
  override readonly name = 'DoctorConfigError';
}

const REPO = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/**
 * @example
 * const config = readDoctorConfig(process.env, { repo: 'pytorch/pytorch' });
 */
export function readDoctorConfig(env: NodeJS.ProcessEnv, flags: DoctorFlags = {}): DoctorConfig {
  const read = (name: string) => env[name]?.trim() || undefined;
  const { repo } = flags;
  if (repo !== undefined && !REPO.test(repo)) {
    throw new DoctorConfigError(`--repo must be owner/name, got ${JSON.stringify(repo)}`);
  }
  return {
    region: read('AWS_REGION') ?? read('AWS_DEFAULT_REGION'),
    queueUrl: read('OSDC_RCA_QUEUE_URL'),
    resultsTable: read('OSDC_RCA_RESULTS_TABLE'),
    stateTable: read('OSDC_RCA_STATE_TABLE'),
    modelId: flags.modelId ?? read('OSDC_RCA_MODEL_ID') ?? DEFAULT_MODEL_ID,
    analyzerTimeoutSeconds: flags.analyzerTimeoutSeconds ?? DEFAULT_ANALYZER_TIMEOUT_SECONDS,
    github: {
      apiUrl: read('OSDC_RCA_GITHUB_API_URL') ?? 'https://api.github.com',
      appId: read('OSDC_RCA_GITHUB_APP_ID'),
      privateKeySecretArn: read('OSDC_RCA_GITHUB_PRIVATE_KEY_SECRET_ARN'),
      privateKey: undefined,
      repo,
    },
    runnerRoleArn: flags.runnerRoleArn,
    local: undefined,
  };
}
