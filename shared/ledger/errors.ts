import { AwsCallError } from '../aws/errors.ts';
import { ProvisionerError } from '../errors.ts';

/** A DynamoDB call of the tenant ledger failed. The message names the operation and AWS's error. */
export class LedgerCallError extends AwsCallError {
  readonly code = 'LEDGER_FAILURE';

  constructor(operation: string, tenantId: string, cause: unknown) {
    super(`tenant ledger ${operation} for "${tenantId}"`, { operation, tenantId }, cause);
  }
}

/** A ledger item does not have the shape this service writes (edited by hand, or another writer). */
export class LedgerItemInvalidError extends ProvisionerError {
  readonly code = 'LEDGER_ITEM_INVALID';

  constructor(tenantId: string, problem: string) {
    super(`tenant ledger item of "${tenantId}" is invalid: ${problem}`, {
      retryable: false,
      context: { tenantId },
    });
  }
}
