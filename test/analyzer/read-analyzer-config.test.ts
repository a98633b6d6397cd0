import { describe, expect, it } from 'vitest';
import { AnalyzerConfigError, readAnalyzerConfig } from '../../services/analyzer/read-analyzer-config';
import { DEFAULT_FALLBACK_MODEL_ID, DEFAULT_MODEL_ID } from '../../shared/contract/constants';

const BASE = {
  OSDC_RCA_RESULTS_TABLE: 'osdc-rca-Results',
  OSDC_RCA_STATE_TABLE: 'osdc-rca-State',
  OSDC_RCA_DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/osdc-rca-dlq',
  OSDC_RCA_GITHUB_TOKEN: 'ghp_local',
};

describe('Function: readAnalyzerConfig', () => {
  it('applies the defaults', () => {
    // Act
    const config = readAnalyzerConfig(BASE);

    // Assess
    expect(config).toEqual({
      resultsTable: 'osdc-rca-Results',
      stateTable: 'osdc-rca-State',
      dlqUrl: BASE.OSDC_RCA_DLQ_URL,
      analyst: 'bedrock',
      modelId: DEFAULT_MODEL_ID,
      fallbackModelId: DEFAULT_FALLBACK_MODEL_ID,
      contextBudgetBytes: 24 * 1024,
      dailyBudgetUsd: 50,
      repoDailyBudgetUsd: 20,
      cacheTtlDays: 7,
      spendCaps: { perJob: 2, perPrPerDay: 15, perAuthorPerDay: 25 },
      reportWindowSeconds: 600,
      leaseSeconds: 240,
      leaseRetrySeconds: 5,
      queueUrl: undefined,
      githubApiUrl: 'https://api.github.com',
      githubAuth: { kind: 'token', token: 'ghp_local' },
    });
  });

  it('reads every variable', () => {
    // Act
    const config = readAnalyzerConfig({
      ...BASE,
      OSDC_RCA_GITHUB_TOKEN: '',
      OSDC_RCA_ANALYST: 'rules',
      OSDC_RCA_MODEL_ID: 'm1',
      OSDC_RCA_FALLBACK_MODEL_ID: '',
      OSDC_RCA_CONTEXT_BUDGET_BYTES: '8192',
      OSDC_RCA_DAILY_BUDGET_USD: '12.5',
      OSDC_RCA_REPO_DAILY_BUDGET_USD: '0',
      OSDC_RCA_CACHE_TTL_DAYS: '3',
      OSDC_RCA_JOB_MODEL_CALLS: '1',
      OSDC_RCA_PR_DAILY_MODEL_CALLS: '5',
      OSDC_RCA_AUTHOR_DAILY_MODEL_CALLS: '0',
      OSDC_RCA_REPORT_WINDOW_SECONDS: '120',
      OSDC_RCA_LEASE_SECONDS: '60',
      OSDC_RCA_LEASE_RETRY_SECONDS: '7',
      OSDC_RCA_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/osdc-rca-reports',
      OSDC_RCA_GITHUB_API_URL: 'http://127.0.0.1:9999/',
      OSDC_RCA_GITHUB_APP_ID: '12345',
      OSDC_RCA_GITHUB_PRIVATE_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:gh-key',
    });

    // Assess
    expect(config).toMatchObject({
      analyst: 'rules',
      modelId: 'm1',
      fallbackModelId: undefined,
      contextBudgetBytes: 8192,
      dailyBudgetUsd: 12.5,
      repoDailyBudgetUsd: 0,
      cacheTtlDays: 3,
      spendCaps: { perJob: 1, perPrPerDay: 5, perAuthorPerDay: 0 },
      reportWindowSeconds: 120,
      leaseSeconds: 60,
      leaseRetrySeconds: 7,
      queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/osdc-rca-reports',
      githubApiUrl: 'http://127.0.0.1:9999',
      githubAuth: {
        kind: 'app',
        appId: 12345,
        privateKeySecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:gh-key',
      },
    });
  });

  it('names every bad variable and what it must be', () => {
    // Act
    const read = () =>
      readAnalyzerConfig({
        OSDC_RCA_STATE_TABLE: 'x',
        OSDC_RCA_DLQ_URL: 'not a url',
        OSDC_RCA_ANALYST: 'gpt',
        OSDC_RCA_LEASE_SECONDS: '1.5',
        OSDC_RCA_LEASE_RETRY_SECONDS: '0',
        OSDC_RCA_QUEUE_URL: 'reports',
        OSDC_RCA_GITHUB_TOKEN: 't',
      });

    // Assess
    expect(read).toThrow(AnalyzerConfigError);
    try {
      read();
    } catch (error) {
      const configError = error as AnalyzerConfigError;
      expect(configError.variables).toEqual([
        'OSDC_RCA_RESULTS_TABLE',
        'OSDC_RCA_DLQ_URL',
        'OSDC_RCA_ANALYST',
        'OSDC_RCA_LEASE_SECONDS',
        'OSDC_RCA_LEASE_RETRY_SECONDS',
        'OSDC_RCA_QUEUE_URL',
      ]);
      expect(configError.message).toContain('OSDC_RCA_QUEUE_URL must be the report queue URL');
      expect(configError.message).toContain('OSDC_RCA_ANALYST must be "bedrock" or "rules"');
      expect(configError.message).toContain('OSDC_RCA_LEASE_SECONDS must be a whole number from 10 to 3600');
    }
  });

  it('asks for GitHub credentials, and for both halves of the App', () => {
    // Act
    const none = () => readAnalyzerConfig({ ...BASE, OSDC_RCA_GITHUB_TOKEN: undefined });
    const half = () => readAnalyzerConfig({ ...BASE, OSDC_RCA_GITHUB_APP_ID: '1' });

    // Assess
    expect(none).toThrow(/no GitHub credentials: set OSDC_RCA_GITHUB_APP_ID/);
    expect(half).toThrow(/needs both OSDC_RCA_GITHUB_APP_ID and OSDC_RCA_GITHUB_PRIVATE_KEY_SECRET_ARN/);
  });
});
