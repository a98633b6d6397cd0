import { describe, expect, it } from 'vitest';
import { ANALYZER_METRICS } from '../../infra/constructs/analyzer-function';
import { createAnalyzerDeps } from '../../services/analyzer/create-analyzer-deps';
import { readAnalyzerConfig } from '../../services/analyzer/read-analyzer-config';

describe('Constant: ANALYZER_METRICS', () => {
  it("names the namespace and service dimension of the analyzer's own metrics, which the alarms select", () => {
    // Prepare
    const config = readAnalyzerConfig({
      OSDC_RCA_RESULTS_TABLE: 'r',
      OSDC_RCA_STATE_TABLE: 's',
      OSDC_RCA_DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/dlq',
      OSDC_RCA_ANALYST: 'rules',
      OSDC_RCA_GITHUB_TOKEN: 't',
    });
    const { metrics, sqs, dynamo } = createAnalyzerDeps(config);

    // Act
    metrics.addMetric('Reports', 'Count', 1);
    const emf = metrics.serializeMetrics();
    metrics.clearMetrics();
    sqs.destroy();
    dynamo.destroy();

    // Assess
    const [directive] = emf._aws.CloudWatchMetrics;
    expect(directive?.Namespace).toBe(ANALYZER_METRICS.namespace);
    expect(directive?.Dimensions).toEqual([Object.keys(ANALYZER_METRICS.dimensions)]);
    expect(emf).toMatchObject(ANALYZER_METRICS.dimensions);
  });
});
