import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { UNROUTABLE_MESSAGE_GROUP_ID } from '../../../infra/constructs/tenant-event-rule.ts';
import { allPolicyStatements, resourceOf, synthStack } from './synth.ts';

const tenantRules = (template: ReturnType<typeof synthStack>['template']) =>
  template.findResources('AWS::Events::Rule', { Properties: { EventPattern: Match.anyValue() } });

/** The state machine's Amazon States Language, with CloudFormation's joins resolved to text. */
const definitionOf = (properties: Record<string, unknown>): Record<string, unknown> => {
  const body = properties.DefinitionString as { 'Fn::Join': [string, unknown[]] };
  const text = body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : '<ref>')).join('');
  return JSON.parse(text) as Record<string, unknown>;
};

describe('EventBridge routing', () => {
  const { template } = synthStack();
  const queue = resourceOf(template, 'AWS::SQS::Queue', 'TenantEventsQueue');
  const router = resourceOf(template, 'AWS::StepFunctions::StateMachine', 'EventBridgeRouter');

  it('matches detail-type prefix "tenant." on the default bus and starts the router', () => {
    const rule = resourceOf(template, 'AWS::Events::Rule', 'EventBridgeRule');
    expect(rule.properties).toMatchObject({
      EventBusName: 'default',
      State: 'ENABLED',
      EventPattern: { 'detail-type': [{ prefix: 'tenant.' }] },
      Targets: [{ Arn: { Ref: router.id } }],
    });
    // The whole envelope goes on: no input transformer.
    const target = (rule.properties.Targets as Record<string, unknown>[])[0]!;
    expect(target.Input).toBeUndefined();
    expect(target.InputTransformer).toBeUndefined();
  });

  it('sends each event with MessageGroupId = detail.tenantId and MessageDeduplicationId = detail.eventId', () => {
    expect(router.properties.StateMachineType).toBe('EXPRESS');
    const states = definitionOf(router.properties).States as Record<string, Record<string, unknown>>;
    expect(states.SendByTenant).toMatchObject({
      Resource: 'arn:<ref>:states:::sqs:sendMessage',
      Parameters: {
        'MessageBody.$': '$',
        'MessageGroupId.$': '$.detail.tenantId',
        'MessageDeduplicationId.$': '$.detail.eventId',
      },
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'SendUnroutable' }],
    });
  });

  it('still queues an event without usable ids, under a fixed group, so nothing is lost', () => {
    const states = definitionOf(router.properties).States as Record<string, Record<string, unknown>>;
    expect(states.HasTenantAndEventId).toMatchObject({ Type: 'Choice', Default: 'SendUnroutable' });
    expect(states.SendUnroutable).toMatchObject({
      Parameters: {
        'MessageBody.$': '$',
        MessageGroupId: UNROUTABLE_MESSAGE_GROUP_ID,
        'MessageDeduplicationId.$': '$.id',
      },
    });
  });

  it('logs every execution and traces it, without the event payload', () => {
    expect(router.properties).toMatchObject({
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
    });
  });

  it('lets the router send to the queue only, and the rule start the router only', () => {
    const statements = allPolicyStatements(template);
    const send = statements.filter((s) => JSON.stringify(s.Action).includes('sqs:SendMessage'));
    expect(send.map((s) => s.Resource)).toEqual(
      expect.arrayContaining([{ 'Fn::GetAtt': [queue.id, 'Arn'] }]),
    );
    const start = statements.filter((s) => JSON.stringify(s.Action).includes('states:StartExecution'));
    expect(start.map((s) => s.Resource)).toEqual([{ Ref: router.id }]);
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
    custom.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
    expect(Object.keys(custom.findOutputs('EventRuleName'))).toEqual([]);
  });
});
