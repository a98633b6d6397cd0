/**
 * The osdc-rca stack: composes the constructs from typed configuration and exports exactly what the reporter in
 * the runner pods needs. Every opinion lives in a construct, not here.
 */
import { Annotations, CfnOutput, Duration, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { AnalyzerFunction } from '../constructs/analyzer-function';
import { DashboardFunction } from '../constructs/dashboard-function';
import { GithubAppSecret } from '../constructs/github-app-secret';
import { Monitoring } from '../constructs/monitoring';
import { ReportQueue } from '../constructs/report-queue';
import { RunnerPodRole } from '../constructs/runner-pod-role';
import { StateTables } from '../constructs/state-tables';
import type { InfraConfig } from '../read-infra-config';

export interface OsdcRcaStackProps extends StackProps {
  readonly config: InfraConfig;
}

export class OsdcRcaStack extends Stack {
  readonly reportQueue: ReportQueue;
  readonly tables: StateTables;
  readonly runnerPodRole: RunnerPodRole;
  readonly analyzer: AnalyzerFunction;
  readonly dashboard: DashboardFunction;

  constructor(scope: Construct, id: string, props: OsdcRcaStackProps) {
    super(scope, id, props);
    const { config } = props;
    const analyzerTimeout = Duration.seconds(config.analyzerTimeoutSeconds);
    // Resource tags are how the AWS bill is split by project.
    Tags.of(this).add('project', 'osdc-rca');

    this.reportQueue = new ReportQueue(this, 'Reports', { consumerTimeout: analyzerTimeout });
    this.tables = new StateTables(this, 'Tables');
    const githubApp = new GithubAppSecret(this, 'GithubApp', {
      secretName: `${this.stackName}/github-app-private-key`,
    });
    this.analyzer = new AnalyzerFunction(this, 'Analyzer', {
      reportQueue: this.reportQueue,
      resultsTable: this.tables.results,
      stateTable: this.tables.state,
      githubAppSecret: githubApp.secret,
      githubAppId: config.githubAppId,
      modelId: config.modelId,
      fallbackModelId: config.fallbackModelId,
      dailyBudgetUsd: config.dailyBudgetUsd,
      repoDailyBudgetUsd: config.repoDailyBudgetUsd,
      spendCaps: config.spendCaps,
      timeout: analyzerTimeout,
      maxConcurrency: config.analyzerMaxConcurrency,
      logRetention: config.logRetentionDays,
    });
    this.dashboard = new DashboardFunction(this, 'Dashboard', {
      stateTable: this.tables.state,
      authType: config.dashboardAuth,
      logRetention: config.logRetentionDays,
    });
    this.runnerPodRole = new RunnerPodRole(this, 'RunnerPods', {
      oidcProviderArn: config.oidcProviderArn,
      namespace: config.runnerNamespace,
      serviceAccount: config.runnerServiceAccount,
      queue: this.reportQueue.queue,
      resultsTable: this.tables.results,
    });
    new Monitoring(this, 'Monitoring', {
      reportQueue: this.reportQueue,
      analyzer: this.analyzer.function,
      dashboard: this.dashboard.function,
      dailyBudgetUsd: config.dailyBudgetUsd,
      alarmTopic: config.alarmTopicArn
        ? Topic.fromTopicArn(this, 'AlarmTopic', config.alarmTopicArn)
        : undefined,
      dashboardName: this.stackName,
    });

    new CfnOutput(this, 'QueueUrl', {
      description: 'OSDC_RCA_QUEUE_URL of the runner pods',
      value: this.reportQueue.queue.queueUrl,
    });
    new CfnOutput(this, 'ResultsTable', {
      description: 'OSDC_RCA_RESULTS_TABLE of the runner pods',
      value: this.tables.results.tableName,
    });
    new CfnOutput(this, 'StateTable', {
      description: 'OSDC_RCA_STATE_TABLE for `osdc-rca doctor` (the runner pods never use it)',
      value: this.tables.state.tableName,
    });
    new CfnOutput(this, 'RunnerPodRoleArn', {
      description: `eks.amazonaws.com/role-arn annotation of service account ${config.runnerNamespace}/${config.runnerServiceAccount}`,
      value: this.runnerPodRole.role.roleArn,
    });

    for (const key of config.placeholders) {
      Annotations.of(this).addWarningV2(
        'osdc-rca:placeholder',
        `context ${key} still has the example value from cdk.json: set the real one before deploying (docs/deploy.md)`,
      );
    }
  }
}
