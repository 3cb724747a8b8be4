import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { EVENT_ID_PATTERN, TENANT_ID_PATTERN } from '../../shared/domain/event.ts';
import { OUTCOME_SOURCE } from '../../shared/domain/outcome-event.ts';

/** Every lifecycle event's `detail-type` starts with this (`tenant.created`, `tenant.churned`, ...). */
export const TENANT_DETAIL_TYPE_PREFIX = 'tenant.';

/**
 * The rule's event pattern: `tenant.*` from any source but this service's own. Outcome events
 * (`tenant.provisioned`, `tenant.event-rejected`, ...) carry the source `subaccount-provisioner`
 * and may go to the very bus the rule listens on (both default to `default`); without the
 * exclusion each would come back as an unroutable event, be dead-lettered, publish a
 * `tenant.event-rejected` outcome, come back again, and so on without end.
 */
export const tenantEventPattern = (): events.EventPattern => ({
  source: events.Match.anythingBut(OUTCOME_SOURCE),
  detailType: events.Match.prefix(TENANT_DETAIL_TYPE_PREFIX),
});

/**
 * The message group of an event from the bus whose `detail` names no usable tenantId or eventId.
 * It still reaches the queue (nothing is lost), and the function dead-letters it with its reason.
 */
export const UNROUTABLE_MESSAGE_GROUP_ID = 'eventbridge-unroutable';

/** Where the router records why an event it could not queue went to the route's dead-letter queue. */
export const ROUTER_ERROR_PATH = '$.routerError';

/**
 * Errors the router retries on every SendMessage. The SQS service integration reports a service
 * answer (throttling, 5xx) as `SQS.AmazonSQSException` and a failure to reach SQS as
 * `SQS.SdkClientException`; `States.TaskFailed` matches any other task error and `States.Timeout`
 * a call that exceeded its task timeout
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html). Retrying
 * every task failure is safe because routability is decided before sending: nothing about the
 * event itself can make SendMessage fail, so only the service or the network can.
 */
export const SEND_RETRY_ERRORS = [
  'SQS.AmazonSQSException',
  'SQS.SdkClientException',
  sfn.Errors.TASKS_FAILED,
  sfn.Errors.TIMEOUT,
] as const;

/**
 * Full-jitter exponential backoff: 1, 2, 4, 8, 16, 20 s at most, so concurrent executions
 * throttled together do not retry together
 * (https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/).
 */
export const SEND_RETRY = {
  interval: Duration.seconds(1),
  backoffRate: 2,
  maxAttempts: 6,
  maxDelay: Duration.seconds(20),
  jitterStrategy: sfn.JitterType.FULL,
} as const;

/** A SendMessage answers in milliseconds; one that hangs this long is retried as States.Timeout. */
export const SEND_TIMEOUT = Duration.seconds(5);

/**
 * The JSONata condition under which an event is routed by tenant: `detail.tenantId` and
 * `detail.eventId` are strings matching the event contract's patterns. Those patterns are exactly
 * the ones the function validates with, and they only admit characters SQS accepts in a
 * MessageGroupId and MessageDeduplicationId (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html),
 * so a routed event can never be refused for its ids. `$string` keeps `$contains` from failing
 * on a non-string; the `$type` test then rejects numbers that would stringify into a match.
 */
export const routableCondition = (): string => {
  const matches = (path: string, pattern: RegExp): string => {
    // A JSONata regex literal ends at the first unescaped slash.
    if (pattern.source.includes('/')) throw new Error(`pattern ${pattern.source} cannot be a JSONata regex`);
    return `$type(${path}) = 'string' and $contains($string(${path}), /${pattern.source}/)`;
  };
  return `{% ${matches('$states.input.detail.tenantId', TENANT_ID_PATTERN)} and ${matches('$states.input.detail.eventId', EVENT_ID_PATTERN)} %}`;
};

