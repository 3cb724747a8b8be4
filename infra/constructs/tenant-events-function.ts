import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { DEFAULT_OUTCOME_EVENT_BUS } from '../../shared/config/settings.ts';
import { SERVICE } from '../../shared/contracts/metric-names.ts';
import { HANDLER_ENTRY } from '../paths.ts';
import { type FunctionRuntimeProps, ProvisionerFunction, runtimePropsOf } from './provisioner-function.ts';
import type { TenantLedger } from './tenant-ledger.ts';
import type { TenantSecrets } from './tenant-secrets.ts';

/** The largest batch a FIFO event source accepts. */
export const TENANT_EVENTS_BATCH_SIZE = 10;

/**
 * The ARN of the bus outcome events go to: an ARN as given, or a name as a bus of the stack's
 * own account and region (which is where PutEvents looks a name up).
 */
export const outcomeEventBusArn = (scope: IConstruct, nameOrArn: string): string =>
  nameOrArn.startsWith('arn:')
    ? nameOrArn
    : Stack.of(scope).formatArn({ service: 'events', resource: 'event-bus', resourceName: nameOrArn });

export interface TenantEventsFunctionProps extends FunctionRuntimeProps {
  /** The FIFO queue the function consumes. */
  readonly queue: sqs.IQueue;
  /** Where the handler sends permanent failures itself. */
  readonly deadLetterQueue: sqs.IQueue;
  readonly parentCredentials: secretsmanager.ISecret;
  readonly tenantSecrets: TenantSecrets;
  /** The tenant ledger; the function reads and conditionally writes one item per tenant. */
  readonly ledger: TenantLedger;
  /** Maximum concurrent invocations by the event source (2..1000). @default 5 */
  readonly maxConcurrency?: number;
  /**
   * Name or ARN of the existing bus the function publishes outcome events to with PutEvents;
   * referenced, not created. It must match the function's OUTCOME_EVENT_BUS.
   * @default 'default'
   */
  readonly outcomeEventBus?: string;
}

/**
 * The lifecycle function: consumes the tenant-event queue in batches of 10 and reports
 * per-message failures, so one bad tenant does not redeliver a whole batch, and publishes each
 * outcome to one event bus.
 */
export class TenantEventsFunction extends Construct {
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: TenantEventsFunctionProps) {
    super(scope, id);

    const { function: fn, role } = new ProvisionerFunction(this, 'Handler', {
      entry: HANDLER_ENTRY.tenantEvents,
      serviceName: SERVICE.tenantEvents,
      description: 'Turns tenant lifecycle events into Twilio subaccount actions',
      ...runtimePropsOf(props),
    });
    this.function = fn;

    props.parentCredentials.grantRead(role);
    props.tenantSecrets.grantLifecycle(role);
    props.ledger.grantEventProcessing(role);
    // Only SendMessage: grantSendMessages would add GetQueueAttributes/GetQueueUrl the handler never calls.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [props.deadLetterQueue.queueArn] }),
    );
    // PutEvents on the one configured bus: bus.grantPutEventsTo would do the same, spelled out here
    // so the resource is visibly that bus and nothing else.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['events:PutEvents'],
        resources: [outcomeEventBusArn(this, props.outcomeEventBus ?? DEFAULT_OUTCOME_EVENT_BUS)],
      }),
    );
    fn.addEventSource(
      new SqsEventSource(props.queue, {
        batchSize: TENANT_EVENTS_BATCH_SIZE,
        reportBatchItemFailures: true,
        maxConcurrency: props.maxConcurrency ?? 5,
      }),
    );
  }
}
