import { ProvisionerError } from '../../shared/errors.ts';

/** A start option or fault rule the local DynamoDB cannot run with; the message names it. */
export class LocalDynamoDbConfigError extends ProvisionerError {
  readonly code = 'LOCAL_DYNAMODB_CONFIG';

  constructor(option: string, problem: string) {
    super(`Invalid local DynamoDB option ${option}: ${problem}`, { retryable: false, context: { option } });
  }
}

/** dynalite or the fault proxy could not be started, or the ledger table could not be created. */
export class LocalDynamoDbStartError extends ProvisionerError {
  readonly code = 'LOCAL_DYNAMODB_START_FAILED';

  constructor(message: string, cause?: unknown) {
    super(message, { retryable: false, cause });
  }
}