export interface TenantEventRuleProps {
  /** The FIFO queue matching events are forwarded to. */
  readonly queue: sqs.IQueue;
  /** Name of the existing bus to listen on; referenced, not created. @default 'default' */
  readonly eventBusName?: string;
  /** Retention of the router's execution log. */
  readonly logRetention: logs.RetentionDays;
  /**
   * Retries EventBridge makes to start the router before the event goes to the dead-letter queue.
   * @default 185 (the most EventBridge allows, so maxEventAge is the bound)
   */
  readonly maxRetryAttempts?: number;
  /**
   * How long EventBridge keeps retrying to start the router.
   * @default Duration.hours(1)
   */
  readonly maxEventAge?: Duration;
  /** Name of the route's standard dead-letter queue. @default 'tenant-events-eventbridge-dlq' */
  readonly deadLetterQueueName?: string;
  /** X-Ray tracing of router executions. @default true */
  readonly tracing?: boolean;
}

/**
 * Forwards `tenant.*` events (except this service's own outcome events) from an existing event
 * bus to the tenant-event queue with
 * MessageGroupId = `detail.tenantId` and MessageDeduplicationId = `detail.eventId`, so events from
 * the bus keep per-tenant order and parallelism like events sent to the queue directly.
 *
 * An EventBridge rule's SQS target takes a static MessageGroupId only
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-events-rule-sqsparameters.html,
 * https://github.com/aws/aws-cdk/issues/32965), so the rule starts an Express state machine (the
 * router) whose SQS SendMessage service integration reads both ids from the event: no function
 * code. The whole EventBridge envelope is the message body (the handler unwraps `detail`).
 *
 * Nothing is lost on the way:
 * - the router decides routability before sending (a Choice on the ids): an event without usable
 *   ids goes to the fixed unroutable group, a routable one always to its tenant's group;
 * - every send retries throttling and service errors with backoff and jitter;
 * - an event the router still cannot queue, and an event EventBridge could not start the router
 *   for (after its own retry policy), lands in one standard, encrypted, TLS-only dead-letter queue
 *   kept 14 days. Alarms on it, on the router's failed, timed-out and throttled executions and on
 *   the rule's failed invocations are in ProvisionerAlarms, using the metrics exposed here.
 */
export class TenantEventRule extends Construct {
  readonly rule: events.Rule;
  readonly router: sfn.StateMachine;
  /** Events the route could not deliver to the tenant-event queue. */
  readonly deadLetterQueue: sqs.Queue;
  private readonly eventBusName: string;

