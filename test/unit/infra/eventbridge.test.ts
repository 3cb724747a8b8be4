import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  ROUTER_ERROR_PATH,
  routableCondition,
  SEND_RETRY_ERRORS,
  UNROUTABLE_MESSAGE_GROUP_ID,
} from '../../../infra/constructs/tenant-event-rule.ts';
import { EVENT_ID_PATTERN, EVENT_TYPES, TENANT_ID_PATTERN } from '../../../shared/domain/event.ts';
import { OUTCOME_SOURCE, OUTCOME_TYPES } from '../../../shared/domain/outcome-event.ts';
import { actionsOf, allPolicyStatements, resourceOf, roleStatements, synthStack } from './synth.ts';

const tenantRules = (template: ReturnType<typeof synthStack>['template']) =>
  template.findResources('AWS::Events::Rule', { Properties: { EventPattern: Match.anyValue() } });

type State = Record<string, unknown>;

/** The state machine's Amazon States Language, with CloudFormation's joins resolved to text. */
const definitionOf = (
  properties: Record<string, unknown>,
): { StartAt: string; States: Record<string, State> } => {
  const body = properties.DefinitionString as { 'Fn::Join': [string, unknown[]] };
  const text = body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : '<ref>')).join('');
  return JSON.parse(text) as { StartAt: string; States: Record<string, State> };
};

const SEND_STATES = ['SendByTenant', 'SendUnroutable', 'SendToDeadLetterQueue'] as const;

/** Express executions stop after five minutes (https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html). */
const EXPRESS_LIMIT_SECONDS = 300;

interface Retrier {
  readonly IntervalSeconds: number;
  readonly MaxAttempts: number;
  readonly BackoffRate: number;
  readonly MaxDelaySeconds: number;
}

/** The longest a task state can take: every attempt times out, every backoff waits its full delay. */
const worstCaseSeconds = (state: State): number => {
  const [retrier] = state.Retry as Retrier[];
  let total = (state.TimeoutSeconds as number) * (retrier!.MaxAttempts + 1);
  for (let attempt = 0; attempt < retrier!.MaxAttempts; attempt += 1) {
    total += Math.min(retrier!.IntervalSeconds * retrier!.BackoffRate ** attempt, retrier!.MaxDelaySeconds);
  }
  return total;
};

