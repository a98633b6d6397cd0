import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ANALYZER_METRICS, LEASE_MARGIN_SECONDS } from '../../infra/constructs/analyzer-function';
import { SPEND_ALARM_FRACTION } from '../../infra/constructs/monitoring';
import type { OsdcRcaStack } from '../../infra/stacks/osdc-rca-stack';
import { VISIBILITY_TIMEOUT_FACTOR } from '../../shared/contract/queue';
import { TABLES } from '../../shared/contract/tables';
import { buildTestApp, readCdkJsonContext } from './build-test-app';

interface Statement {
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

const logicalId = (stack: Stack, construct: IConstruct) =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement);

/** Every statement that applies to a role: its inline policies and the AWS::IAM::Policy resources attached to it. */
function statementsOf(template: Template, roleId: string): Statement[] {
  const role = template.toJSON().Resources[roleId];
  const inline = (role.Properties.Policies ?? []).flatMap(
    (policy: { PolicyDocument: { Statement: Statement[] } }) => policy.PolicyDocument.Statement,
  );
  const attached = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
  return [...inline, ...attached];
}

const actionsOf = (statement: Statement) => [statement.Action].flat();

describe('Class: OsdcRcaStack', () => {
  let stack: OsdcRcaStack;
  let template: Template;
  const context = readCdkJsonContext();

  beforeAll(() => {
    ({ stack } = buildTestApp());
    // Synthesizes once, with the cdk-nag AwsSolutions plugin: any unacknowledged finding throws here.
    template = Template.fromStack(stack);
  });

  describe('the report queue', () => {
    it('sends a report to the dead-letter queue after a bounded number of receives', () => {
      // Act
      const dlqArn = stack.resolve(stack.reportQueue.deadLetterQueue.queueArn);

      // Assess
      template.hasResourceProperties('AWS::SQS::Queue', {
        RedrivePolicy: { deadLetterTargetArn: dlqArn, maxReceiveCount: 10 },
      });
    });

    it('encrypts both queues with SQS-managed keys and refuses plain HTTP', () => {
      // Prepare
      const queues = [stack.reportQueue.queue, stack.reportQueue.deadLetterQueue];

      // Act
      const resources = template.toJSON().Resources;

      // Assess
      for (const queue of queues) {
        const id = logicalId(stack, queue);
        expect(resources[id].Properties.SqsManagedSseEnabled).toBe(true);
        expect(resources[id].Properties.KmsMasterKeyId).toBeUndefined();
        template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: id }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Effect: 'Deny',
                Action: 'sqs:*',
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              }),
            ]),
          },
        });
      }
    });

    it('keeps a report invisible for at least six times the analyzer timeout', () => {
      // Prepare
      const resources = template.toJSON().Resources;

      // Act
      const visibility = resources[logicalId(stack, stack.reportQueue.queue)].Properties.VisibilityTimeout;
      const timeout = resources[logicalId(stack, stack.analyzer.function)].Properties.Timeout;

      // Assess
      expect(timeout).toBe(context['osdc-rca:analyzerTimeoutSeconds']);
      expect(visibility).toBeGreaterThanOrEqual(6 * timeout);
      expect(visibility).toBe(VISIBILITY_TIMEOUT_FACTOR * timeout);
    });
  });

  describe('the analyzer', () => {
    it('consumes the queue in batches with partial failures at a bounded concurrency', () => {
      // Act
      const queueArn = stack.resolve(stack.reportQueue.queue.queueArn);

      // Assess
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: queueArn,
        FunctionName: { Ref: logicalId(stack, stack.analyzer.function) },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: Match.anyValue(),
        ScalingConfig: { MaximumConcurrency: context['osdc-rca:analyzerMaxConcurrency'] },
      });
    });

    it('runs on Node 22 on ARM64 with the configuration the handler reads', () => {
      // Prepare
      const resolve = (value: unknown) => stack.resolve(value);

      // Act
      const fn = template.toJSON().Resources[logicalId(stack, stack.analyzer.function)].Properties;

      // Assess
      expect(fn.Runtime).toBe('nodejs22.x');
      expect(fn.Architectures).toEqual(['arm64']);
      expect(fn.Environment.Variables).toMatchObject({
        OSDC_RCA_RESULTS_TABLE: resolve(stack.tables.results.tableName),
        OSDC_RCA_STATE_TABLE: resolve(stack.tables.state.tableName),
        OSDC_RCA_DLQ_URL: resolve(stack.reportQueue.deadLetterQueue.queueUrl),
        OSDC_RCA_QUEUE_URL: resolve(stack.reportQueue.queue.queueUrl),
        OSDC_RCA_MODEL_ID: context['osdc-rca:modelId'],
        OSDC_RCA_FALLBACK_MODEL_ID: context['osdc-rca:fallbackModelId'],
        OSDC_RCA_DAILY_BUDGET_USD: String(context['osdc-rca:dailyBudgetUsd']),
        OSDC_RCA_REPO_DAILY_BUDGET_USD: String(context['osdc-rca:repoDailyBudgetUsd']),
        OSDC_RCA_JOB_MODEL_CALLS: String(context['osdc-rca:jobModelCalls']),
        OSDC_RCA_PR_DAILY_MODEL_CALLS: String(context['osdc-rca:prDailyModelCalls']),
        OSDC_RCA_AUTHOR_DAILY_MODEL_CALLS: String(context['osdc-rca:authorDailyModelCalls']),
        OSDC_RCA_GITHUB_APP_ID: context['osdc-rca:githubAppId'],
        OSDC_RCA_GITHUB_PRIVATE_KEY_SECRET_ARN: { Ref: expect.stringMatching(/^GithubAppSecret/) },
        POWERTOOLS_SERVICE_NAME: ANALYZER_METRICS.dimensions.service,
        POWERTOOLS_METRICS_NAMESPACE: ANALYZER_METRICS.namespace,
      });
    });

    it('holds a lease longer than the function may run, within the time a report stays invisible', () => {
      // Prepare
      const resources = template.toJSON().Resources;

      // Act
      const fn = resources[logicalId(stack, stack.analyzer.function)].Properties;
      const lease = Number(fn.Environment.Variables.OSDC_RCA_LEASE_SECONDS);
      const visibility = resources[logicalId(stack, stack.reportQueue.queue)].Properties.VisibilityTimeout;

      // Assess
      expect(lease).toBeGreaterThan(fn.Timeout);
      expect(lease).toBe(fn.Timeout + LEASE_MARGIN_SECONDS);
      expect(lease).toBeLessThan(visibility);
    });

    it('may shorten the visibility of the records it receives, to retry lease waits soon', () => {
      // Prepare
      const queueArn = stack.resolve(stack.reportQueue.queue.queueArn);

      // Act
      const statements = statementsOf(template, logicalId(stack, stack.analyzer.function.role!));

      // Assess
      expect(
        statements.some(
          (statement) =>
            actionsOf(statement).includes('sqs:ChangeMessageVisibility') &&
            JSON.stringify(statement.Resource) === JSON.stringify(queueArn),
        ),
      ).toBe(true);
    });

    it('may invoke only the configured inference profiles and the foundation models they route to', () => {
      // Prepare
      const roleId = logicalId(stack, stack.analyzer.function.role!);

      // Act
      const bedrock = statementsOf(template, roleId).filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('bedrock:')),
      );
      const resources = bedrock.flatMap((statement) =>
        [statement.Resource].flat().map((r) => JSON.stringify(r)),
      );

      // Assess
      expect(bedrock.flatMap(actionsOf).every((action) => action === 'bedrock:InvokeModel')).toBe(true);
      expect(resources).not.toContain('"*"');
      for (const modelId of [context['osdc-rca:modelId'], context['osdc-rca:fallbackModelId']] as string[]) {
        const model = modelId.replace(/^global\./, '');
        expect(resources.some((r) => r.includes(`:inference-profile/${modelId}"`))).toBe(true);
        expect(resources.some((r) => r.includes(`:bedrock:::foundation-model/${model}"`))).toBe(true);
        const modelStatement = bedrock.find((statement) =>
          JSON.stringify(statement.Resource).includes(`:::foundation-model/${model}"`),
        );
        expect(
          JSON.stringify(modelStatement?.Condition?.StringEquals?.['bedrock:InferenceProfileArn']),
        ).toContain(`:inference-profile/${modelId}"`);
      }
    });

    it('reads and writes items in both tables, sends to the dead-letter queue and reads the App secret', () => {
      // Prepare
      const roleId = logicalId(stack, stack.analyzer.function.role!);
      const resolve = (value: unknown) => JSON.stringify(stack.resolve(value));

      // Act
      const statements = statementsOf(template, roleId).map((statement) => ({
        actions: actionsOf(statement),
        resource: JSON.stringify(statement.Resource),
      }));

      // Assess
      const on = (resource: string) =>
        statements.filter((s) => s.resource.includes(resource)).flatMap((s) => s.actions);
      for (const table of [stack.tables.results, stack.tables.state]) {
        expect(on(resolve(table.tableArn))).toEqual(
          expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']),
        );
        expect(on(resolve(table.tableArn))).not.toContain('dynamodb:Scan');
      }
      expect(on(resolve(stack.reportQueue.deadLetterQueue.queueArn))).toContain('sqs:SendMessage');
      expect(on(resolve(stack.reportQueue.queue.queueArn))).toEqual(
        expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']),
      );
      expect(statements.flatMap((s) => s.actions)).toContain('secretsmanager:GetSecretValue');
    });

    it('may Query the rank indexes it refreshes, each by name, and no other index', () => {
      // Prepare
      const roleId = logicalId(stack, stack.analyzer.function.role!);
      const stateArn = JSON.stringify(stack.resolve(stack.tables.state.tableArn));

      // Act
      const resources = statementsOf(template, roleId)
        .filter((statement) => actionsOf(statement).includes('dynamodb:Query'))
        .flatMap((statement) => [statement.Resource].flat())
        .map((resource) => JSON.stringify(resource));

      // Assess
      for (const index of TABLES.find((table) => table.logicalName === 'State')!.globalIndexes) {
        expect(resources.some((r) => r.includes(stateArn) && r.includes(`/index/${index.indexName}"`))).toBe(
          true,
        );
      }
      expect(resources.some((r) => r.includes('index/*'))).toBe(false);
    });
  });

  describe('the tables', () => {
    it.each(TABLES.map((table) => [table.logicalName, table] as const))(
      'builds the %s table from shared/tables.ts with TTL, PITR and on-demand billing',
      (_name, definition) => {
        // Act
        const table =
          template.toJSON().Resources[logicalId(stack, stack.tables.tables[definition.logicalName])];

        // Assess
        expect(table.Properties).toMatchObject({
          BillingMode: 'PAY_PER_REQUEST',
          TimeToLiveSpecification: { AttributeName: definition.timeToLiveAttribute, Enabled: true },
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          KeySchema: [
            { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
            ...(definition.sortKey ? [{ AttributeName: definition.sortKey.name, KeyType: 'RANGE' }] : []),
          ],
        });
        expect(table.DeletionPolicy).toBe('Retain');
        const indexes = (table.Properties.GlobalSecondaryIndexes ?? []).map(
          (index: { IndexName: string; KeySchema: { AttributeName: string }[] }) => ({
            name: index.IndexName,
            keys: index.KeySchema.map((key) => key.AttributeName),
          }),
        );
        expect(indexes).toEqual(
          definition.globalIndexes.map((index) => ({
            name: index.indexName,
            keys: [index.partitionKey.name, index.sortKey.name],
          })),
        );
      },
    );
  });

  describe('the runner pod role', () => {
    it('trusts only the service account of the runner pods through the cluster OIDC provider', () => {
      // Prepare
      const provider = context['osdc-rca:oidcProviderArn'] as string;
      const issuer = provider.split(':oidc-provider/')[1];

      // Act
      const role = template.toJSON().Resources[logicalId(stack, stack.runnerPodRole.role)].Properties;

      // Assess
      expect(role.AssumeRolePolicyDocument.Statement).toEqual([
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRoleWithWebIdentity',
          Principal: { Federated: provider },
          Condition: {
            StringEquals: {
              [`${issuer}:sub`]: `system:serviceaccount:${context['osdc-rca:runnerNamespace']}:${context['osdc-rca:runnerServiceAccount']}`,
              [`${issuer}:aud`]: 'sts.amazonaws.com',
            },
          },
        },
      ]);
    });

    it('allows exactly SendMessage on the queue and GetItem on result items of the Results table', () => {
      // Prepare
      const roleId = logicalId(stack, stack.runnerPodRole.role);

      // Act
      const statements = statementsOf(template, roleId);
      const role = template.toJSON().Resources[roleId].Properties;

      // Assess
      expect(statements).toEqual([
        {
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Resource: stack.resolve(stack.reportQueue.queue.queueArn),
        },
        {
          Effect: 'Allow',
          Action: 'dynamodb:GetItem',
          Resource: stack.resolve(stack.tables.results.tableArn),
          // Not report items, bindings or the signature cache (docs/security.md, attack 6).
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['result#*'] } },
        },
      ]);
      expect(role.ManagedPolicyArns).toBeUndefined();
    });
  });

  describe('the dashboard', () => {
    it('is served through a function URL with IAM auth by default', () => {
      // Assess
      template.hasResourceProperties('AWS::Lambda::Url', {
        AuthType: 'AWS_IAM',
        TargetFunctionArn: stack.resolve(stack.dashboard.function.functionArn),
      });
    });

    it('may only GetItem and Query the State table and its rank indexes', () => {
      // Prepare
      const roleId = logicalId(stack, stack.dashboard.function.role!);
      const stateArn = JSON.stringify(stack.resolve(stack.tables.state.tableArn));

      // Act
      const dynamo = statementsOf(template, roleId).filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
      );

      // Assess
      expect(dynamo.flatMap(actionsOf).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
      const resources = [dynamo[0]?.Resource].flat().map((resource) => JSON.stringify(resource));
      expect(resources[0]).toBe(stateArn);
      for (const index of TABLES.find((table) => table.logicalName === 'State')!.globalIndexes) {
        expect(resources.some((r) => r.includes(stateArn) && r.includes(`/index/${index.indexName}"`))).toBe(
          true,
        );
      }
      expect(resources.some((r) => r.includes('*'))).toBe(false);
    });
  });

  describe('monitoring', () => {
    it.each([
      ['AWS/SQS', 'ApproximateNumberOfMessagesVisible'],
      ['AWS/SQS', 'ApproximateAgeOfOldestMessage'],
      ['AWS/Lambda', 'Errors'],
      ['AWS/Lambda', 'Throttles'],
    ])('alarms on %s %s', (namespace, metricName) => {
      // Assess
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: namespace,
        MetricName: metricName,
      });
    });

    it('alarms when the day’s estimated model spend nears the daily budget', () => {
      // Prepare
      const threshold = (context['osdc-rca:dailyBudgetUsd'] as number) * SPEND_ALARM_FRACTION;

      // Assess
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Threshold: threshold,
        Metrics: Match.arrayWith([
          Match.objectLike({
            MetricStat: {
              Metric: {
                Namespace: ANALYZER_METRICS.namespace,
                MetricName: 'EstimatedCostMicroUsd',
                Dimensions: [{ Name: 'service', Value: ANALYZER_METRICS.dimensions.service }],
              },
              Period: 86_400,
              Stat: 'Sum',
            },
          }),
        ]),
      });
    });

    it('draws a CloudWatch dashboard', () => {
      // Assess
      template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: stack.stackName });
    });
  });

  it('outputs exactly what the reporter in the runner pods and osdc-rca doctor need', () => {
    // Act
    const outputs = template.toJSON().Outputs;

    // Assess
    expect(outputs).toEqual({
      QueueUrl: expect.objectContaining({ Value: stack.resolve(stack.reportQueue.queue.queueUrl) }),
      ResultsTable: expect.objectContaining({ Value: stack.resolve(stack.tables.results.tableName) }),
      StateTable: expect.objectContaining({ Value: stack.resolve(stack.tables.state.tableName) }),
      RunnerPodRoleArn: expect.objectContaining({ Value: stack.resolve(stack.runnerPodRole.role.roleArn) }),
    });
    expect(outputs.QueueUrl.Description).toContain('OSDC_RCA_QUEUE_URL');
    expect(outputs.ResultsTable.Description).toContain('OSDC_RCA_RESULTS_TABLE');
  });

  it('warns while cdk.json placeholders are still in place', () => {
    // Act
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('oidcProviderArn'));

    // Assess
    expect(warnings).toHaveLength(1);
  });
});