  constructor(scope: Construct, id: string, props: TenantEventRuleProps) {
    super(scope, id);
    this.eventBusName = props.eventBusName ?? 'default';

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: props.deadLetterQueueName ?? 'tenant-events-eventbridge-dlq',
      // An EventBridge target's dead-letter queue must be a standard queue
      // (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html).
      fifo: false,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS allows: undelivered events wait here for a person to look at them.
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue: the DeadLetterConfig of the EventBridge rule target and the router catch, which cdk-nag does not recognize (it only sees SQS redrive policies).',
    });

    this.router = this.buildRouter(props.queue, props.logRetention, props.tracing ?? true);
    this.rule = new events.Rule(this, 'Rule', {
      eventBus: events.EventBus.fromEventBusName(this, 'Bus', this.eventBusName),
      description: 'Forwards tenant lifecycle events to the tenant-events FIFO queue, grouped by tenant',
      eventPattern: tenantEventPattern(),
    });
    // A failed StartExecution (throttling, an outage) is retried by EventBridge with backoff, then
    // dead-lettered with the reason in message attributes
    // (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html).
    this.rule.addTarget(
      new targets.SfnStateMachine(this.router, {
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: props.maxRetryAttempts ?? 185,
        maxEventAge: props.maxEventAge ?? Duration.hours(1),
      }),
    );
  }

  /** Invocations of the router that failed permanently (after the retry policy). */
  metricFailedInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.ruleMetric('FailedInvocations', props);
  }

  /** Failed invocations that could not even be sent to the dead-letter queue: lost events. */
  metricInvocationsFailedToBeSentToDlq(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.ruleMetric('InvocationsFailedToBeSentToDlq', props);
  }

  // Rule metrics of the default bus carry only RuleName; those of any other bus carry
  // EventBusName too (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-monitoring.html).
  private ruleMetric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/Events',
      metricName,
      dimensionsMap:
        this.eventBusName === 'default'
          ? { RuleName: this.rule.ruleName }
          : { EventBusName: this.eventBusName, RuleName: this.rule.ruleName },
      statistic: cloudwatch.Stats.SUM,
      ...props,
    });
  }

  private buildRouter(
    queue: sqs.IQueue,
    logRetention: logs.RetentionDays,
    tracing: boolean,
  ): sfn.StateMachine {
    const send = (name: string, target: sqs.IQueue, ids: { groupId?: string; deduplicationId?: string }) => {
      const task = new tasks.SqsSendMessage(this, name, {
        queue: target,
        messageBody: sfn.TaskInput.fromJsonPathAt('$'),
        messageGroupId: ids.groupId,
        messageDeduplicationId: ids.deduplicationId,
        taskTimeout: sfn.Timeout.duration(SEND_TIMEOUT),
      });
      return task.addRetry({ errors: [...SEND_RETRY_ERRORS], ...SEND_RETRY });
    };

    // Last resort: the event, with the error that kept it from the queue under routerError, in the
    // route's dead-letter queue. Should even that fail, the execution fails and alarms.
    const deadLetter = send('SendToDeadLetterQueue', this.deadLetterQueue, {});
    const catchAll = { errors: [sfn.Errors.ALL], resultPath: ROUTER_ERROR_PATH };
    const byTenant = send('SendByTenant', queue, {
      groupId: sfn.JsonPath.stringAt('$.detail.tenantId'),
      deduplicationId: sfn.JsonPath.stringAt('$.detail.eventId'),
    }).addCatch(deadLetter, catchAll);
    // Deduplicated by EventBridge's own event id, which every event has.
    const unroutable = send('SendUnroutable', queue, {
      groupId: UNROUTABLE_MESSAGE_GROUP_ID,
      deduplicationId: sfn.JsonPath.stringAt('$.id'),
    }).addCatch(deadLetter, catchAll);

    // JSONata for this one state: JSONPath conditions cannot test a string against a pattern.
    const hasUsableIds = sfn.Choice.jsonata(this, 'HasUsableIds', {
      comment: 'Routable when detail.tenantId and detail.eventId satisfy the event contract',
    })
      .when(sfn.Condition.jsonata(routableCondition()), byTenant)
      .otherwise(unroutable);

    const router = new sfn.StateMachine(this, 'Router', {
      stateMachineType: sfn.StateMachineType.EXPRESS,
      definitionBody: sfn.DefinitionBody.fromChainable(hasUsableIds),
      tracingEnabled: tracing,
      logs: {
        destination: new logs.LogGroup(this, 'RouterLogs', { retention: logRetention }),
        level: sfn.LogLevel.ALL,
        // Event payloads carry tenant names; execution history is enough to trace a failure.
        includeExecutionData: false,
      },
    });
    Validations.of(router).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: tracing
        ? 'Step Functions log delivery (logs:*LogDelivery, DescribeLogGroups, resource policies) and X-Ray trace writes have no resource-level permissions; AWS requires Resource "*".'
        : 'Step Functions log delivery (logs:*LogDelivery, DescribeLogGroups, resource policies) has no resource-level permissions; AWS requires Resource "*".',
    });
    if (!tracing) {
      Validations.of(router).acknowledge({
        id: 'AwsSolutions-SF2',
        reason:
          'X-Ray tracing was turned off for this deployment with the context key tracing=false; every execution is still logged at level ALL.',
      });
    }
    return router;
  }
}
