import { ProvisionerError } from '../shared/errors.ts';

/** The command line or a file given to it is wrong; nothing was sent or written. Exit code 2. */
export class CliInputError extends ProvisionerError {
  readonly code = 'CLI_INPUT_INVALID';

  constructor(message: string, context: Record<string, unknown> = {}) {
    super(message, { retryable: false, context });
  }
}

/** A file the command must read or write could not be. */
export class CliFileError extends ProvisionerError {
  readonly code = 'CLI_FILE_ERROR';

  constructor(action: 'read' | 'write', path: string, cause: unknown) {
    const reason =
      typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : 'failed';
    super(`cannot ${action} ${path}: ${reason}`, { retryable: false, cause, context: { path, action } });
  }
}

/** SQS refused a call the command depends on. */
export class CliQueueError extends ProvisionerError {
  readonly code = 'CLI_QUEUE_ERROR';

  constructor(operation: string, queueUrl: string, cause: unknown) {
    const name = cause instanceof Error ? cause.name : 'Error';
    const message = cause instanceof Error ? `: ${cause.message}` : '';
    super(`SQS ${operation} on ${queueUrl} failed: ${name}${message}`, {
      retryable: false,
      cause,
      context: { operation, queueUrl },
    });
  }
}
