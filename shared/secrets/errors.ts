import { AwsCallError } from '../aws/errors.ts';
import { ProvisionerError } from '../errors.ts';

export { RETRYABLE_AWS_ERRORS, RETRYABLE_SOCKET_CODES } from '../aws/errors.ts';

/** A Secrets Manager call failed. The message names the operation and AWS's error, never a value. */
export class SecretsManagerCallError extends AwsCallError {
  readonly code = 'SECRETS_MANAGER_FAILURE';

  constructor(operation: string, secretName: string, cause: unknown) {
    super(`Secrets Manager ${operation} on "${secretName}"`, { operation, secretName }, cause);
  }
}

/** A secret exists under the tenant's name but was not written by this service (no lifecycle tags). */
export class SecretNotManagedError extends ProvisionerError {
  readonly code = 'SECRET_NOT_MANAGED';

  constructor(secretName: string, missingTags: readonly string[]) {
    super(
      `secret "${secretName}" is not managed by subaccount-provisioner (missing tags: ${missingTags.join(', ')})`,
      {
        retryable: false,
        context: { secretName, missingTags },
      },
    );
  }
}

/** Another writer created the tenant's secret for a different event; the next attempt re-reads it. */
export class SecretConflictError extends ProvisionerError {
  readonly code = 'SECRET_CONFLICT';

  constructor(secretName: string) {
    super(`secret "${secretName}" was created concurrently by another event`, {
      retryable: true,
      context: { secretName },
    });
  }
}

/** The stored secret value is not the JSON document this service writes. */
export class SecretValueInvalidError extends ProvisionerError {
  readonly code = 'SECRET_VALUE_INVALID';

  constructor(secretName: string, problem: string) {
    super(`secret "${secretName}" does not hold valid credentials: ${problem}`, {
      retryable: false,
      context: { secretName },
    });
  }
}
