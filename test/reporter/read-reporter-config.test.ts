import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReporterConfigError, readReporterConfig } from '../../services/reporter/read-reporter-config';
import {
  DEFAULT_INLINE_WAIT_MS,
  DEFAULT_REPORT_DEADLINE_MS,
  DEFAULT_RESULT_READ_DEADLINE_MS,
} from '../../shared/contract/constants';

const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/osdc-rca-reports';

describe('Function: readReporterConfig', () => {
  it('returns nothing without a queue URL, so the reporter only passes output through', () => {
    // Act
    const config = readReporterConfig({ AWS_REGION: 'us-east-1', OSDC_RCA_RESULTS_TABLE: 'results' });

    // Assess
    expect(config).toBeUndefined();
  });

  it('returns nothing when the kill switch is on, even with an invalid configuration', () => {
    // Act
    const config = readReporterConfig({ OSDC_RCA_QUEUE_URL: 'not a url', OSDC_RCA_DISABLED: '1' });

    // Assess
    expect(config).toBeUndefined();
  });

  it('applies the defaults and takes the region from the queue URL when no region variable is set', () => {
    // Act
    const config = readReporterConfig({ OSDC_RCA_QUEUE_URL: QUEUE_URL });

    // Assess
    expect(config).toEqual({
      queueUrl: QUEUE_URL,
      resultsTable: undefined,
      region: 'eu-west-1',
      sqsEndpoint: undefined,
      dynamoEndpoint: undefined,
      deadlineMs: DEFAULT_REPORT_DEADLINE_MS,
      resultDeadlineMs: DEFAULT_RESULT_READ_DEADLINE_MS,
      inlineWaitMs: DEFAULT_INLINE_WAIT_MS,
      tailBytes: 256 * 1024,
      windowBytes: 128 * 1024,
      stateDir: join(tmpdir(), 'osdc-rca'),
    });
  });

  it('reads every variable of the documented set', () => {
    // Act
    const config = readReporterConfig({
      OSDC_RCA_QUEUE_URL: 'http://127.0.0.1:4566/000000000000/reports',
      OSDC_RCA_RESULTS_TABLE: 'osdc-rca-Results',
      OSDC_RCA_DEADLINE_MS: '500',
      OSDC_RCA_RESULT_DEADLINE_MS: '300',
      OSDC_RCA_INLINE_WAIT_MS: '0',
      OSDC_RCA_TAIL_BYTES: '65536',
      OSDC_RCA_WINDOW_BYTES: '0',
      OSDC_RCA_STATE_DIR: '/run/osdc-rca',
      AWS_DEFAULT_REGION: 'us-west-2',
      AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:4566',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
    });

    // Assess
    expect(config).toEqual({
      queueUrl: 'http://127.0.0.1:4566/000000000000/reports',
      resultsTable: 'osdc-rca-Results',
      region: 'us-west-2',
      sqsEndpoint: 'http://127.0.0.1:4566',
      dynamoEndpoint: 'http://127.0.0.1:8000',
      deadlineMs: 500,
      resultDeadlineMs: 300,
      inlineWaitMs: 0,
      tailBytes: 65536,
      windowBytes: 0,
      stateDir: '/run/osdc-rca',
    });
  });

  it.each([
    [{ OSDC_RCA_QUEUE_URL: 'sqs://queue' }, 'OSDC_RCA_QUEUE_URL'],
    [{ OSDC_RCA_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/only-one-part' }, 'OSDC_RCA_QUEUE_URL'],
    [{ OSDC_RCA_QUEUE_URL: 'http://127.0.0.1:4566/000000000000/q' }, 'AWS_REGION'],
    [{ OSDC_RCA_QUEUE_URL: QUEUE_URL, OSDC_RCA_DEADLINE_MS: 'soon' }, 'OSDC_RCA_DEADLINE_MS'],
    [{ OSDC_RCA_QUEUE_URL: QUEUE_URL, OSDC_RCA_RESULT_DEADLINE_MS: '5000' }, 'OSDC_RCA_RESULT_DEADLINE_MS'],
    [{ OSDC_RCA_QUEUE_URL: QUEUE_URL, OSDC_RCA_INLINE_WAIT_MS: '60001' }, 'OSDC_RCA_INLINE_WAIT_MS'],
    [{ OSDC_RCA_QUEUE_URL: QUEUE_URL, AWS_ENDPOINT_URL_SQS: 'localhost' }, 'AWS_ENDPOINT_URL_SQS'],
  ])('names the variable to fix in its error (%o)', (env, variable) => {
    // Act
    const read = () => readReporterConfig(env);

    // Assess
    expect(read).toThrow(ReporterConfigError);
    expect(read).toThrow(variable);
  });
});