/**
 * The subset of EventBridge pattern matching the rule uses (an array of alternatives, each a
 * literal, `prefix` or `anything-but`), enough to decide what the synthesized pattern lets through.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
const patternMatches = (pattern: Record<string, unknown[]>, event: Record<string, string>): boolean =>
  Object.entries(pattern).every(([field, alternatives]) =>
    alternatives.some((alternative) => {
      const value = event[field];
      if (typeof alternative === 'string') return value === alternative;
      const { prefix, 'anything-but': anythingBut } = alternative as {
        prefix?: string;
        'anything-but'?: unknown;
      };
      if (prefix !== undefined) return value?.startsWith(prefix) ?? false;
      if (anythingBut !== undefined) return value !== undefined && ![anythingBut].flat().includes(value);
      throw new Error(`operator not modelled: ${JSON.stringify(alternative)}`);
    }),
  );

describe('EventBridge routing', () => {
  const { template } = synthStack();
  const queue = resourceOf(template, 'AWS::SQS::Queue', 'TenantEventsQueue');
  const routeDlq = resourceOf(template, 'AWS::SQS::Queue', 'EventBridgeDeadLetterQueue');
  const router = resourceOf(template, 'AWS::StepFunctions::StateMachine', 'EventBridgeRouter');
  const rule = resourceOf(template, 'AWS::Events::Rule', 'EventBridgeRule');
  const { StartAt, States: states } = definitionOf(router.properties);

  it('matches detail-type prefix "tenant." on the default bus and starts the router', () => {
    expect(rule.properties).toMatchObject({
      EventBusName: 'default',
      State: 'ENABLED',
      Targets: [{ Arn: { Ref: router.id } }],
    });
    expect(rule.properties.EventPattern).toEqual({
      source: [{ 'anything-but': [OUTCOME_SOURCE] }],
      'detail-type': [{ prefix: 'tenant.' }],
    });
    // The whole envelope goes on: no input transformer.
    const target = (rule.properties.Targets as Record<string, unknown>[])[0]!;
    expect(target.Input).toBeUndefined();
    expect(target.InputTransformer).toBeUndefined();
  });

  it("never routes this service's own outcome events back to the queue, on any bus, so they cannot loop", () => {
    const pattern = rule.properties.EventPattern as Record<string, unknown[]>;
    expect(OUTCOME_SOURCE).toBe('subaccount-provisioner');
    for (const type of EVENT_TYPES) {
      expect(patternMatches(pattern, { source: 'saas.billing', 'detail-type': type }), type).toBe(true);
    }
    // Outcome types share the "tenant." prefix: only their source sets them apart.
    for (const type of OUTCOME_TYPES) {
      expect(type.startsWith('tenant.')).toBe(true);
      expect(patternMatches(pattern, { source: OUTCOME_SOURCE, 'detail-type': type }), type).toBe(false);
    }
    expect(patternMatches(pattern, { source: 'saas.billing', 'detail-type': 'invoice.paid' })).toBe(false);
    const custom = synthStack({ eventBusName: 'saas-platform', outcomeEventBus: 'saas-platform' }).template;
    expect(resourceOf(custom, 'AWS::Events::Rule', 'EventBridgeRule').properties.EventPattern).toEqual(
      pattern,
    );
  });

  describe('router', () => {
    it('decides routability first, with a JSONata Choice on the contract patterns of both ids', () => {
      expect(router.properties.StateMachineType).toBe('EXPRESS');
      expect(StartAt).toBe('HasUsableIds');
      expect(states.HasUsableIds).toEqual({
        Type: 'Choice',
        QueryLanguage: 'JSONata',
        Comment: expect.any(String),
        Choices: [{ Condition: routableCondition(), Next: 'SendByTenant' }],
        Default: 'SendUnroutable',
      });
      const condition = routableCondition();
      expect(condition).toMatch(/^\{% .* %\}$/);
      for (const [path, pattern] of [
        ['$states.input.detail.tenantId', TENANT_ID_PATTERN],
        ['$states.input.detail.eventId', EVENT_ID_PATTERN],
      ] as const) {
        expect(condition).toContain(`$type(${path}) = 'string'`);
        expect(condition).toContain(`$contains($string(${path}), /${pattern.source}/)`);
      }
    });

    it('routes only ids SQS always accepts as MessageGroupId and MessageDeduplicationId', () => {
      // SQS allows 1..128 alphanumeric and punctuation characters (0x21..0x7E) in both.
      const sqsAccepts = (id: string) => /^[\x21-\x7E]{1,128}$/.test(id);
      const printable = Array.from({ length: 0x7f - 0x20 + 1 }, (_, i) => String.fromCharCode(0x20 + i));
      for (const pattern of [TENANT_ID_PATTERN, EVENT_ID_PATTERN]) {
        for (const c of printable) if (pattern.test(c)) expect(sqsAccepts(c)).toBe(true);
        for (const length of [128, 129]) {
          const longest = 'a'.repeat(length);
          if (pattern.test(longest)) expect(sqsAccepts(longest)).toBe(true);
        }
        expect(pattern.test('')).toBe(false);
        expect(pattern.test('has space')).toBe(false);
      }
    });

    it('sends a routable event with MessageGroupId = detail.tenantId and MessageDeduplicationId = detail.eventId', () => {
      expect(states.SendByTenant).toMatchObject({
        Type: 'Task',
        Resource: 'arn:<ref>:states:::sqs:sendMessage',
        Parameters: {
          QueueUrl: '<ref>',
          'MessageBody.$': '$',
          'MessageGroupId.$': '$.detail.tenantId',
          'MessageDeduplicationId.$': '$.detail.eventId',
        },
        End: true,
      });
    });

    it('still queues an event without usable ids, under a fixed group, so nothing is lost', () => {
      expect(states.SendUnroutable).toMatchObject({
        Parameters: {
          'MessageBody.$': '$',
          MessageGroupId: UNROUTABLE_MESSAGE_GROUP_ID,
          'MessageDeduplicationId.$': '$.id',
        },
        End: true,
      });
    });

    it.each(SEND_STATES)(
      '%s retries throttling, service and timeout errors with capped, jittered backoff',
      (name) => {
        expect(states[name]).toMatchObject({
          TimeoutSeconds: 5,
          Retry: [
            {
              ErrorEquals: [
                'SQS.AmazonSQSException',
                'SQS.SdkClientException',
                'States.TaskFailed',
                'States.Timeout',
              ],
              IntervalSeconds: 1,
              BackoffRate: 2,
              MaxAttempts: 6,
              MaxDelaySeconds: 20,
              JitterStrategy: 'FULL',
            },
          ],
        });
        expect([...SEND_RETRY_ERRORS]).toEqual(
          (states[name]!.Retry as { ErrorEquals: string[] }[])[0]!.ErrorEquals,
        );
      },
    );

    it('never sends a routable event to the unroutable group: a send that keeps failing goes to the route dead-letter queue', () => {
      const catchers = (name: string) =>
        states[name]!.Catch as { ErrorEquals: string[]; Next: string }[] | undefined;
      for (const name of ['SendByTenant', 'SendUnroutable']) {
        expect(catchers(name)).toEqual([
          { ErrorEquals: ['States.ALL'], ResultPath: ROUTER_ERROR_PATH, Next: 'SendToDeadLetterQueue' },
        ]);
      }
      // Only the Choice leads to the unroutable group.
      const into = (target: string) =>
        Object.entries(states)
          .filter(([, state]) => JSON.stringify(state).includes(`"${target}"`))
          .map(([name]) => name);
      expect(into('SendUnroutable')).toEqual(['HasUsableIds']);
      // The last resort has no fallback of its own: its failure fails the execution, which alarms.
      expect(catchers('SendToDeadLetterQueue')).toBeUndefined();
      expect(states.SendToDeadLetterQueue).toMatchObject({
        Parameters: { QueueUrl: '<ref>', 'MessageBody.$': '$' },
        End: true,
      });
      expect(states.SendToDeadLetterQueue!.Parameters).not.toHaveProperty('MessageGroupId');
      expect(ROUTER_ERROR_PATH).toBe('$.routerError');
    });

    it('finishes every retry of the longest path well inside the Express five-minute limit', () => {
      const longestPath =
        worstCaseSeconds(states.SendByTenant!) + worstCaseSeconds(states.SendToDeadLetterQueue!);
      expect(longestPath).toBe(2 * (5 * 7 + 1 + 2 + 4 + 8 + 16 + 20));
      expect(longestPath).toBeLessThan(EXPRESS_LIMIT_SECONDS * 0.75);
    });

    it('logs every execution and traces it, without the event payload', () => {
      expect(router.properties).toMatchObject({
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
      });
      expect(
        roleStatements(template, 'EventBridgeRouterRole')
          .flatMap(actionsOf)
          .filter((a) => a.startsWith('xray:')),
      ).toEqual([
        'xray:PutTraceSegments',
        'xray:PutTelemetryRecords',
        'xray:GetSamplingRules',
        'xray:GetSamplingTargets',
      ]);
    });

    it('is not traced with tracing off, and its role then writes no traces', () => {
      const custom = synthStack({ tracing: 'false' }).template;
      const untraced = resourceOf(custom, 'AWS::StepFunctions::StateMachine', 'EventBridgeRouter');
      expect(untraced.properties.TracingConfiguration).toEqual({ Enabled: false });
      expect(untraced.properties.LoggingConfiguration).toMatchObject({ Level: 'ALL' });
      expect(
        roleStatements(custom, 'EventBridgeRouterRole')
          .flatMap(actionsOf)
          .filter((a) => a.startsWith('xray:')),
      ).toEqual([]);
    });

    it('may send to the tenant-event queue and the route dead-letter queue only', () => {
      const sends = roleStatements(template, 'EventBridgeRouterRole').filter((s) =>
        actionsOf(s).some((a) => a.startsWith('sqs:')),
      );
      expect(sends.map((s) => ({ actions: actionsOf(s), resource: s.Resource }))).toEqual([
        { actions: ['sqs:SendMessage'], resource: { 'Fn::GetAtt': [queue.id, 'Arn'] } },
        { actions: ['sqs:SendMessage'], resource: { 'Fn::GetAtt': [routeDlq.id, 'Arn'] } },
      ]);
      const start = allPolicyStatements(template).filter((s) =>
        JSON.stringify(s.Action).includes('states:StartExecution'),
      );
      expect(start.map((s) => s.Resource)).toEqual([{ Ref: router.id }]);
    });
  });

  describe('rule target', () => {
    const target = (rule.properties.Targets as Record<string, unknown>[])[0]!;

    it('retries starting the router for up to an hour, then dead-letters the event', () => {
      expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 3600 });
      expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [routeDlq.id, 'Arn'] } });
    });

    it('dead-letters into a standard, encrypted queue kept 14 days', () => {
      // An EventBridge target dead-letter queue cannot be FIFO.
      expect(routeDlq.properties.FifoQueue).toBeUndefined();
      expect(routeDlq.properties).toMatchObject({
        QueueName: 'tenant-events-eventbridge-dlq',
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 1_209_600,
      });
      expect(routeDlq.properties.RedrivePolicy).toBeUndefined();
    });

    it('lets only this rule send to the dead-letter queue, and only over TLS', () => {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: routeDlq.id }],
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              Resource: { 'Fn::GetAtt': [routeDlq.id, 'Arn'] },
            },
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [rule.id, 'Arn'] } } },
              Resource: { 'Fn::GetAtt': [routeDlq.id, 'Arn'] },
            }),
          ],
        },
      });
    });

    it('names the dead-letter queue in the stack outputs', () => {
      expect(
        template.findOutputs('EventRouteDeadLetterQueueUrl').EventRouteDeadLetterQueueUrl?.Value,
      ).toEqual({
        Ref: routeDlq.id,
      });
    });
  });

  it('references a configured bus without creating it', () => {
    const custom = synthStack({ eventBusName: 'saas-platform' }).template;
    expect(resourceOf(custom, 'AWS::Events::Rule', 'EventBridgeRule').properties.EventBusName).toBe(
      'saas-platform',
    );
    custom.resourceCountIs('AWS::Events::EventBus', 0);
  });

  it('can be turned off, leaving only the reconcile and close-sweep schedules', () => {
    const custom = synthStack({ eventBridgeRule: 'false' }).template;
    expect(Object.keys(tenantRules(custom))).toEqual([]);
    custom.resourceCountIs('AWS::Events::Rule', 2);
    custom.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
    custom.resourceCountIs('AWS::SQS::Queue', 2);
    expect(Object.keys(custom.findOutputs('EventRuleName'))).toEqual([]);
    expect(Object.keys(custom.findOutputs('EventRouteDeadLetterQueueUrl'))).toEqual([]);
  });
});
