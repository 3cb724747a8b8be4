import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import {
  CLOSE_SWEEP_METRIC,
  DIMENSION,
  MAIN_ACCOUNT_SUSPENDED_METRIC,
  METRICS_NAMESPACE,
  OUTCOME_METRIC,
  OUTCOME_PUBLISH_FAILED_METRIC,
  SERVICE,
  SUBACCOUNT_LIMIT_METRIC,
  TENANT_BUSY_METRIC,
  TWILIO_ERROR_METRIC,
} from '../../shared/contracts/metric-names.ts';
import { EVENT_TYPES } from '../../shared/domain/event.ts';
import {
  capacityMetrics,
  capacityPercent,
  closeSweepMetric,
  driftMetric,
  type MonitoredResources,
  tenantEventsCount,
} from './alarms.ts';
import type { TenantEventRule } from './tenant-event-rule.ts';

/** The lifecycle event types the handler reports outcomes for: the domain's own list. */
export const TENANT_EVENT_TYPES = EVENT_TYPES;

/** `capacityAlarmPercent` is where the capacity alarm fires, drawn on the capacity chart. */
export interface ProvisionerDashboardProps extends MonitoredResources {
  /** The tenant ledger table, charted for throttles and conditional-write conflicts. */
  readonly ledgerTable: dynamodb.ITable;
  /** The EventBridge route, charted when the stack has one. @default - no route */
  readonly eventRoute?: TenantEventRule;
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

const sum = (label: string): cloudwatch.MetricOptions => ({
  statistic: cloudwatch.Stats.SUM,
  period: PERIOD,
  label,
});

const closeSweepWidget = (fn: lambda.IFunction): cloudwatch.IWidget =>
  new cloudwatch.GraphWidget({
    title: 'Close sweep',
    width: 8,
    left: [
      // A gauge: how many churned tenants wait for their close.
      closeSweepMetric(CLOSE_SWEEP_METRIC.closing, cloudwatch.Stats.MAXIMUM, 'tenants closing'),
      closeSweepMetric(CLOSE_SWEEP_METRIC.queued, cloudwatch.Stats.SUM, 'closes queued'),
      closeSweepMetric(CLOSE_SWEEP_METRIC.failed, cloudwatch.Stats.SUM, 'close-due sends refused'),
    ],
    right: [
      fn.metricErrors({ statistic: cloudwatch.Stats.SUM, period: Duration.hours(1), label: 'sweep errors' }),
    ],
  });

const capacityWidget = (alarmPercent: number): cloudwatch.IWidget => {
  const { live, limit } = capacityMetrics();
  return new cloudwatch.GraphWidget({
    title: 'Subaccount capacity (per reconcile run)',
    width: 8,
    // One point a day: a month shows the trend whatever the dashboard's own range.
    start: '-P30D',
    left: [live, limit],
    right: [capacityPercent()],
    rightYAxis: { min: 0, max: 100, label: '%', showUnits: false },
    rightAnnotations: [{ value: alarmPercent, label: `alarm at ${alarmPercent} %` }],
  });
};

const eventRouteWidgets = (route: TenantEventRule): cloudwatch.IWidget[] => [
  new cloudwatch.GraphWidget({
    title: 'EventBridge router executions',
    width: WIDE,
    left: [
      route.router.metricSucceeded(sum('succeeded')),
      route.router.metricFailed(sum('failed')),
      route.router.metricTimedOut(sum('timed out')),
      route.router.metricThrottled(sum('throttled')),
    ],
  }),
  new cloudwatch.GraphWidget({
    title: 'EventBridge route: undelivered events',
    width: WIDE,
    left: [
      route.metricFailedInvocations(sum('rule failed invocations')),
      route.metricInvocationsFailedToBeSentToDlq(sum('lost (dead-letter failed)')),
    ],
    right: [
      route.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        label: 'route dead-letter queue',
        period: PERIOD,
      }),
    ],
  }),
];

/**
 * One page for the on-call: queue health, outcomes per event type, Twilio errors, latency, drift,
 * main-account refusals, tenant leases and the ledger, the close sweep, subaccount capacity,
 * unpublished outcome events, and the EventBridge route when present.
 */
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
          props.closeSweepFunction.metricDuration({
            statistic: cloudwatch.Stats.MAXIMUM,
            label: 'close-sweep max',
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
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Main account refusals',
        width: 8,
        left: [
          tenantEventsCount(SUBACCOUNT_LIMIT_METRIC, 'subaccount limit (21480)'),
          tenantEventsCount(MAIN_ACCOUNT_SUSPENDED_METRIC, 'main account suspended (21476)'),
        ],
      }),
      new cloudwatch.GraphWidget({
        // A few are normal (a redelivery racing a slow invocation); a steady line is a stuck lease.
        title: 'Records handed back: tenant busy',
        width: 8,
        left: [tenantEventsCount(TENANT_BUSY_METRIC, 'tenant busy')],
      }),
      new cloudwatch.GraphWidget({
        title: 'Tenant ledger',
        width: 8,
        left: [
          props.ledgerTable.metric('ReadThrottleEvents', sum('read throttles')),
          props.ledgerTable.metric('WriteThrottleEvents', sum('write throttles')),
        ],
        // Every ledger write is conditional: refusals mean two invocations met on one tenant.
        right: [props.ledgerTable.metric('ConditionalCheckFailedRequests', sum('conditional write refused'))],
      }),
    );
    this.dashboard.addWidgets(
      closeSweepWidget(props.closeSweepFunction),
      capacityWidget(props.capacityAlarmPercent ?? 80),
      new cloudwatch.GraphWidget({
        title: 'Outcome events not published',
        width: 8,
        left: [tenantEventsCount(OUTCOME_PUBLISH_FAILED_METRIC, 'outcome publish failed')],
      }),
    );
    if (props.eventRoute !== undefined) this.dashboard.addWidgets(...eventRouteWidgets(props.eventRoute));

    this.url = `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards:name=${this.dashboard.dashboardName}`;
  }
}
