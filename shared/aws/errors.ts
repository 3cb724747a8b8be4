import { ProvisionerError } from '../errors.ts';

/**
 * Which AWS SDK failures are worth another attempt, as data, for every AWS adapter (Secrets
 * Manager, DynamoDB, SQS). The SDK has already spent its own retries by the time one of these
 * reaches us; a retryable one goes back to SQS.
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/CommonErrors.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html
 */
export const RETRYABLE_AWS_ERRORS: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TransactionConflictException',
  'InternalServiceError',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);

export const RETRYABLE_SOCKET_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

export interface AwsLikeError {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

export const asAwsError = (error: unknown): AwsLikeError =>
  (typeof error === 'object' && error !== null ? error : {}) as AwsLikeError;

export const isRetryableAwsError = (error: AwsLikeError): boolean =>
  RETRYABLE_AWS_ERRORS.has(error.name ?? '') ||
  RETRYABLE_SOCKET_CODES.has(error.code ?? '') ||
  (error.$metadata?.httpStatusCode ?? 0) >= 500;

export const awsErrorName = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : undefined;

/**
 * An AWS SDK call of an adapter failed, after the SDK's own retries. The message says what was
 * being done and AWS's error name (never a value); `retryable` follows AWS's error, by the lists
 * above; the context names the operation, AWS's error and its HTTP status.
 */
export abstract class AwsCallError extends ProvisionerError {
  readonly awsErrorName: string;

  protected constructor(attempted: string, context: Record<string, unknown>, cause: unknown) {
    const aws = asAwsError(cause);
    const name = aws.name ?? 'Error';
    super(`${attempted} failed: ${name}`, {
      retryable: isRetryableAwsError(aws),
      cause,
      context: { ...context, awsErrorName: name, httpStatus: aws.$metadata?.httpStatusCode },
    });
    this.awsErrorName = name;
  }
}
