/** The dashboard's configuration, read once at the edge (Lambda handler, local server) and passed down. */

export interface DashboardConfig {
  /** Name of the State table (docs/data-model.md). */
  readonly stateTable: string;
}

export class DashboardConfigError extends Error {
  override readonly name = 'DashboardConfigError';
}

/** DynamoDB table names: 3 to 255 characters of letters, digits, `_`, `-` and `.`. */
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/**
 * Reads `OSDC_RCA_STATE_TABLE`.
 *
 * @example
 * const config = readDashboardConfig(); // { stateTable: 'osdc-rca-State' }
 */
export function readDashboardConfig(env: NodeJS.ProcessEnv = process.env): DashboardConfig {
  const stateTable = env.OSDC_RCA_STATE_TABLE?.trim();
  if (!stateTable) {
    throw new DashboardConfigError(
      'OSDC_RCA_STATE_TABLE is not set: set it to the name of the State table the analyzer writes (e.g. osdc-rca-State).',
    );
  }
  if (!TABLE_NAME.test(stateTable)) {
    throw new DashboardConfigError(
      `OSDC_RCA_STATE_TABLE="${stateTable}" is not a DynamoDB table name (3-255 of A-Z a-z 0-9 _ - .).`,
    );
  }
  return { stateTable };
}
