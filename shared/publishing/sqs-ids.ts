/**
 * What SQS accepts as a FIFO queue's MessageGroupId or MessageDeduplicationId: 1..128 characters,
 * each an ASCII letter, digit or punctuation mark (`!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~`), which is
 * exactly U+0021..U+007E. Real SQS refuses anything else; fauxqs 1.9.2 accepts it, so the rule is
 * checked here, before a send, by the publisher and by every CLI command that builds ids.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html#SQS-SendMessage-request-MessageGroupId
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html#SQS-SendMessage-request-MessageDeduplicationId
 */
import { InvalidSqsIdError, type SqsIdField } from './errors.ts';

export type { SqsIdField } from './errors.ts';

export const SQS_ID_MAX_LENGTH = 128;

const ALLOWED = /^[\x21-\x7E]*$/;

const describe = (codePoint: number): string =>
  codePoint === 0x20 ? 'a space' : `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why SQS would refuse `value` as a group or deduplication id; `undefined` when it accepts it. */
export const sqsIdProblem = (value: string): string | undefined => {
  if (value.length === 0) return 'must not be empty';
  if (value.length > SQS_ID_MAX_LENGTH) {
    return `has ${value.length} characters, SQS allows at most ${SQS_ID_MAX_LENGTH}`;
  }
  if (ALLOWED.test(value)) return undefined;
  const chars = [...value];
  const position = chars.findIndex((char) => !ALLOWED.test(char));
  const codePoint = chars[position]?.codePointAt(0) ?? 0;
  return `has ${describe(codePoint)} at position ${position + 1}; SQS allows only ASCII letters, digits and punctuation`;
};

export const isSqsId = (value: string): boolean => sqsIdProblem(value) === undefined;

/** The ids of one FIFO message, as every sender names them. */
export interface FifoIds {
  readonly groupId: string;
  readonly deduplicationId: string;
}

/** One error per id SQS would refuse, naming the field; empty when both are fine. */
export const fifoIdErrors = (ids: FifoIds): InvalidSqsIdError[] =>
  (
    [
      ['MessageGroupId', ids.groupId],
      ['MessageDeduplicationId', ids.deduplicationId],
    ] as const satisfies readonly (readonly [SqsIdField, string])[]
  ).flatMap(([field, value]) => {
    const problem = sqsIdProblem(value);
    return problem === undefined ? [] : [new InvalidSqsIdError(field, value, problem)];
  });
