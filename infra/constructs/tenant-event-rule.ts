import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Every lifecycle event's `detail-type` starts with this (`tenant.created`, `tenant.churned`, ...). */
export const TENANT_DETAIL_TYPE_PREFIX = 'tenant.';

/**
 * The one FIFO message group EventBridge-delivered events share.
 *
 * An EventBridge rule's SQS target takes a static MessageGroupId only; it cannot be read from
 * the event (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-events-rule-sqsparameters.html,
 * https://github.com/aws/aws-cdk/issues/32965). Consequences, accepted on purpose:
 * - events from the bus are handled one batch at a time, in arrival order, whatever maxConcurrency
 *   says, and a failing message holds back the ones behind it until it reaches the dead-letter queue;
 * - EventBridge itself does not promise ordering, so per-tenant order is not guaranteed either:
 *   the handler's stale-event watermark drops events older than what it already applied.
 * Publishers that need per-tenant parallelism send straight to the queue with MessageGroupId = tenantId.
 */
export const EVENTBRIDGE_MESSAGE_GROUP_ID = 'eventbridge';

export interface TenantEventRuleProps {
  /** The FIFO queue matching events are forwarded to. */
  readonly queue: sqs.IQueue;
  /** Name of the existing bus to listen on; referenced, not created. @default 'default' */
  readonly eventBusName?: string;
}

/**
 * Forwards `tenant.*` events from an existing event bus to the tenant-event queue. The whole
 * EventBridge envelope is delivered (the handler unwraps `detail`); EventBridge supplies the
 * FIFO deduplication id from the event id, so a re-delivered event is dropped by SQS.
 */
export class TenantEventRule extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: TenantEventRuleProps) {
    super(scope, id);
    const eventBus = events.EventBus.fromEventBusName(this, 'Bus', props.eventBusName ?? 'default');

    this.rule = new events.Rule(this, 'Rule', {
      eventBus,
      description: 'Forwards tenant lifecycle events to the tenant-events FIFO queue',
      eventPattern: { detailType: events.Match.prefix(TENANT_DETAIL_TYPE_PREFIX) },
    });
    this.rule.addTarget(new targets.SqsQueue(props.queue, { messageGroupId: EVENTBRIDGE_MESSAGE_GROUP_ID }));
  }
}
