/**
 * Alarms and a CloudWatch dashboard for the pipeline: reports stuck in the dead-letter queue or waiting too long,
 * analyzer errors and throttles, and model spend approaching the daily budget (the analyzer's own EMF metrics).
 */
import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ANALYZER_METRICS } from './analyzer-function';
import type { ReportQueue } from './report-queue';

export interface MonitoringProps {
  readonly reportQueue: ReportQueue;
  readonly analyzer: IFunction;
  readonly dashboard: IFunction;
  readonly dailyBudgetUsd: number;
  /** Alarms notify this topic when set. */
  readonly alarmTopic?: ITopic;
  readonly dashboardName: string;
}

/** Reports older than this help nobody: the developer has moved on. */
export const OLDEST_REPORT_ALARM_AGE = Duration.hours(1);
/** Warn before the budget runs out and analyses silently become rules-only. */
export const SPEND_ALARM_FRACTION = 0.8;

export class Monitoring extends Construct {
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { queue, deadLetterQueue } = props.reportQueue;
    const fiveMinutes = Duration.minutes(5);
    const analyzerMetric = (metricName: string, period = fiveMinutes) =>
      new Metric({
        namespace: ANALYZER_METRICS.namespace,
        metricName,
        dimensionsMap: { ...ANALYZER_METRICS.dimensions },
        statistic: 'Sum',
        period,
      });
    const spendUsd = (period: Duration) =>
      new MathExpression({
        expression: 'cost / 1000000',
        usingMetrics: { cost: analyzerMetric('EstimatedCostMicroUsd', period) },
        label: 'Estimated model spend (USD)',
        period,
      });

    const alarm = (alarmId: string, description: string, metric: IMetric, threshold: number, periods = 1) =>
      new Alarm(this, alarmId, {
        alarmDescription: `osdc-rca: ${description}`,
        metric,
        threshold,
        evaluationPeriods: periods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    this.alarms = [
      alarm(
        'DeadLetterQueueNotEmpty',
        'reports in the dead-letter queue: invalid bodies or repeated analyzer failures; inspect and redrive',
        deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          statistic: 'Maximum',
          period: fiveMinutes,
        }),
        1,
      ),
      alarm(
        'OldestReportAge',
        `a report has waited over ${OLDEST_REPORT_ALARM_AGE.toHumanString()}: the analyzer is not keeping up or is failing`,
        queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: fiveMinutes }),
        OLDEST_REPORT_ALARM_AGE.toSeconds(),
        3,
      ),
      alarm(
        'AnalyzerErrors',
        'the analyzer failed whole invocations (a record failure is not an error; this is a crash or a timeout)',
        props.analyzer.metricErrors({ statistic: 'Sum', period: fiveMinutes }),
        1,
      ),
      alarm(
        'AnalyzerThrottles',
        'the analyzer was throttled: account concurrency is exhausted despite the event source maximum concurrency',
        props.analyzer.metricThrottles({ statistic: 'Sum', period: fiveMinutes }),
        1,
      ),
      alarm(
        'DailyModelSpend',
        `model spend over the last 24 h reached ${SPEND_ALARM_FRACTION * 100}% of the daily budget (${props.dailyBudgetUsd} USD)`,
        spendUsd(Duration.days(1)),
        props.dailyBudgetUsd * SPEND_ALARM_FRACTION,
      ),
    ];
    if (props.alarmTopic) {
      const action = new SnsAction(props.alarmTopic);
      for (const each of this.alarms) {
        each.addAlarmAction(action);
        each.addOkAction(action);
      }
    }

    const hour = Duration.hours(1);
    new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.days(7),
      widgets: [
        [new AlarmStatusWidget({ title: 'Alarms', alarms: [...this.alarms], width: 24, height: 3 })],
        [
          new GraphWidget({
            title: 'Report queue',
            left: [
              queue.metricNumberOfMessagesSent({ label: 'Reports sent', period: fiveMinutes }),
              queue.metricApproximateNumberOfMessagesVisible({ label: 'Waiting', period: fiveMinutes }),
              deadLetterQueue.metricApproximateNumberOfMessagesVisible({
                label: 'Dead-letter queue',
                period: fiveMinutes,
              }),
            ],
            right: [
              queue.metricApproximateAgeOfOldestMessage({ label: 'Oldest report (s)', period: fiveMinutes }),
            ],
            width: 12,
          }),
          new GraphWidget({
            title: 'Analyzer',
            left: [
              props.analyzer.metricInvocations({ period: fiveMinutes }),
              props.analyzer.metricErrors({ period: fiveMinutes }),
              props.analyzer.metricThrottles({ period: fiveMinutes }),
            ],
            right: [props.analyzer.metricDuration({ statistic: 'p99', period: fiveMinutes })],
            width: 12,
          }),
        ],
        [
          new GraphWidget({
            title: 'Reports and the model',
            left: [
              'Reports',
              'ReportsInvalid',
              'ReportsRejected',
              'CacheHits',
              'CacheMisses',
              'LeaseWaits',
              'ModelCalls',
              'ModelFailures',
              'BudgetExhausted',
              'PublishFailures',
            ].map((name) => analyzerMetric(name, hour)),
            width: 12,
          }),
          new GraphWidget({
            title: 'Model spend (USD per hour)',
            left: [spendUsd(hour)],
            width: 12,
          }),
        ],
        [
          new GraphWidget({
            title: 'Dashboard function',
            left: [
              props.dashboard.metricInvocations({ period: fiveMinutes }),
              props.dashboard.metricErrors({ period: fiveMinutes }),
            ],
            right: [props.dashboard.metricDuration({ statistic: 'p99', period: fiveMinutes })],
            width: 24,
          }),
        ],
      ],
    });
  }
}
