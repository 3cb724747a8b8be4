import { ProvisionerError } from '../../shared/errors.ts';
import { AwsJsonApiError } from '../aws-json-server.ts';

/**
 * An error the emulator answers over the wire (AWS JSON 1.1). Messages name secrets (never their
 * values) so they are safe to log and to return.
 */
export abstract class SecretsApiError extends AwsJsonApiError {}

export class ResourceNotFoundError extends SecretsApiError {
  readonly code = 'SECRETS_RESOURCE_NOT_FOUND';
  readonly awsType = 'ResourceNotFoundException';
  readonly httpStatus = 400;
  constructor(message = "Secrets Manager can't find the specified secret.") {
    super(message);
  }
}

export class ResourceExistsError extends SecretsApiError {
  readonly code = 'SECRETS_RESOURCE_EXISTS';
  readonly awsType = 'ResourceExistsException';
  readonly httpStatus = 400;
  constructor(message: string) {
    super(message);
  }
}

export class InvalidRequestError extends SecretsApiError {
  readonly code = 'SECRETS_INVALID_REQUEST';
  readonly awsType = 'InvalidRequestException';
  readonly httpStatus = 400;
  constructor(message: string) {
    super(message);
  }
}

export class InvalidParameterError extends SecretsApiError {
  readonly code = 'SECRETS_INVALID_PARAMETER';
  readonly awsType = 'InvalidParameterException';
  readonly httpStatus = 400;
  constructor(message: string) {
    super(message);
  }
}

export class InvalidNextTokenError extends SecretsApiError {
  readonly code = 'SECRETS_INVALID_NEXT_TOKEN';
  readonly awsType = 'InvalidNextTokenException';
  readonly httpStatus = 400;
  constructor() {
    super('The NextToken value is invalid.');
  }
}

/** Model constraint violations and malformed JSON. */
export class ValidationError extends SecretsApiError {
  readonly code = 'SECRETS_VALIDATION';
  readonly awsType = 'ValidationException';
  readonly httpStatus = 400;
  constructor(message: string) {
    super(message);
  }
}

/**
 * A request that names no operation Secrets Manager has (an unknown or missing `X-Amz-Target`, or
 * not a POST): AWS's front end answers 400 `UnknownOperationException` before any service logic.
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/CommonErrors.html
 */
export class UnknownOperationError extends SecretsApiError {
  readonly code = 'SECRETS_UNKNOWN_OPERATION';
  readonly awsType = 'UnknownOperationException';
  readonly httpStatus = 400;
  constructor(operation: string | undefined) {
    super(operation === undefined ? 'No operation named.' : `Unknown operation ${operation}.`);
  }
}

/** A Secrets Manager quota would be exceeded (e.g. staging labels per secret). */
export class LimitExceededError extends SecretsApiError {
  readonly code = 'SECRETS_LIMIT_EXCEEDED';
  readonly awsType = 'LimitExceededException';
  readonly httpStatus = 400;
  constructor(message: string) {
    super(message);
  }
}

/** Injected only: the SDK classifies `ThrottlingException` as a throttling error and retries it. */
export class ThrottlingError extends SecretsApiError {
  readonly code = 'SECRETS_THROTTLED';
  readonly awsType = 'ThrottlingException';
  readonly httpStatus = 400;
  constructor() {
    super('Rate exceeded', true);
  }
}

/** Injected, or an emulator bug: never the answer to bad input. */
export class InternalServiceError extends SecretsApiError {
  readonly code = 'SECRETS_INTERNAL';
  readonly awsType = 'InternalServiceError';
  readonly httpStatus = 500;
  constructor(message = 'An error occurred on the server side.') {
    super(message, true);
  }
}

/** A start option or command-line option the emulator cannot run with. */
export class EmulatorConfigError extends ProvisionerError {
  readonly code = 'SECRETS_EMULATOR_CONFIG';
  constructor(option: string, problem: string) {
    super(`Invalid option ${option}: ${problem}`, { retryable: false, context: { option } });
  }
}

/** The `dataFile` exists but cannot be read back as emulator state. */
export class EmulatorDataFileError extends ProvisionerError {
  readonly code = 'SECRETS_EMULATOR_DATA_FILE';
  constructor(file: string, cause: unknown) {
    super(`Cannot load secrets emulator state from ${file}`, { retryable: false, cause, context: { file } });
  }
}
