import { describe, expect, it } from 'vitest';
import { DashboardConfigError, readDashboardConfig } from '../../services/dashboard/read-dashboard-config';

describe('Function: readDashboardConfig', () => {
  it('reads the State table name', () => {
    // Act
    const config = readDashboardConfig({ OSDC_RCA_STATE_TABLE: ' osdc-rca-State ' });

    // Assess
    expect(config).toEqual({ stateTable: 'osdc-rca-State' });
  });

  it('tells the operator what to set when the table is missing', () => {
    // Act
    const read = () => readDashboardConfig({});

    // Assess
    expect(read).toThrow(DashboardConfigError);
    expect(read).toThrow(/OSDC_RCA_STATE_TABLE is not set/);
  });

  it('rejects a value that cannot be a table name', () => {
    // Act
    const read = () => readDashboardConfig({ OSDC_RCA_STATE_TABLE: 'arn:aws:dynamodb:us-east-1:1:table/x' });

    // Assess
    expect(read).toThrow(/is not a DynamoDB table name/);
  });
});
