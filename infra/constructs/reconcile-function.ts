import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { SERVICE } from '../../shared/contracts/metric-names.ts';
import { HANDLER_ENTRY } from '../paths.ts';
import { type FunctionRuntimeProps, ProvisionerFunction, runtimePropsOf } from './provisioner-function.ts';
import type { TenantLedger } from './tenant-ledger.ts';
import type { TenantSecrets } from './tenant-secrets.ts';

export interface ReconcileFunctionProps extends FunctionRuntimeProps {
  readonly parentCredentials: secretsmanager.ISecret;
  readonly tenantSecrets: TenantSecrets;
  /** The tenant ledger; the run reads every item and may settle one with a conditional write. */
  readonly ledger: TenantLedger;
  /** EventBridge schedule expression. @default 'rate(1 day)' */
  readonly schedule?: string;
}

/**
 * The scheduled drift check: compares Twilio subaccounts with tenant secrets and the tenant
 * ledger, and reports what differs. It only reads the parent credentials, the secret list and
 * tenant secrets; on the ledger it also has the lifecycle function's conditional item writes.
 */
export class ReconcileFunction extends Construct {
  readonly function: NodejsFunction;
  readonly schedule: events.Rule;

  constructor(scope: Construct, id: string, props: ReconcileFunctionProps) {
    super(scope, id);

    const { function: fn, role } = new ProvisionerFunction(this, 'Handler', {
      entry: HANDLER_ENTRY.reconcile,
      serviceName: SERVICE.reconcile,
      description: 'Reports drift between Twilio subaccounts and tenant secrets',
      ...runtimePropsOf(props),
    });
    this.function = fn;

    props.parentCredentials.grantRead(role);
    props.tenantSecrets.grantList(role);
    props.tenantSecrets.grantRead(role);
    props.ledger.grantReconcile(role);

    this.schedule = new events.Rule(this, 'Schedule', {
      description: 'Runs the subaccount drift check',
      schedule: events.Schedule.expression(props.schedule ?? 'rate(1 day)'),
      targets: [new targets.LambdaFunction(fn)],
    });
  }
}
