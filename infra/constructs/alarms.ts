import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  CAPACITY_METRIC,
  DRIFT_METRIC,
  MAIN_ACCOUNT_SUSPENDED_METRIC,
  METRICS_NAMESPACE,
  OUTCOME_PUBLISH_FAILED_METRIC,
  SERVICE,
  SUBACCOUNT_LIMIT_METRIC,
} from '../../shared/contracts/metric-names.ts';
import type { TenantEventRule } from './tenant-event-rule.ts';

/** What both the alarms and the dashboard watch. */
export interface MonitoredResources {
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  readonly tenantEventsFunction: lambda.IFunction;
  readonly reconcileFunction: lambda.IFunction;
  readonly closeSweepFunction: lambda.IFunction;
  /** Live subaccounts, in percent of the main account's limit, that raise the capacity alarm. @default 80 */
  readonly capacityAlarmPercent?: number;
}

export interface ProvisionerAlarmsProps extends MonitoredResources {
  /** Age of the oldest queued message that raises an alarm. @default Duration.minutes(5) */
  readonly queueAgeThreshold?: Duration;
  /** Email address notified of every alarm. @default - no topic; alarms are visible in the console only */
  readonly alarmEmail?: string;
  /** The EventBridge route, whose router, rule and dead-letter queue are alarmed too. @default - no route */
  readonly eventRoute?: TenantEventRule;
}

const ONE_MINUTE = Duration.minutes(1);
const FIVE_MINUTES = Duration.minutes(5);

/** Any occurrence in the window raises the alarm; a window without data is a quiet one. */
const ANY_IN_WINDOW = {
  threshold: 1,
  evaluationPeriods: 1,
  comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
} as const;

/**
 * A count the tenant-events function emits through Powertools Metrics, which adds its default
 * `service` dimension (the function's POWERTOOLS_SERVICE_NAME) to every metric.
 */
export const tenantEventsCount = (metricName: string, label?: string): cloudwatch.Metric =>
  new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE.tenantEvents },
    statistic: cloudwatch.Stats.SUM,
    period: FIVE_MINUTES,
    label,
  });

/** The reconcile run reports drift once per run; an hour-wide window catches any schedule. */
export const driftMetric = (): cloudwatch.Metric =>
  new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: DRIFT_METRIC,
    dimensionsMap: { service: SERVICE.reconcile },
    statistic: cloudwatch.Stats.SUM,
    period: Duration.hours(1),
  });

/**
 * The close sweep's per-run counts. It runs hourly by default: an hour-wide window holds one run
 * of any schedule up to hourly.
 */
export const closeSweepMetric = (
  metricName: string,
  statistic: string = cloudwatch.Stats.SUM,
  label?: string,
): cloudwatch.Metric =>
  new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE.closeSweep },
    statistic,
    period: Duration.hours(1),
    label,
  });

/** The reconcile run reports capacity once per run: a day-wide window matches the daily schedule. */
export const CAPACITY_PERIOD = Duration.days(1);

/** Live subaccounts and the configured limit, as the reconcile run reports them. */
export const capacityMetrics = (): { live: cloudwatch.Metric; limit: cloudwatch.Metric } => {
  const reported = (metricName: string, statistic: string, label: string) =>
    new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { service: SERVICE.reconcile },
      statistic,
      period: CAPACITY_PERIOD,
      label,
    });
  return {
    // The highest count against the lowest limit of the window: never an optimistic percentage.
    live: reported(CAPACITY_METRIC.liveSubaccounts, cloudwatch.Stats.MAXIMUM, 'live subaccounts'),
    limit: reported(CAPACITY_METRIC.subaccountLimit, cloudwatch.Stats.MINIMUM, 'subaccount limit'),
  };
};

/** The expression of the capacity percentage: the metric carries the limit, so no synth-time constant. */
export const CAPACITY_PERCENT_EXPRESSION = 'live / limit * 100';

/** Live subaccounts in percent of the main account's limit. */
export const capacityPercent = (): cloudwatch.MathExpression =>
  new cloudwatch.MathExpression({
    expression: CAPACITY_PERCENT_EXPRESSION,
    usingMetrics: capacityMetrics(),
    period: CAPACITY_PERIOD,
    label: 'subaccount limit used (%)',
  });

