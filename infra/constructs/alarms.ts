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
import { DRIFT_METRIC, METRICS_NAMESPACE, SERVICE } from '../../shared/observability/metric-names.ts';

export interface ProvisionerAlarmsProps {
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  readonly tenantEventsFunction: lambda.IFunction;
  readonly reconcileFunction: lambda.IFunction;
  /** Age of the oldest queued message that raises an alarm. @default Duration.minutes(5) */
  readonly queueAgeThreshold?: Duration;
  /** Email address notified of every alarm. @default - no topic; alarms are visible in the console only */
  readonly alarmEmail?: string;
}

const ONE_MINUTE = Duration.minutes(1);

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
 * Alarms on what needs a person: a dead-lettered event, function errors or throttles, a queue
 * that stopped draining, and reconcile drift. With an email address they notify through an
 * encrypted, TLS-only SNS topic.
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
    ];

    if (props.alarmEmail !== undefined) {
      this.topic = this.notificationTopic(props.alarmEmail);
      const action = new actions.SnsAction(this.topic);
      for (const alarm of this.alarms) alarm.addAlarmAction(action);
    }
  }

  private functionAlarms(prefix: string, fn: lambda.IFunction): cloudwatch.Alarm[] {
    const sumPerFiveMinutes = { period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM };
    const common = {
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    };
    return [
      new cloudwatch.Alarm(this, `${prefix}Errors`, {
        ...common,
        alarmDescription: `The ${prefix} function failed an invocation`,
        metric: fn.metricErrors(sumPerFiveMinutes),
      }),
      new cloudwatch.Alarm(this, `${prefix}Throttles`, {
        ...common,
        alarmDescription: `The ${prefix} function was throttled`,
        metric: fn.metricThrottles(sumPerFiveMinutes),
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
