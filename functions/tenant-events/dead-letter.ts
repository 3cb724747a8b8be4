/**
 * Permanent failures go straight to the dead-letter queue, with the reason, instead of burning
 * SQS retries: one poison message never blocks its tenant.
 *
 * Each dead letter is a message group of its own, named after the original messageId, which is
 * also its deduplication id (a repeated send after a crash is dropped by SQS). A FIFO queue hands
 * out a group's next message only once the earlier ones are deleted, so with the tenant as the
 * group a tenant's second and later dead letters stayed invisible to every reader that does not
 * delete (`tenants dlq list`, the `npm start` report) until the first was redriven. Nothing needs
 * the DLQ to keep a tenant's order: the redrive puts each message back in its tenant's group,
 * oldest first (cli/dlq/redrive.ts), and the tenant is kept in the `tenantId` attribute.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-understanding-logic.html
 *
 * A dead letter always fits: body and attributes together stay within SQS's message size limit,
 * every string attribute is made of characters SQS allows and bounded in size, and whatever had
 * to be cut or replaced is named in the `truncated` attribute, next to the original body's size
 * and SHA-256.
 */
import { createHash } from 'node:crypto';
import { SendMessageCommand, type SendMessageCommandInput, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { DLQ_ATTRIBUTE, TRUNCATED } from '../../shared/contracts/dead-letter-attributes.ts';
import { ProvisionerError } from '../../shared/errors.ts';
import { isSqsId } from '../../shared/publishing/sqs-ids.ts';
import {
  cutToBytes,
  messageBytes,
  SQS_MAX_MESSAGE_ATTRIBUTES,
  SQS_MAX_MESSAGE_BYTES,
  type StringAttribute,
  toSqsText,
  utf8Bytes,
} from '../../shared/publishing/sqs-message.ts';

type TruncatedPart = (typeof TRUNCATED)[keyof typeof TRUNCATED];

/**
 * Every string attribute value written here is at most this many UTF-8 bytes: a reason or a copied
 * attribute never crowds out the body, and all of them together stay a small, known share of the
 * size limit (10 attributes of 1 KiB plus their names).
 */
export const MAX_ATTRIBUTE_VALUE_BYTES = 1024;

export class DeadLetterSendError extends ProvisionerError {
  readonly code = 'DEAD_LETTER_SEND_FAILED';

  constructor(messageId: string, cause: unknown) {
    super(`could not move message ${messageId} to the dead-letter queue`, {
      retryable: true,
      cause,
      context: { messageId },
    });
  }
}

export interface DeadLetterReason {
  readonly code: string;
  readonly reason: string;
  readonly tenantId?: string;
}

export interface DeadLetterSender {
  send(record: SQSRecord, why: DeadLetterReason): Promise<void>;
}

/** Safe characters, bounded size; `cut` when the value is not the one given. */
const boundedText = (value: string): { value: string; cut: boolean } => {
  const safe = cutToBytes(toSqsText(value), MAX_ATTRIBUTE_VALUE_BYTES);
  return { value: safe, cut: safe !== value };
};

const text = (value: string): StringAttribute => ({ DataType: 'String', StringValue: value });
const number = (value: number | string): StringAttribute => ({
  DataType: 'Number',
  StringValue: String(value),
});

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The original message's id when SQS takes it as a group/deduplication id (it always does on AWS). */
const deadLetterId = (messageId: string): string => (isSqsId(messageId) ? messageId : sha256(messageId));

/**
 * Attributes of the original message, copied for diagnosis only (a redrive does not send them
 * back), into the slots our own attributes leave free. Binary ones are dropped.
 */
const copiedAttributes = (
  record: SQSRecord,
  taken: ReadonlySet<string>,
  slots: number,
): { attributes: Record<string, StringAttribute>; cut: boolean } => {
  const attributes: Record<string, StringAttribute> = {};
  let cut = false;
  for (const [name, value] of Object.entries(record.messageAttributes ?? {})) {
    if (taken.has(name)) continue;
    const isNumber = value.dataType.startsWith('Number');
    if (value.stringValue === undefined || Object.keys(attributes).length >= slots) {
      cut = true;
      continue;
    }
    const bounded = boundedText(value.stringValue);
    // A Number cut short would be another number: drop it rather than change it.
    if (bounded.cut && isNumber) {
      cut = true;
      continue;
    }
    cut ||= bounded.cut;
    attributes[name] = { DataType: value.dataType, StringValue: bounded.value };
  }
  return { attributes, cut };
};

/** The SendMessage request that dead-letters `record`: always within SQS's limits. */
export const deadLetterMessage = (
  record: SQSRecord,
  why: DeadLetterReason,
  queueUrl: string,
): SendMessageCommandInput => {
  const truncated = new Set<TruncatedPart>();
  const reason = boundedText(why.reason);
  if (reason.cut) truncated.add(TRUNCATED.reason);
  const tenantId = why.tenantId === undefined ? undefined : boundedText(why.tenantId);
  if (tenantId?.cut) truncated.add(TRUNCATED.tenantId);
  const receiveCount = record.attributes.ApproximateReceiveCount;

  const own: Record<string, StringAttribute> = {
    [DLQ_ATTRIBUTE.errorCode]: text(boundedText(why.code).value),
    [DLQ_ATTRIBUTE.reason]: text(reason.value),
    [DLQ_ATTRIBUTE.originalMessageId]: text(boundedText(record.messageId).value),
    ...(receiveCount !== undefined && /^\d{1,9}$/.test(receiveCount)
      ? { [DLQ_ATTRIBUTE.receiveCount]: number(receiveCount) }
      : {}),
    ...(tenantId === undefined ? {} : { [DLQ_ATTRIBUTE.tenantId]: text(tenantId.value) }),
    [DLQ_ATTRIBUTE.originalBodyBytes]: number(utf8Bytes(record.body)),
    [DLQ_ATTRIBUTE.originalBodySha256]: text(sha256(record.body)),
  };
  // One slot stays free for `truncated`, which is only known once the body has been measured.
  const ourNames = new Set<string>(Object.values(DLQ_ATTRIBUTE));
  const copied = copiedAttributes(record, ourNames, SQS_MAX_MESSAGE_ATTRIBUTES - Object.keys(own).length - 1);
  if (copied.cut) truncated.add(TRUNCATED.attributes);

  const safeBody = toSqsText(record.body);
  if (safeBody !== record.body) truncated.add(TRUNCATED.body);
  const attributesWith = (parts: ReadonlySet<TruncatedPart>): Record<string, StringAttribute> => ({
    ...copied.attributes,
    ...own,
    ...(parts.size === 0 ? {} : { [DLQ_ATTRIBUTE.truncated]: text([...parts].sort().join(',')) }),
  });
  if (messageBytes(safeBody, attributesWith(truncated)) > SQS_MAX_MESSAGE_BYTES)
    truncated.add(TRUNCATED.body);
  const attributes = attributesWith(truncated);
  const body = cutToBytes(safeBody, SQS_MAX_MESSAGE_BYTES - messageBytes('', attributes));

  const id = deadLetterId(record.messageId);
  return {
    QueueUrl: queueUrl,
    MessageBody: body,
    MessageGroupId: id,
    MessageDeduplicationId: id,
    MessageAttributes: attributes,
  };
};

export const createDeadLetterSender = ({
  sqs,
  queueUrl,
}: {
  sqs: SQSClient;
  queueUrl: string;
}): DeadLetterSender => ({
  send: async (record, why) => {
    try {
      await sqs.send(new SendMessageCommand(deadLetterMessage(record, why, queueUrl)));
    } catch (error) {
      throw new DeadLetterSendError(record.messageId, error);
    }
  },
});
