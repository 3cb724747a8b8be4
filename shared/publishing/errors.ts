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

export type SqsIdField = 'MessageGroupId' | 'MessageDeduplicationId';

/** How much of a refused id an error quotes: enough to recognise it, never a wall of text. */
const QUOTED_ID_CHARACTERS = 40;

const quote = (value: string): string => {
  const chars = [...value];
  return JSON.stringify(
    chars.length > QUOTED_ID_CHARACTERS ? `${chars.slice(0, QUOTED_ID_CHARACTERS).join('')}…` : value,
  );
};

/**
 * A MessageGroupId or MessageDeduplicationId that real SQS refuses (sqs-ids.ts), caught before
 * the send: nothing was published, and sending it again cannot help.
 */
export class InvalidSqsIdError extends ProvisionerError {
  readonly code = 'SQS_ID_INVALID';
  readonly field: SqsIdField;

  constructor(field: SqsIdField, value: string, problem: string) {
    super(`${field} ${quote(value)} ${problem}`, { retryable: false, context: { field } });
    this.field = field;
  }
}

/** Why one message was not published. */
export type PublishFailure = PublishError | InvalidSqsIdError;
