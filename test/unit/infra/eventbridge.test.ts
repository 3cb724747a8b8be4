import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { EVENTBRIDGE_MESSAGE_GROUP_ID } from '../../../infra/constructs/tenant-event-rule.ts';
import { resourceOf, synthStack } from './synth.ts';

const tenantRules = (template: ReturnType<typeof synthStack>['template']) =>
  template.findResources('AWS::Events::Rule', { Properties: { EventPattern: Match.anyValue() } });

describe('EventBridge rule', () => {
  const { template } = synthStack();
  const queue = resourceOf(template, 'AWS::SQS::Queue', 'TenantEventsQueue');

  it('matches detail-type prefix "tenant." on the default bus and forwards to the FIFO queue', () => {
    const rule = resourceOf(template, 'AWS::Events::Rule', 'EventBridgeRule');
    expect(rule.properties).toMatchObject({
      EventBusName: 'default',
      State: 'ENABLED',
      EventPattern: { 'detail-type': [{ prefix: 'tenant.' }] },
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [queue.id, 'Arn'] },
          SqsParameters: { MessageGroupId: EVENTBRIDGE_MESSAGE_GROUP_ID },
        },
      ],
    });
    // The whole envelope is delivered: no input transformer.
    const target = (rule.properties.Targets as Record<string, unknown>[])[0]!;
    expect(target.Input).toBeUndefined();
    expect(target.InputTransformer).toBeUndefined();
  });

  it('lets only this rule send to the queue', () => {
    const rule = resourceOf(template, 'AWS::Events::Rule', 'EventBridgeRule');
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queue.id }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: Match.arrayWith(['sqs:SendMessage']),
            Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [rule.id, 'Arn'] } } },
          }),
        ]),
      },
    });
  });

  it('references a configured bus without creating it', () => {
    const custom = synthStack({ eventBusName: 'saas-platform' }).template;
    expect(resourceOf(custom, 'AWS::Events::Rule', 'EventBridgeRule').properties.EventBusName).toBe(
      'saas-platform',
    );
    custom.resourceCountIs('AWS::Events::EventBus', 0);
  });

  it('can be turned off, leaving only the reconcile schedule', () => {
    const custom = synthStack({ eventBridgeRule: 'false' }).template;
    expect(Object.keys(tenantRules(custom))).toEqual([]);
    custom.resourceCountIs('AWS::Events::Rule', 1);
    expect(Object.keys(custom.findOutputs('EventRuleName'))).toEqual([]);
  });
});
