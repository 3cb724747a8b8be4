import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { CAPACITY_PERCENT_EXPRESSION } from '../../../infra/constructs/alarms.ts';
import { TENANT_EVENT_TYPES } from '../../../infra/constructs/dashboard.ts';
import {
  CAPACITY_METRIC,
  CLOSE_SWEEP_METRIC,
  DRIFT_METRIC,
  MAIN_ACCOUNT_SUSPENDED_METRIC,
  METRICS_NAMESPACE,
  OUTCOME_METRIC,
  OUTCOME_PUBLISH_FAILED_METRIC,
  SUBACCOUNT_LIMIT_METRIC,
  TENANT_BUSY_METRIC,
  TWILIO_ERROR_METRIC,
} from '../../../shared/contracts/metric-names.ts';
import { resourceOf, synthStack } from './synth.ts';

type Alarm = Record<string, unknown>;

const alarmsOf = (template: ReturnType<typeof synthStack>['template']): Alarm[] =>
  Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((r) => r.Properties as Alarm);

/**
 * The queues (2), errors and throttles of the lifecycle and reconcile functions (4), drift, the two
 * main-account refusals, capacity, unpublished outcomes, close-sweep errors, and six on the
 * EventBridge route.
 */
const ALARM_COUNT = { withRoute: 18, withoutRoute: 12 } as const;

const ANY_IN_FIVE_MINUTES = {
  Statistic: 'Sum',
  Period: 300,
  EvaluationPeriods: 1,
  Threshold: 1,
  ComparisonOperator: 'GreaterThanOrEqualToThreshold',
  TreatMissingData: 'notBreaching',
};