describe('Class: OsdcRcaStack (configured)', () => {
  it('follows the configuration: regional profile, no fallback, public URL, alarm topic, timeout', () => {
    // Prepare
    const topic = 'arn:aws:sns:eu-west-1:111122223333:osdc-alarms';
    const { stack } = buildTestApp({
      'osdc-rca:account': '111122223333',
      'osdc-rca:region': 'eu-west-1',
      'osdc-rca:modelId': 'eu.anthropic.claude-sonnet-4-6',
      'osdc-rca:fallbackModelId': '',
      'osdc-rca:dashboardAuth': 'NONE',
      'osdc-rca:alarmTopicArn': topic,
      'osdc-rca:analyzerTimeoutSeconds': 60,
      'osdc-rca:analyzerMaxConcurrency': 7,
      'osdc-rca:oidcProviderArn':
        'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF',
      'osdc-rca:githubAppId': '987654',
    });

    // Act
    const template = Template.fromStack(stack);

    // Assess
    expect(stack.region).toBe('eu-west-1');
    template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 360 });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ScalingConfig: { MaximumConcurrency: 7 },
    });
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ OSDC_RCA_FALLBACK_MODEL_ID: '' }) },
    });
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain(':bedrock:*::foundation-model/anthropic.claude-sonnet-4-6"');
    expect(policies).toContain(':inference-profile/eu.anthropic.claude-sonnet-4-6');
    expect(policies).not.toContain('opus');
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([topic]);
    expect(
      Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('placeholder|example')),
    ).toEqual([]);
  });
});
