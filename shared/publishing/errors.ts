import { ProvisionerError } from '../errors.ts';

/** SQS refused or never answered a send; the entry was not published. */
export class PublishError extends ProvisionerError {
  readonly code = 'PUBLISH_FAILED';

  constructor(
    message: string,
    options: { retryable: boolean; cause?: unknown; context?: Record<string, unknown> },
  ) {
    super(message, options);
  }
}
