import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { TENANT_EVENT_TYPES } from '../../../infra/constructs/dashboard.ts';
import {
  DRIFT_METRIC,
  METRICS_NAMESPACE,
  OUTCOME_METRIC,
  TWILIO_ERROR_METRIC,
} from '../../../shared/observability/metric-names.ts';
import { resourceOf, synthStack } from './synth.ts';

type Alarm = Record<string, unknown>;

const alarmsOf = (template: ReturnType<typeof synthStack>['template']): Alarm[] =>
  Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((r) => r.Properties as Alarm);

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

  it('has no topic and no actions without an alarm email', () => {
    expect(alarms).toHaveLength(7);
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
      expect(withActions).toHaveLength(7);
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
});
