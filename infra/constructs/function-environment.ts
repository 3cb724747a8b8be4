import { ENV } from '../../shared/contracts/env-names.ts';
import type { ProvisionerConfig } from '../config.ts';

export interface FunctionEnvironmentInputs {
  readonly config: ProvisionerConfig;
  /** URL of the dead-letter queue permanent failures are sent to. */
  readonly deadLetterQueueUrl: string;
  /** Name of the DynamoDB tenant ledger table. */
  readonly tenantLedgerTableName: string;
  /** URL of the tenant-events FIFO queue the close sweep sends close-due events to. */
  readonly tenantEventsQueueUrl: string;
  /** ARN of the customer-managed key for tenant secrets. @default - the AWS managed key */
  readonly secretsKmsKeyArn?: string;
}

/** The environment of each function of the stack. */
export interface FunctionEnvironments {
  /** The shared variables, plus the outcome bus, the credential kind and the churn grace period. */
  readonly tenantEvents: Readonly<Record<string, string>>;
  /** The shared variables, plus the subaccount limit the capacity metric reports. */
  readonly reconcile: Readonly<Record<string, string>>;
  /** The ledger and the queue, nothing else: the sweep reads no secret and calls no Twilio API. */
  readonly closeSweep: Readonly<Record<string, string>>;
}

/**
 * The environment each function reads at cold start. Names come from the shared `ENV`
 * constants so the stack and the handlers cannot drift apart.
 */
export const functionEnvironments = (inputs: FunctionEnvironmentInputs): FunctionEnvironments => {
  const { config } = inputs;
  const shared = {
    [ENV.secretPrefix]: config.secretPrefix,
    [ENV.parentCredentialsSecret]: config.parentCredentialsSecret,
    [ENV.deadLetterQueueUrl]: inputs.deadLetterQueueUrl,
    [ENV.friendlyNameTemplate]: config.friendlyNameTemplate,
    [ENV.secretRecoveryWindowDays]: String(config.secretRecoveryWindowDays),
    [ENV.tenantLedgerTable]: inputs.tenantLedgerTableName,
    [ENV.createSettleSeconds]: String(config.createSettleSeconds),
    [ENV.maxClockSkewSeconds]: String(config.maxClockSkewSeconds),
    ...(inputs.secretsKmsKeyArn === undefined ? {} : { [ENV.secretsKmsKeyId]: inputs.secretsKmsKeyArn }),
  };
  return {
    tenantEvents: {
      ...shared,
      [ENV.outcomeEventBus]: config.outcomeEventBus,
      [ENV.tenantCredentials]: config.tenantCredentials,
      [ENV.churnGraceDays]: String(config.churnGraceDays),
    },
    reconcile: { ...shared, [ENV.subaccountLimit]: String(config.subaccountLimit) },
    closeSweep: {
      [ENV.tenantLedgerTable]: inputs.tenantLedgerTableName,
      [ENV.tenantEventsQueueUrl]: inputs.tenantEventsQueueUrl,
    },
  };
};
