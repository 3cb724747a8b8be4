import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ProvisionerConfig } from './config.ts';
import { ProvisionerAlarms } from './constructs/alarms.ts';
import { CloseSweepFunction } from './constructs/close-sweep-function.ts';
import { ProvisionerDashboard } from './constructs/dashboard.ts';
import { functionEnvironments } from './constructs/function-environment.ts';
import { importParentCredentialsSecret } from './constructs/parent-credentials.ts';
import { ReconcileFunction } from './constructs/reconcile-function.ts';
import { TenantEventQueue } from './constructs/tenant-event-queue.ts';
import { TenantEventRule } from './constructs/tenant-event-rule.ts';
import { TenantEventsFunction } from './constructs/tenant-events-function.ts';
import { TenantLedger } from './constructs/tenant-ledger.ts';
import { TenantSecrets } from './constructs/tenant-secrets.ts';

/**
 * The reconcile run pages through every subaccount and every tenant secret; it runs once per
 * schedule, so a generous cap costs nothing and keeps a large fleet from timing out.
 */
export const RECONCILE_TIMEOUT = Duration.minutes(5);

/**
 * The close sweep scans the whole ledger and sends batches of ten; like reconcile it runs once
 * per schedule, and five minutes stays well inside the hourly default, so runs do not overlap.
 */
export const CLOSE_SWEEP_TIMEOUT = Duration.minutes(5);

export interface SubaccountProvisionerStackProps extends StackProps {
  /** Validated configuration (see `readConfig`). */
  readonly config: ProvisionerConfig;
}

/**
 * Tenant lifecycle events -> FIFO queue -> lifecycle function -> Twilio + Secrets Manager (and
 * outcome events -> EventBridge), with a per-tenant ledger in DynamoDB, a scheduled drift check,
 * a scheduled close sweep for churn grace periods, alarms and a dashboard.
 */
export class SubaccountProvisionerStack extends Stack {
  constructor(scope: Construct, id: string, props: SubaccountProvisionerStackProps) {
    super(scope, id, props);
    const { config } = props;
    const timeout = Duration.seconds(config.functionTimeoutSeconds);
    const functionBasics = {
      memorySize: config.memoryMiB,
      logRetention: config.logRetentionDays,
      logLevel: config.logLevel,
      tracing: config.tracing,
    };

    const parentCredentials = importParentCredentialsSecret(
      this,
      'ParentCredentials',
      config.parentCredentialsSecret,
    );
    const tenantSecrets = new TenantSecrets(this, 'TenantSecrets', {
      prefix: config.secretPrefix,
      encryptionKeyArn: config.kmsKeyArn,
      createEncryptionKey: config.createKmsKey,
    });
    // One key for everything the stack encrypts with a key of its own: the ledger records the same
    // tenants whose secrets the key already protects.
    const ledger = new TenantLedger(this, 'TenantLedger', { encryptionKey: tenantSecrets.encryptionKey });
    const { queue, deadLetterQueue } = new TenantEventQueue(this, 'TenantEvents', {
      consumerTimeout: timeout,
      maxReceiveCount: config.maxReceiveCount,
    });
    const environment = functionEnvironments({
      config,
      deadLetterQueueUrl: deadLetterQueue.queueUrl,
      tenantLedgerTableName: ledger.table.tableName,
      tenantEventsQueueUrl: queue.queueUrl,
      secretsKmsKeyArn: tenantSecrets.encryptionKey?.keyArn,
    });

    const tenantEvents = new TenantEventsFunction(this, 'TenantEventsFunction', {
      ...functionBasics,
      queue,
      deadLetterQueue,
      parentCredentials,
      tenantSecrets,
      ledger,
      environment: environment.tenantEvents,
      timeout,
      maxConcurrency: config.maxConcurrency,
      outcomeEventBus: config.outcomeEventBus,
    });
    const reconcile = new ReconcileFunction(this, 'Reconcile', {
      ...functionBasics,
      parentCredentials,
      tenantSecrets,
      ledger,
      environment: environment.reconcile,
      timeout: RECONCILE_TIMEOUT,
      schedule: config.reconcileSchedule,
    });
    // Whatever churnGraceDays is now: closes scheduled under an earlier setting still come due.
    const closeSweep = new CloseSweepFunction(this, 'CloseSweep', {
      ...functionBasics,
      ledger,
      queue,
      environment: environment.closeSweep,
      timeout: CLOSE_SWEEP_TIMEOUT,
      schedule: config.closeSweepSchedule,
    });
    const rule = config.eventBridgeRule
      ? new TenantEventRule(this, 'EventBridge', {
          queue,
          eventBusName: config.eventBusName,
          logRetention: config.logRetentionDays,
          tracing: config.tracing,
        })
      : undefined;

    const monitored = {
      queue,
      deadLetterQueue,
      tenantEventsFunction: tenantEvents.function,
      reconcileFunction: reconcile.function,
      closeSweepFunction: closeSweep.function,
      capacityAlarmPercent: config.capacityAlarmPercent,
      eventRoute: rule,
    };
    new ProvisionerAlarms(this, 'Alarms', {
      ...monitored,
      queueAgeThreshold: Duration.seconds(config.queueAgeAlarmSeconds),
      alarmEmail: config.alarmEmail,
    });
    const dashboard = new ProvisionerDashboard(this, 'Dashboard', {
      ...monitored,
      ledgerTable: ledger.table,
    });

    new CfnOutput(this, 'QueueUrl', { value: queue.queueUrl, description: 'Publish tenant events here' });
    new CfnOutput(this, 'QueueArn', { value: queue.queueArn });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: deadLetterQueue.queueUrl });
    new CfnOutput(this, 'TenantLedgerTableName', { value: ledger.table.tableName });
    if (rule !== undefined) {
      new CfnOutput(this, 'EventRuleName', { value: rule.rule.ruleName });
      new CfnOutput(this, 'EventRouteDeadLetterQueueUrl', {
        value: rule.deadLetterQueue.queueUrl,
        description: 'Events from the bus that could not be queued',
      });
    }
    new CfnOutput(this, 'FunctionName', { value: tenantEvents.function.functionName });
    new CfnOutput(this, 'ReconcileFunctionName', { value: reconcile.function.functionName });
    new CfnOutput(this, 'CloseSweepFunctionName', {
      value: closeSweep.function.functionName,
      description: 'Invoke to queue due closes now, without waiting for the schedule',
    });
    new CfnOutput(this, 'DashboardUrl', { value: dashboard.url });
  }
}