/**
 * Alarms on what needs a person: a dead-lettered event, function errors or throttles, a queue
 * that stopped draining, reconcile drift, a main account that can take no more subaccounts, is
 * close to its limit or is suspended, an outcome event the bus did not take, a failed close
 * sweep, and (with the EventBridge route) any event the route failed to queue. With an email
 * address they notify through an encrypted, TLS-only SNS topic.
 */
export class ProvisionerAlarms extends Construct {
  readonly alarms: readonly cloudwatch.Alarm[];
  readonly topic?: sns.Topic;

  constructor(scope: Construct, id: string, props: ProvisionerAlarmsProps) {
    super(scope, id);
    const queueAgeThreshold = props.queueAgeThreshold ?? Duration.minutes(5);

    this.alarms = [
      new cloudwatch.Alarm(this, 'DeadLetterQueueNotEmpty', {
        alarmDescription: 'A tenant event failed permanently and waits in the dead-letter queue',
        metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: ONE_MINUTE,
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, 'QueueOldestMessageAge', {
        alarmDescription: `The oldest tenant event has waited ${queueAgeThreshold.toSeconds()} s or more`,
        metric: props.queue.metricApproximateAgeOfOldestMessage({
          period: ONE_MINUTE,
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold: queueAgeThreshold.toSeconds(),
        // Three minutes in a row: one slow batch is not an incident, a stuck group is.
        evaluationPeriods: 3,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      ...this.functionAlarms('TenantEvents', props.tenantEventsFunction),
      ...this.functionAlarms('Reconcile', props.reconcileFunction),
      new cloudwatch.Alarm(this, 'ReconcileDrift', {
        alarmDescription: 'The reconcile run found subaccounts and tenant secrets that disagree',
        metric: driftMetric(),
        threshold: 0,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      ...this.mainAccountAlarms(props.capacityAlarmPercent ?? 80),
      new cloudwatch.Alarm(this, 'OutcomePublishFailed', {
        ...ANY_IN_WINDOW,
        alarmDescription:
          'EventBridge did not take an outcome event from the tenant-events function: the record is retried, and consumers of the bus see the outcome late (or, once the record is dead-lettered, not at all).',
        metric: tenantEventsCount(OUTCOME_PUBLISH_FAILED_METRIC),
      }),
      new cloudwatch.Alarm(this, 'CloseSweepErrors', {
        ...ANY_IN_WINDOW,
        alarmDescription:
          'A close sweep failed (the ledger scan failed, or SQS refused a close-due event): closes that are due wait for the next sweep.',
        metric: props.closeSweepFunction.metricErrors({
          period: FIVE_MINUTES,
          statistic: cloudwatch.Stats.SUM,
        }),
      }),
      ...(props.eventRoute === undefined ? [] : this.eventRouteAlarms(props.eventRoute)),
    ];

    if (props.alarmEmail !== undefined) {
      this.topic = this.notificationTopic(props.alarmEmail);
      const action = new actions.SnsAction(this.topic);
      for (const alarm of this.alarms) alarm.addAlarmAction(action);
    }
  }

  private functionAlarms(prefix: string, fn: lambda.IFunction): cloudwatch.Alarm[] {
    const sumPerFiveMinutes = { period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM };
    return [
      new cloudwatch.Alarm(this, `${prefix}Errors`, {
        ...ANY_IN_WINDOW,
        alarmDescription: `The ${prefix} function failed an invocation`,
        metric: fn.metricErrors(sumPerFiveMinutes),
      }),
      new cloudwatch.Alarm(this, `${prefix}Throttles`, {
        ...ANY_IN_WINDOW,
        alarmDescription: `The ${prefix} function was throttled`,
        metric: fn.metricThrottles(sumPerFiveMinutes),
      }),
    ];
  }

  // Twilio refusals no per-tenant retry can fix: the first one already needs a person. The capacity
  // alarm warns before the first one, while there is still time for a support ticket.
  private mainAccountAlarms(capacityAlarmPercent: number): cloudwatch.Alarm[] {
    return [
      new cloudwatch.Alarm(this, 'SubaccountCapacity', {
        alarmDescription: `The main account uses ${capacityAlarmPercent} % or more of its subaccount limit (per the reconcile run): ask Twilio support to raise the limit, or close unused subaccounts, before creates are refused (21480).`,
        metric: capacityPercent(),
        threshold: capacityAlarmPercent,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // No run in the window (or a run that reported nothing) is not a capacity problem.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, 'SubaccountLimitReached', {
        ...ANY_IN_WINDOW,
        alarmDescription:
          'Twilio refused a subaccount create (21480): the main account reached its subaccount limit. New tenants are dead-lettered until Twilio support raises the limit or closed subaccounts free room.',
        metric: tenantEventsCount(SUBACCOUNT_LIMIT_METRIC),
      }),
      new cloudwatch.Alarm(this, 'MainAccountSuspended', {
        ...ANY_IN_WINDOW,
        alarmDescription:
          'Twilio refused a call because the main account is suspended (21476): no tenant event can be applied until the main account is reactivated with Twilio.',
        metric: tenantEventsCount(MAIN_ACCOUNT_SUSPENDED_METRIC),
      }),
    ];
  }

  // Every way an event from the bus can fail to reach the tenant-event queue. The router retries
  // and dead-letters by itself, so a failed or timed-out execution means even the dead-letter
  // queue could not take the event, and throttling means executions wait on Step Functions.
  private eventRouteAlarms(route: TenantEventRule): cloudwatch.Alarm[] {
    const sumPerFiveMinutes = { period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM };
    return [
      new cloudwatch.Alarm(this, 'EventRouteDeadLetterQueueNotEmpty', {
        ...ANY_IN_WINDOW,
        alarmDescription:
          'An event from the bus could not be queued and waits in the EventBridge route dead-letter queue',
        metric: route.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: ONE_MINUTE,
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
      }),
      new cloudwatch.Alarm(this, 'EventRuleFailedInvocations', {
        ...ANY_IN_WINDOW,
        alarmDescription:
          'EventBridge gave up starting the router for an event (it went to the dead-letter queue)',
        metric: route.metricFailedInvocations(sumPerFiveMinutes),
      }),
      new cloudwatch.Alarm(this, 'EventRuleDeadLetterFailed', {
        ...ANY_IN_WINDOW,
        alarmDescription:
          'EventBridge could neither start the router nor dead-letter the event: the event is lost, have the producer publish it again',
        metric: route.metricInvocationsFailedToBeSentToDlq(sumPerFiveMinutes),
      }),
      new cloudwatch.Alarm(this, 'RouterExecutionsFailed', {
        ...ANY_IN_WINDOW,
        alarmDescription:
          'A router execution failed: an event could be sent neither to the tenant-event queue nor to the route dead-letter queue',
        metric: route.router.metricFailed(sumPerFiveMinutes),
      }),
      new cloudwatch.Alarm(this, 'RouterExecutionsTimedOut', {
        ...ANY_IN_WINDOW,
        alarmDescription: 'A router execution timed out before its event was queued or dead-lettered',
        metric: route.router.metricTimedOut(sumPerFiveMinutes),
      }),
      new cloudwatch.Alarm(this, 'RouterExecutionsThrottled', {
        ...ANY_IN_WINDOW,
        alarmDescription: 'Step Functions throttled router executions; events from the bus are delayed',
        metric: route.router.metricThrottled(sumPerFiveMinutes),
      }),
    ];
  }

  private notificationTopic(email: string): sns.Topic {
    // CloudWatch cannot publish to a topic encrypted with the AWS managed key aws/sns, so the
    // topic gets its own key that CloudWatch may use
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html).
    const key = new kms.Key(this, 'TopicKey', {
      description: 'Encrypts subaccount-provisioner alarm notifications',
      enableKeyRotation: true,
      // Notifications are transient: nothing outlives the topic encrypted under this key.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        // In a key policy, "*" means this key.
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    const topic = new sns.Topic(this, 'Topic', {
      displayName: 'Subaccount provisioner alarms',
      masterKey: key,
      enforceSSL: true,
    });
    topic.addSubscription(new subscriptions.EmailSubscription(email));
    return topic;
  }
}