describe('alarms', () => {
  const { template } = synthStack();
  const alarms = alarmsOf(template);
  const queueName = (prefix: string) => ({
    'Fn::GetAtt': [resourceOf(template, 'AWS::SQS::Queue', prefix).id, 'QueueName'],
  });
  const fnRef = (prefix: string) => ({ Ref: resourceOf(template, 'AWS::Lambda::Function', prefix).id });
  const find = (metricName: string, dimension: unknown): Alarm | undefined =>
    alarms.find(
      (a) =>
        a.MetricName === metricName && JSON.stringify(a.Dimensions ?? []).includes(JSON.stringify(dimension)),
    );

  it('fires when the dead-letter queue holds a message', () => {
    expect(
      find('ApproximateNumberOfMessagesVisible', queueName('TenantEventsDeadLetterQueue')),
    ).toMatchObject({
      Namespace: 'AWS/SQS',
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('fires when the oldest message is older than the configured age', () => {
    expect(find('ApproximateAgeOfOldestMessage', queueName('TenantEventsQueue'))).toMatchObject({
      Threshold: 300,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    const custom = alarmsOf(synthStack({ queueAgeAlarmSeconds: '900' }).template);
    expect(custom.find((a) => a.MetricName === 'ApproximateAgeOfOldestMessage')?.Threshold).toBe(900);
  });

  it.each(['Errors', 'Throttles'])('fires on %s of either function', (metricName) => {
    for (const prefix of ['TenantEventsFunctionHandlerFunction', 'ReconcileHandlerFunction']) {
      expect(find(metricName, { Name: 'FunctionName', Value: fnRef(prefix) })).toMatchObject({
        Namespace: 'AWS/Lambda',
        Statistic: 'Sum',
        Threshold: 1,
      });
    }
  });

  it('fires on any reconcile drift', () => {
    expect(alarms.find((a) => a.MetricName === DRIFT_METRIC)).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      Dimensions: [{ Name: 'service', Value: 'reconcile' }],
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it.each([
    [SUBACCOUNT_LIMIT_METRIC, 'SubaccountLimitReached'],
    [MAIN_ACCOUNT_SUSPENDED_METRIC, 'MainAccountSuspended'],
  ])('fires on the first %s of the tenant-events function in five minutes', (metricName, expected) => {
    expect(metricName).toBe(expected);
    const matching = alarms.filter((a) => a.MetricName === metricName);
    expect(matching).toHaveLength(1);
    expect(matching[0]).toMatchObject({
      ...ANY_IN_FIVE_MINUTES,
      Namespace: METRICS_NAMESPACE,
      // Powertools' default dimension: the function's service name.
      Dimensions: [{ Name: 'service', Value: 'tenant-events' }],
    });
  });

  it('fires on the first outcome event EventBridge did not take in five minutes', () => {
    const matching = alarms.filter((a) => a.MetricName === OUTCOME_PUBLISH_FAILED_METRIC);
    expect(OUTCOME_PUBLISH_FAILED_METRIC).toBe('OutcomePublishFailed');
    expect(matching).toEqual([
      expect.objectContaining({
        ...ANY_IN_FIVE_MINUTES,
        Namespace: METRICS_NAMESPACE,
        Dimensions: [{ Name: 'service', Value: 'tenant-events' }],
      }),
    ]);
  });

  it('fires on any close-sweep error, and only errors: a throttled scheduled run is retried by Lambda', () => {
    const sweep = { Name: 'FunctionName', Value: fnRef('CloseSweepHandlerFunction') };
    expect(find('Errors', sweep)).toMatchObject({ ...ANY_IN_FIVE_MINUTES, Namespace: 'AWS/Lambda' });
    expect(find('Throttles', sweep)).toBeUndefined();
  });

  describe('subaccount capacity', () => {
    const capacityAlarms = (from: Alarm[]) =>
      from.filter((a) => JSON.stringify(a.Metrics ?? []).includes(CAPACITY_METRIC.liveSubaccounts));
    const reported = (metricName: string, stat: string, id: string) => ({
      Id: id,
      Label: expect.any(String),
      MetricStat: {
        Metric: {
          Namespace: METRICS_NAMESPACE,
          MetricName: metricName,
          Dimensions: [{ Name: 'service', Value: 'reconcile' }],
        },
        Period: 86_400,
        Stat: stat,
      },
      ReturnData: false,
    });

    it('fires when live subaccounts reach 80 % of the limit the reconcile run reports, by metric math over a day', () => {
      const [alarm, ...others] = capacityAlarms(alarms);
      expect(others).toEqual([]);
      expect(CAPACITY_PERCENT_EXPRESSION).toBe('live / limit * 100');
      expect(alarm).toMatchObject({
        Threshold: 80,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
      expect(alarm!.MetricName).toBeUndefined();
      expect(alarm!.Metrics).toEqual([
        {
          Id: expect.any(String),
          Expression: 'live / limit * 100',
          Label: expect.any(String),
          ReturnData: true,
        },
        // The highest count against the lowest limit of the day.
        reported(CAPACITY_METRIC.liveSubaccounts, 'Maximum', 'live'),
        reported(CAPACITY_METRIC.subaccountLimit, 'Minimum', 'limit'),
      ]);
    });

    it('takes its threshold from capacityAlarmPercent, and never a limit fixed at synth', () => {
      const [alarm] = capacityAlarms(
        alarmsOf(synthStack({ capacityAlarmPercent: '95', subaccountLimit: '5000' }).template),
      );
      expect(alarm).toMatchObject({ Threshold: 95 });
      expect(alarm!.AlarmDescription).toContain('95 %');
      expect(JSON.stringify(alarm)).not.toContain('5000');
    });
  });

  it('does not alarm on TenantBusy: a stuck lease already shows as queue age and then a dead letter', () => {
    expect(alarms.filter((a) => a.MetricName === TENANT_BUSY_METRIC)).toEqual([]);
  });

  describe('EventBridge route', () => {
    const router = { Ref: resourceOf(template, 'AWS::StepFunctions::StateMachine', 'EventBridgeRouter').id };
    const ruleName = { Ref: resourceOf(template, 'AWS::Events::Rule', 'EventBridgeRule').id };

    it.each(['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionThrottled'])(
      'fires on router %s',
      (metricName) => {
        expect(find(metricName, { Name: 'StateMachineArn', Value: router })).toMatchObject({
          ...ANY_IN_FIVE_MINUTES,
          Namespace: 'AWS/States',
        });
      },
    );

    it.each(['FailedInvocations', 'InvocationsFailedToBeSentToDlq'])(
      'fires on rule %s, dimensioned by RuleName alone on the default bus',
      (metricName) => {
        expect(find(metricName, { Name: 'RuleName', Value: ruleName })).toMatchObject({
          ...ANY_IN_FIVE_MINUTES,
          Namespace: 'AWS/Events',
          Dimensions: [{ Name: 'RuleName', Value: ruleName }],
        });
      },
    );

    it('dimensions rule metrics of another bus by EventBusName and RuleName', () => {
      const custom = synthStack({ eventBusName: 'saas-platform' }).template;
      const customRule = { Ref: resourceOf(custom, 'AWS::Events::Rule', 'EventBridgeRule').id };
      const failed = alarmsOf(custom).filter((a) => a.Namespace === 'AWS/Events');
      expect(failed).toHaveLength(2);
      for (const alarm of failed) {
        expect(alarm.Dimensions).toEqual([
          { Name: 'EventBusName', Value: 'saas-platform' },
          { Name: 'RuleName', Value: customRule },
        ]);
      }
    });

    it('fires when the route dead-letter queue holds a message', () => {
      expect(
        find('ApproximateNumberOfMessagesVisible', queueName('EventBridgeDeadLetterQueue')),
      ).toMatchObject({
        Namespace: 'AWS/SQS',
        Statistic: 'Maximum',
        Period: 60,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    });

    it('has no route alarms without the route', () => {
      const custom = alarmsOf(synthStack({ eventBridgeRule: 'false' }).template);
      expect(custom).toHaveLength(ALARM_COUNT.withoutRoute);
      expect(custom.filter((a) => a.Namespace === 'AWS/States' || a.Namespace === 'AWS/Events')).toEqual([]);
    });
  });

  it('describes every alarm for the person it wakes', () => {
    for (const alarm of alarms) expect((alarm.AlarmDescription as string).length).toBeGreaterThan(20);
  });

  it('has no topic and no actions without an alarm email', () => {
    expect(alarms).toHaveLength(ALARM_COUNT.withRoute);
    template.resourceCountIs('AWS::SNS::Topic', 0);
    for (const alarm of alarms) expect(alarm.AlarmActions).toBeUndefined();
  });

  describe('with alarmEmail', () => {
    const custom = synthStack({ alarmEmail: 'ops@example.com' }).template;
    const topic = resourceOf(custom, 'AWS::SNS::Topic', 'AlarmsTopic');
    const key = resourceOf(custom, 'AWS::KMS::Key', 'AlarmsTopicKey');

    it('subscribes the address to an encrypted topic', () => {
      custom.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'ops@example.com',
        TopicArn: { Ref: topic.id },
      });
      expect(topic.properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [key.id, 'Arn'] });
      expect(key.properties.EnableKeyRotation).toBe(true);
      custom.hasResource('AWS::KMS::Key', {
        Properties: { Description: Match.stringLikeRegexp('alarm') },
        DeletionPolicy: 'Delete',
      });
    });

    it('lets CloudWatch use the topic key', () => {
      custom.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            }),
          ]),
        },
      });
    });

    it('refuses publishing over plain HTTP', () => {
      custom.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: topic.id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it('sends every alarm to the topic', () => {
      const withActions = alarmsOf(custom);
      expect(withActions).toHaveLength(ALARM_COUNT.withRoute);
      for (const alarm of withActions) expect(alarm.AlarmActions).toEqual([{ Ref: topic.id }]);
    });
  });
});

describe('dashboard', () => {
  const { template } = synthStack();
  const dashboard = resourceOf(template, 'AWS::CloudWatch::Dashboard', 'Dashboard');
  // The body is a Fn::Join of JSON fragments and tokens; joining the strings is enough to search it.
  const body = (dashboard.properties.DashboardBody as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1]
    .map((part) => (typeof part === 'string' ? part : JSON.stringify(part)))
    .join('');

  it('is named after the stack', () => {
    expect(dashboard.properties.DashboardName).toBe('TestStack');
  });

  it('charts depth and age of both queues', () => {
    expect(body).toContain('"ApproximateNumberOfMessagesVisible"');
    expect(body).toContain('"ApproximateAgeOfOldestMessage"');
    for (const prefix of ['TenantEventsQueue', 'TenantEventsDeadLetterQueue']) {
      expect(body).toContain(resourceOf(template, 'AWS::SQS::Queue', prefix).id);
    }
  });

  it('charts every outcome for every event type under the tenant-events service', () => {
    for (const eventType of TENANT_EVENT_TYPES) {
      expect(body).toContain(`"title":"Outcomes: ${eventType}"`);
      for (const metricName of Object.values(OUTCOME_METRIC)) {
        expect(body).toContain(
          `["${METRICS_NAMESPACE}","${metricName}","eventType","${eventType}","service","tenant-events"`,
        );
      }
    }
  });

  it('searches Twilio errors by code, and charts duration and drift', () => {
    expect(body).toContain(
      `SEARCH('{${METRICS_NAMESPACE},service,twilioErrorCode} MetricName=\\"${TWILIO_ERROR_METRIC}\\"', 'Sum', 300)`,
    );
    expect(body).toContain('"Duration"');
    expect(body).toContain(`["${METRICS_NAMESPACE}","${DRIFT_METRIC}","service","reconcile"`);
  });

  it('charts the main-account refusals and tenant-busy hand-backs of the tenant-events service', () => {
    for (const metricName of [SUBACCOUNT_LIMIT_METRIC, MAIN_ACCOUNT_SUSPENDED_METRIC, TENANT_BUSY_METRIC]) {
      expect(body).toContain(`["${METRICS_NAMESPACE}","${metricName}","service","tenant-events"`);
    }
    expect(body).toContain('"title":"Main account refusals"');
    expect(body).toContain('"title":"Records handed back: tenant busy"');
  });

  it('charts ledger throttles and refused conditional writes', () => {
    const table = resourceOf(template, 'AWS::DynamoDB::Table', 'TenantLedgerTable').id;
    for (const metricName of [
      'ReadThrottleEvents',
      'WriteThrottleEvents',
      'ConditionalCheckFailedRequests',
    ]) {
      expect(body).toContain(`["AWS/DynamoDB","${metricName}","TableName","{"Ref":"${table}"}"`);
    }
  });

  it('charts the close sweep: tenants closing, closes queued, refused sends and errors', () => {
    expect(body).toContain('"title":"Close sweep"');
    for (const metricName of Object.values(CLOSE_SWEEP_METRIC)) {
      expect(body).toContain(`["${METRICS_NAMESPACE}","${metricName}","service","close-sweep"`);
    }
    expect(CLOSE_SWEEP_METRIC).toMatchObject({ closing: 'TenantsClosing', queued: 'ClosesQueued' });
    const sweep = resourceOf(template, 'AWS::Lambda::Function', 'CloseSweepHandlerFunction').id;
    expect(body).toContain(`["AWS/Lambda","Errors","FunctionName","{"Ref":"${sweep}"}"`);
  });

  it('charts live subaccounts, the limit and the percentage used, with the alarm line', () => {
    expect(body).toContain('"title":"Subaccount capacity (per reconcile run)"');
    for (const metricName of Object.values(CAPACITY_METRIC)) {
      expect(body).toContain(`["${METRICS_NAMESPACE}","${metricName}","service","reconcile"`);
    }
    expect(body).toContain('"expression":"live / limit * 100"');
    expect(body).toContain('"value":80');
    const custom = resourceOf(
      synthStack({ capacityAlarmPercent: '70' }).template,
      'AWS::CloudWatch::Dashboard',
      'Dashboard',
    );
    expect(JSON.stringify(custom.properties.DashboardBody)).toContain('\\"value\\":70');
  });

  it('charts unpublished outcome events', () => {
    expect(body).toContain(
      `["${METRICS_NAMESPACE}","${OUTCOME_PUBLISH_FAILED_METRIC}","service","tenant-events"`,
    );
  });

  it('charts the EventBridge route, and leaves it out without one', () => {
    expect(body).toContain('"title":"EventBridge router executions"');
    expect(body).toContain('"title":"EventBridge route: undelivered events"');
    for (const metricName of [
      'ExecutionsFailed',
      'ExecutionsTimedOut',
      'ExecutionThrottled',
      'FailedInvocations',
    ]) {
      expect(body).toContain(`"${metricName}"`);
    }
    expect(body).toContain(resourceOf(template, 'AWS::SQS::Queue', 'EventBridgeDeadLetterQueue').id);
    const without = resourceOf(
      synthStack({ eventBridgeRule: 'false' }).template,
      'AWS::CloudWatch::Dashboard',
      'Dashboard',
    );
    expect(JSON.stringify(without.properties.DashboardBody)).not.toContain('EventBridge');
  });
});
