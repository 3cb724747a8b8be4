import { Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/** Every lifecycle event's `detail-type` starts with this (`tenant.created`, `tenant.churned`, ...). */
export const TENANT_DETAIL_TYPE_PREFIX = 'tenant.';

/**
 * The message group of an event from the bus whose `detail` names no usable tenantId or eventId.
 * It still reaches the queue (nothing is lost), and the function dead-letters it with its reason.
 */
export const UNROUTABLE_MESSAGE_GROUP_ID = 'eventbridge-unroutable';

export interface TenantEventRuleProps {
  /** The FIFO queue matching events are forwarded to. */
  readonly queue: sqs.IQueue;
  /** Name of the existing bus to listen on; referenced, not created. @default 'default' */
  readonly eventBusName?: string;
  /** Retention of the router's execution log. */
  readonly logRetention: logs.RetentionDays;
}

/**
 * Forwards `tenant.*` events from an existing event bus to the tenant-event queue with
 * MessageGroupId = `detail.tenantId` and MessageDeduplicationId = `detail.eventId`, so events from
 * the bus keep per-tenant order and parallelism like events sent to the queue directly.
 *
 * An EventBridge rule's SQS target takes a static MessageGroupId only
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-events-rule-sqsparameters.html,
 * https://github.com/aws/aws-cdk/issues/32965), so the rule starts a one-step Express state machine
 * whose SQS SendMessage service integration reads both ids from the event: no function code.
 * The whole EventBridge envelope is the message body (the handler unwraps `detail`).
 */
export class TenantEventRule extends Construct {
  readonly rule: events.Rule;
  readonly router: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: TenantEventRuleProps) {
    super(scope, id);
    this.router = this.buildRouter(props);
    this.rule = new events.Rule(this, 'Rule', {
      eventBus: events.EventBus.fromEventBusName(this, 'Bus', props.eventBusName ?? 'default'),
      description: 'Forwards tenant lifecycle events to the tenant-events FIFO queue, grouped by tenant',
      eventPattern: { detailType: events.Match.prefix(TENANT_DETAIL_TYPE_PREFIX) },
    });
    this.rule.addTarget(new targets.SfnStateMachine(this.router));
  }

  private buildRouter(props: TenantEventRuleProps): sfn.StateMachine {
    const send = (name: string, groupId: string, deduplicationId: string) =>
      new tasks.SqsSendMessage(this, name, {
        queue: props.queue,
        messageBody: sfn.TaskInput.fromJsonPathAt('$'),
        messageGroupId: groupId,
        messageDeduplicationId: deduplicationId,
      });
    // A detail without usable ids, or one SQS refuses as a group id, still goes to the queue under
    // a fixed group, deduplicated by EventBridge's own event id.
    const unroutable = send('SendUnroutable', UNROUTABLE_MESSAGE_GROUP_ID, sfn.JsonPath.stringAt('$.id'));
    const byTenant = send(
      'SendByTenant',
      sfn.JsonPath.stringAt('$.detail.tenantId'),
      sfn.JsonPath.stringAt('$.detail.eventId'),
    ).addCatch(unroutable, { errors: ['States.ALL'] });
    const routable = sfn.Condition.and(
      sfn.Condition.isPresent('$.detail.tenantId'),
      sfn.Condition.isString('$.detail.tenantId'),
      sfn.Condition.isPresent('$.detail.eventId'),
      sfn.Condition.isString('$.detail.eventId'),
    );
    const router = new sfn.StateMachine(this, 'Router', {
      stateMachineType: sfn.StateMachineType.EXPRESS,
      definitionBody: sfn.DefinitionBody.fromChainable(
        new sfn.Choice(this, 'HasTenantAndEventId').when(routable, byTenant).otherwise(unroutable),
      ),
      tracingEnabled: true,
      logs: {
        destination: new logs.LogGroup(this, 'RouterLogs', { retention: props.logRetention }),
        level: sfn.LogLevel.ALL,
        // Event payloads carry tenant names; execution history is enough to trace a failure.
        includeExecutionData: false,
      },
    });
    Validations.of(router).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Step Functions log delivery (logs:*LogDelivery, DescribeLogGroups, resource policies) and X-Ray trace writes have no resource-level permissions; AWS requires Resource "*".',
    });
    return router;
  }
}
