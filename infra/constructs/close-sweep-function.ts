import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SERVICE } from '../../shared/contracts/metric-names.ts';
import { HANDLER_ENTRY } from '../paths.ts';
import { type FunctionRuntimeProps, ProvisionerFunction, runtimePropsOf } from './provisioner-function.ts';
import type { TenantLedger } from './tenant-ledger.ts';

/** Hourly: a close is due at most an hour late, and an idle ledger costs one Scan an hour. */
export const DEFAULT_CLOSE_SWEEP_SCHEDULE = 'rate(1 hour)';

export interface CloseSweepFunctionProps extends FunctionRuntimeProps {
  /** The tenant ledger; the sweep scans it for tenants whose churn grace period has ended. */
  readonly ledger: TenantLedger;
  /** The tenant-events FIFO queue the sweep sends `tenant.close-due` events to. */
  readonly queue: sqs.IQueue;
  /** EventBridge schedule expression. @default 'rate(1 hour)' */
  readonly schedule?: string;
}

/**
 * The scheduled close sweep: scans the ledger and queues a `tenant.close-due` event for every
 * tenant whose churn grace period has ended, in the tenant's own message group, so the close
 * itself runs through the lifecycle function like any event (ordered, leased, exactly once).
 *
 * It always exists, whatever the grace period: a churn scheduled under an earlier, longer
 * setting must still be closed after the setting went back to 0. With nothing in grace it
 * scans and queues nothing. It may Scan the ledger and SendMessage to the queue, nothing else:
 * no secret, no Twilio credential, no item write.
 */
export class CloseSweepFunction extends Construct {
  readonly function: NodejsFunction;
  readonly schedule: events.Rule;

  constructor(scope: Construct, id: string, props: CloseSweepFunctionProps) {
    super(scope, id);

    const { function: fn, role } = new ProvisionerFunction(this, 'Handler', {
      entry: HANDLER_ENTRY.closeSweep,
      serviceName: SERVICE.closeSweep,
      description: 'Queues the close of every churned tenant whose grace period has ended',
      ...runtimePropsOf(props),
    });
    this.function = fn;

    props.ledger.grantCloseSweep(role);
    // SendMessageBatch is authorized as sqs:SendMessage; grantSendMessages would add
    // GetQueueAttributes/GetQueueUrl the handler never calls.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [props.queue.queueArn] }),
    );

    this.schedule = new events.Rule(this, 'Schedule', {
      description: 'Runs the churn close sweep',
      schedule: events.Schedule.expression(props.schedule ?? DEFAULT_CLOSE_SWEEP_SCHEDULE),
      targets: [new targets.LambdaFunction(fn)],
    });
  }
}
