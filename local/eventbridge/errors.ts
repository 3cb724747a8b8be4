import { ProvisionerError } from '../../shared/errors.ts';
import { AwsJsonApiError } from '../aws-json-server.ts';

/**
 * An error the stand-in answers for the whole request (AWS JSON 1.1). Errors of single entries are
 * not exceptions: they are `ErrorCode` / `ErrorMessage` in a 200.
 */
export abstract class EventBridgeApiError extends AwsJsonApiError {}

/** A request that breaks the model's constraints (entry count, total size). */
export class ValidationError extends EventBridgeApiError {
  readonly code = 'EVENTBRIDGE_VALIDATION';
  readonly awsType = 'ValidationException';
  readonly httpStatus = 400;
  constructor(message: string) {
    super(message);
  }
}

/** A body that is not JSON, or a member of the wrong JSON type. */
export class SerializationError extends EventBridgeApiError {
  readonly code = 'EVENTBRIDGE_SERIALIZATION';
  readonly awsType = 'SerializationException';
  readonly httpStatus = 400;
  constructor(message: string) {
    super(message);
  }
}

/** An X-Amz-Target that is not an operation of this stand-in. */
export class UnknownOperationError extends EventBridgeApiError {
  readonly code = 'EVENTBRIDGE_UNKNOWN_OPERATION';
  readonly awsType = 'UnknownOperationException';
  readonly httpStatus = 400;
  constructor(message: string) {
    super(message);
  }
}

/** Injected: a request-level throttle, which the SDK retries with backoff. */
export class ThrottlingError extends EventBridgeApiError {
  readonly code = 'EVENTBRIDGE_THROTTLED';
  readonly awsType = 'ThrottlingException';
  readonly httpStatus = 400;
  constructor() {
    super('Rate exceeded', true);
  }
}

/** Injected, or a stand-in bug: the modelled server fault of PutEvents. */
export class InternalError extends EventBridgeApiError {
  readonly code = 'EVENTBRIDGE_INTERNAL';
  readonly awsType = 'InternalException';
  readonly httpStatus = 500;
  constructor(message = 'An internal error occurred.') {
    super(message, true);
  }
}

/** A start option or fault rule the stand-in cannot run with; the message names it. */
export class LocalEventBridgeConfigError extends ProvisionerError {
  readonly code = 'LOCAL_EVENTBRIDGE_CONFIG';
  constructor(option: string, problem: string) {
    super(`Invalid local EventBridge option ${option}: ${problem}`, {
      retryable: false,
      context: { option },
    });
  }
}
