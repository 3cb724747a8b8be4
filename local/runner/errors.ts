import { ProvisionerError } from '../../shared/errors.ts';

/** A runner option is missing, contradictory or out of range; the message names the option. */
export class RunnerOptionError extends ProvisionerError {
  readonly code = 'RUNNER_INVALID_OPTION';

  constructor(option: string, reason: string) {
    super(`invalid event-source runner option "${option}": ${reason}`, {
      retryable: false,
      context: { option },
    });
  }
}

/** The invocation outlived the function timeout; like Lambda, the whole batch is retried. */
export class InvocationTimeoutError extends ProvisionerError {
  readonly code = 'RUNNER_INVOCATION_TIMEOUT';

  constructor(requestId: string, timeoutMs: number) {
    // Lambda's own wording, so local logs read like CloudWatch ones.
    super(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`, {
      retryable: true,
      context: { requestId, timeoutMs },
    });
  }
}

/**
 * The handler's SQSBatchResponse names no record of the batch, or names one badly. Lambda then
 * fails the whole batch: https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 */
export class InvalidBatchResponseError extends ProvisionerError {
  readonly code = 'RUNNER_INVALID_BATCH_RESPONSE';

  constructor(reason: string) {
    super(`invalid SQSBatchResponse: ${reason}`, { retryable: false, context: { reason } });
  }
}

/** The handler module could not be imported or has no such export (Runtime.ImportModuleError). */
export class HandlerInitError extends ProvisionerError {
  readonly code = 'RUNNER_HANDLER_INIT_FAILED';

  constructor(message: string, context: Record<string, unknown>) {
    super(message, { retryable: false, context });
  }
}

/** The execution environment died mid-invocation (Runtime.ExitError): the batch is retried. */
export class ExecutionEnvironmentExitedError extends ProvisionerError {
  readonly code = 'RUNNER_ENVIRONMENT_EXITED';

  constructor(reason: string, cause?: unknown) {
    super(`the execution environment exited: ${reason}`, { retryable: true, cause, context: { reason } });
  }
}

/**
 * An error the handler threw inside an isolated execution environment. Only its type, message,
 * code and retryable decision cross the thread boundary, as in a Lambda error response.
 */
export class RemoteHandlerError extends ProvisionerError {
  readonly code = 'RUNNER_HANDLER_FAILED';
  readonly errorType: string;

  constructor(error: { errorType: string; errorMessage: string; errorCode?: string; retryable?: boolean }) {
    super(error.errorMessage, {
      retryable: error.retryable ?? false,
      context: { errorType: error.errorType, errorCode: error.errorCode },
    });
    this.errorType = error.errorType;
  }
}

/** `drained()` gave up: messages were still visible, in flight or being processed. */
export class DrainTimeoutError extends ProvisionerError {
  readonly code = 'RUNNER_DRAIN_TIMEOUT';

  constructor(
    timeoutMs: number,
    pending: { visible: number; inFlight: number; delayed: number; running: number },
  ) {
    super(`the queue was not drained within ${timeoutMs} ms`, {
      retryable: true,
      context: { timeoutMs, ...pending },
    });
  }
}
