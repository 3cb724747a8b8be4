import { ENV } from '../../shared/contracts/env-names.ts';
import type { ProvisionerConfig } from '../config.ts';

export interface FunctionEnvironmentInputs {
  readonly config: ProvisionerConfig;
  /** URL of the dead-letter queue permanent failures are sent to. */
  readonly deadLetterQueueUrl: string;
  /** Name of the DynamoDB tenant ledger table. */
  readonly tenantLedgerTableName: string;
  /** ARN of the customer-managed key for tenant secrets. @default - the AWS managed key */
  readonly secretsKmsKeyArn?: string;
}

/**
 * The environment both functions read at cold start. Names come from the shared `ENV`
 * constants so the stack and the handlers cannot drift apart.
 */
export const functionEnvironment = (inputs: FunctionEnvironmentInputs): Record<string, string> => {
  const { config } = inputs;
  return {
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
};
