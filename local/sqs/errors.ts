import { ProvisionerError } from '../../shared/errors.ts';

/** The local SQS stand-in could not be started (port in use, or an unexpected fauxqs layout). */
export class LocalSqsStartError extends ProvisionerError {
  readonly code = 'LOCAL_SQS_START_FAILED';

  constructor(message: string, cause?: unknown) {
    super(message, { retryable: false, cause });
  }
}

/** A queue-topology option is out of the range SQS accepts. */
export class QueueTopologyOptionError extends ProvisionerError {
  readonly code = 'QUEUE_TOPOLOGY_INVALID_OPTION';

  constructor(option: string, reason: string) {
    super(`invalid queue topology option "${option}": ${reason}`, { retryable: false, context: { option } });
  }
}

/** SQS answered a topology call without the field the next step depends on. */
export class QueueTopologyError extends ProvisionerError {
  readonly code = 'QUEUE_TOPOLOGY_FAILED';

  constructor(message: string, context: Record<string, unknown>) {
    super(message, { retryable: false, context });
  }
}
