/**
 * The runner pod's environment and a failing step's GitHub environment as the reporter benches give them to OSDC's
 * hook wrapper: local credentials, the stand-ins' endpoints, and nothing from the developer's own shell but PATH.
 */
export interface BenchRunnerEnvInput {
  /** The bench's scratch folder: HOME, so no developer AWS profile is read. */
  readonly home: string;
  readonly sqsEndpoint: string;
  readonly queueUrl: string | undefined;
  readonly stateDir: string;
  /** OSDC's real hooks, which the wrapper spawns. */
  readonly hooksPath: string;
  /** DynamoDB and the Results table, when the bench lets the reporter read its result. */
  readonly results?: { readonly endpoint: string; readonly table: string };
}

export function benchRunnerEnv(input: BenchRunnerEnvInput): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: input.home,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_SQS: input.sqsEndpoint,
    ...(input.results
      ? { AWS_ENDPOINT_URL_DYNAMODB: input.results.endpoint, OSDC_RCA_RESULTS_TABLE: input.results.table }
      : {}),
    OSDC_RCA_QUEUE_URL: input.queueUrl,
    OSDC_RCA_STATE_DIR: input.stateDir,
    OSDC_REAL_HOOKS: input.hooksPath,
    RUNNER_NAME: 'arc-runner-bench-0',
  };
}

/** A failing step of a PR's test job. */
export const BENCH_STEP_ENV = {
  GITHUB_REPOSITORY: 'pytorch/pytorch',
  GITHUB_RUN_ID: '12345678901',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_JOB: 'test',
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  GITHUB_REF: 'refs/pull/4242/merge',
} as const;
