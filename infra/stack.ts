import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ProvisionerConfig } from './config.ts';
import { ProvisionerAlarms } from './constructs/alarms.ts';
import { ProvisionerDashboard } from './constructs/dashboard.ts';
import { functionEnvironment } from './constructs/function-environment.ts';
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

export interface SubaccountProvisionerStackProps extends StackProps {
  /** Validated configuration (see `readConfig`). */
  readonly config: ProvisionerConfig;
}

/**
 * Tenant lifecycle events -> FIFO queue -> lifecycle function -> Twilio + Secrets Manager, with a
 * per-tenant ledger in DynamoDB, a scheduled drift check, alarms and a dashboard.
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
    const environment = functionEnvironment({
      config,
      deadLetterQueueUrl: deadLetterQueue.queueUrl,
      tenantLedgerTableName: ledger.table.tableName,
      secretsKmsKeyArn: tenantSecrets.encryptionKey?.keyArn,
    });

    const tenantEvents = new TenantEventsFunction(this, 'TenantEventsFunction', {
      ...functionBasics,
      queue,
      deadLetterQueue,
      parentCredentials,
      tenantSecrets,
      ledger,
      environment,
      timeout,
      maxConcurrency: config.maxConcurrency,
    });
    const reconcile = new ReconcileFunction(this, 'Reconcile', {
      ...functionBasics,
      parentCredentials,
      tenantSecrets,
      ledger,
      environment,
      timeout: RECONCILE_TIMEOUT,
      schedule: config.reconcileSchedule,
    });
    const rule = config.eventBridgeRule
      ? new TenantEventRule(this, 'EventBridge', {
          queue,
          eventBusName: config.eventBusName,
          logRetention: config.logRetentionDays,
        })
      : undefined;

    const monitored = {
      queue,
      deadLetterQueue,
      tenantEventsFunction: tenantEvents.function,
      reconcileFunction: reconcile.function,
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
    new CfnOutput(this, 'DashboardUrl', { value: dashboard.url });
  }
}
