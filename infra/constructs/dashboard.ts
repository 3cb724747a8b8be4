import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  DIMENSION,
  METRICS_NAMESPACE,
  OUTCOME_METRIC,
  SERVICE,
  TWILIO_ERROR_METRIC,
} from '../../shared/observability/metric-names.ts';
import { driftMetric } from './alarms.ts';

/** The lifecycle event types the handler reports outcomes for. */
export const TENANT_EVENT_TYPES = [
  'tenant.created',
  'tenant.delinquent',
  'tenant.reinstated',
  'tenant.churned',
] as const;

export interface ProvisionerDashboardProps {
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  readonly tenantEventsFunction: lambda.IFunction;
  readonly reconcileFunction: lambda.IFunction;
  /** @default - the stack name */
  readonly dashboardName?: string;
}

const PERIOD = Duration.minutes(5);
const WIDE = 12;

const outcomeMetrics = (eventType: string): cloudwatch.Metric[] =>
  Object.values(OUTCOME_METRIC).map(
    (metricName) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: SERVICE.tenantEvents, [DIMENSION.eventType]: eventType },
        statistic: cloudwatch.Stats.SUM,
        period: PERIOD,
        label: metricName,
      }),
  );

// Error codes are open-ended, so one SEARCH draws a line per code Twilio has returned.
const twilioErrorsByCode = (): cloudwatch.MathExpression =>
  new cloudwatch.MathExpression({
    expression: `SEARCH('{${METRICS_NAMESPACE},service,${DIMENSION.twilioErrorCode}} MetricName="${TWILIO_ERROR_METRIC}"', 'Sum', ${PERIOD.toSeconds()})`,
    usingMetrics: {},
    period: PERIOD,
    label: '',
  });

/** One page for the on-call: queue health, outcomes per event type, Twilio errors, latency, drift. */
export class ProvisionerDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  /** Console URL of the dashboard. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ProvisionerDashboardProps) {
    super(scope, id);
    const { queue, deadLetterQueue: dlq } = props;
    const fn = props.tenantEventsFunction;

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName ?? Stack.of(this).stackName,
      defaultInterval: Duration.hours(6),
    });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Queue depth (visible messages)',
        width: WIDE,
        left: [
          queue.metricApproximateNumberOfMessagesVisible({ label: 'tenant-events', period: PERIOD }),
          dlq.metricApproximateNumberOfMessagesVisible({ label: 'dead-letter', period: PERIOD }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Age of oldest message (s)',
        width: WIDE,
        left: [
          queue.metricApproximateAgeOfOldestMessage({ label: 'tenant-events', period: PERIOD }),
          dlq.metricApproximateAgeOfOldestMessage({ label: 'dead-letter', period: PERIOD }),
        ],
      }),
    );
    this.dashboard.addWidgets(
      ...TENANT_EVENT_TYPES.map(
        (eventType) =>
          new cloudwatch.GraphWidget({
            title: `Outcomes: ${eventType}`,
            width: 6,
            stacked: true,
            left: outcomeMetrics(eventType),
          }),
      ),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Twilio errors by code',
        width: 8,
        left: [twilioErrorsByCode()],
      }),
      new cloudwatch.GraphWidget({
        title: 'Duration (ms)',
        width: 8,
        left: [
          fn.metricDuration({
            statistic: cloudwatch.Stats.p(50),
            label: 'tenant-events p50',
            period: PERIOD,
          }),
          fn.metricDuration({
            statistic: cloudwatch.Stats.p(99),
            label: 'tenant-events p99',
            period: PERIOD,
          }),
          props.reconcileFunction.metricDuration({
            statistic: cloudwatch.Stats.MAXIMUM,
            label: 'reconcile max',
            period: PERIOD,
          }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Reconcile drift findings',
        width: 8,
        left: [driftMetric()],
      }),
    );

    this.url = `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards:name=${this.dashboard.dashboardName}`;
  }
}
