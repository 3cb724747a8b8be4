/** The dead letter the function sends: its own message group, and always within SQS's limits. */
import { createHash } from 'node:crypto';
import type { SendMessageCommandInput } from '@aws-sdk/client-sqs';
import type { SQSMessageAttributes } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  deadLetterMessage,
  MAX_ATTRIBUTE_VALUE_BYTES,
} from '../../../../functions/tenant-events/dead-letter.ts';
import { DLQ_ATTRIBUTE } from '../../../../shared/contracts/dead-letter-attributes.ts';
import {
  messageBytes,
  SQS_MAX_MESSAGE_ATTRIBUTES,
  SQS_MAX_MESSAGE_BYTES,
  type StringAttribute,
} from '../../../../shared/publishing/sqs-message.ts';
import { sqsRecord } from '../../../helpers/sqs-records.ts';

const QUEUE = 'https://sqs.us-east-1.amazonaws.com/000000000000/tenant-events-dlq.fifo';
const WHY = { code: 'EVENT_SCHEMA_VIOLATION', reason: 'invalid tenant event: version', tenantId: 'acme' };

/** Characters SQS refuses anywhere in a message (everything outside XML 1.0's Char). */
const REFUSED = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Half of a surrogate pair on its own: with the `u` flag, a whole pair is one code point, not Cs. */
const LONE_SURROGATE = /\p{Cs}/u;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const attributesOf = (message: SendMessageCommandInput) =>
  message.MessageAttributes as Record<string, StringAttribute>;
const value = (message: SendMessageCommandInput, name: string) => attributesOf(message)[name]?.StringValue;
const sizeOf = (message: SendMessageCommandInput) =>
  messageBytes(message.MessageBody ?? '', attributesOf(message));

/** Fits SQS: size, attribute count, characters, and no half of a surrogate pair anywhere. */
const expectAcceptableToSqs = (message: SendMessageCommandInput) => {
  expect(sizeOf(message)).toBeLessThanOrEqual(SQS_MAX_MESSAGE_BYTES);
  expect(Object.keys(attributesOf(message)).length).toBeLessThanOrEqual(SQS_MAX_MESSAGE_ATTRIBUTES);
  for (const text of [
    message.MessageBody ?? '',
    ...Object.values(attributesOf(message)).map((a) => a.StringValue),
  ]) {
    expect(REFUSED.test(text)).toBe(false);
    expect(LONE_SURROGATE.test(text)).toBe(false);
  }
};

/**
 * A record whose body, kept whole, would make the dead letter `extra` bytes larger than the limit
 * (rounded down to whole fillers). The attributes' size is measured on a large body that fits:
 * it depends on the body only through originalBodyBytes, seven digits for any of these sizes.
 */
const recordOverLimitBy = (extra: number, filler = 'x') => {
  const probe = deadLetterMessage(sqsRecord('x'.repeat(1_000_000)), WHY, QUEUE);
  const attributes = sizeOf(probe) - 1_000_000;
  const bytes = SQS_MAX_MESSAGE_BYTES - attributes + extra;
  return sqsRecord(filler.repeat(Math.floor(bytes / Buffer.byteLength(filler))));
};

/** Whether `cut` is a prefix of `whole`: compared as a boolean, so a failure prints no megabytes. */
const isPrefix = (cut: string | undefined, whole: string) => cut !== undefined && whole.startsWith(cut);

describe('deadLetterMessage', () => {
  it('puts each dead letter in a message group of its own, the original messageId, also its deduplication id', () => {
    const record = sqsRecord({ type: 'tenant.created', tenantId: 'acme' }, { groupId: 'acme' });
    const message = deadLetterMessage(record, WHY, QUEUE);
    expect(message).toMatchObject({
      QueueUrl: QUEUE,
      MessageBody: record.body,
      MessageGroupId: record.messageId,
      MessageDeduplicationId: record.messageId,
    });
    expect(attributesOf(message)).toEqual({
      [DLQ_ATTRIBUTE.errorCode]: { DataType: 'String', StringValue: WHY.code },
      [DLQ_ATTRIBUTE.reason]: { DataType: 'String', StringValue: WHY.reason },
      [DLQ_ATTRIBUTE.originalMessageId]: { DataType: 'String', StringValue: record.messageId },
      [DLQ_ATTRIBUTE.receiveCount]: { DataType: 'Number', StringValue: '1' },
      [DLQ_ATTRIBUTE.tenantId]: { DataType: 'String', StringValue: 'acme' },
      [DLQ_ATTRIBUTE.originalBodyBytes]: {
        DataType: 'Number',
        StringValue: String(Buffer.byteLength(record.body)),
      },
      [DLQ_ATTRIBUTE.originalBodySha256]: { DataType: 'String', StringValue: sha256(record.body) },
    });
    // Two dead letters of one tenant never share a group, so neither hides the other.
    const second = deadLetterMessage(sqsRecord('{}', { groupId: 'acme' }), WHY, QUEUE);
    expect(second.MessageGroupId).not.toBe(message.MessageGroupId);
  });

  it('uses a digest as the group when the messageId is not an id SQS takes', () => {
    const message = deadLetterMessage(sqsRecord('{}', { messageId: 'not an id' }), WHY, QUEUE);
    expect(message.MessageGroupId).toBe(sha256('not an id'));
    expect(message.MessageDeduplicationId).toBe(message.MessageGroupId);
  });

  it('keeps a body that fits to the byte, and cuts one byte more', () => {
    const fits = recordOverLimitBy(0);
    const exact = deadLetterMessage(fits, WHY, QUEUE);
    expect(sizeOf(exact)).toBe(SQS_MAX_MESSAGE_BYTES);
    expect(exact.MessageBody === fits.body).toBe(true);
    expect(value(exact, DLQ_ATTRIBUTE.truncated)).toBeUndefined();

    const over = recordOverLimitBy(1);
    const cut = deadLetterMessage(over, WHY, QUEUE);
    expectAcceptableToSqs(cut);
    expect(sizeOf(cut)).toBe(SQS_MAX_MESSAGE_BYTES);
    expect(value(cut, DLQ_ATTRIBUTE.truncated)).toBe('body');
    expect(isPrefix(cut.MessageBody, over.body)).toBe(true);
    expect(cut.MessageBody?.length).toBeLessThan(over.body.length);
  });

  it('cuts a near-limit body to fit with every attribute, keeping the original size and SHA-256', () => {
    const record = sqsRecord('é'.repeat(SQS_MAX_MESSAGE_BYTES / 2 - 10));
    expect(Buffer.byteLength(record.body)).toBe(SQS_MAX_MESSAGE_BYTES - 20);
    const message = deadLetterMessage(record, WHY, QUEUE);
    expectAcceptableToSqs(message);
    expect(value(message, DLQ_ATTRIBUTE.truncated)).toBe('body');
    expect(value(message, DLQ_ATTRIBUTE.originalBodyBytes)).toBe(String(SQS_MAX_MESSAGE_BYTES - 20));
    expect(value(message, DLQ_ATTRIBUTE.originalBodySha256)).toBe(sha256(record.body));
    // Cut between characters: never half of a two-byte é.
    expect(/^é+$/.test(message.MessageBody ?? '')).toBe(true);
    expect(SQS_MAX_MESSAGE_BYTES - sizeOf(message)).toBeLessThan(2);
  });

  it('never splits a surrogate pair where the body is cut', () => {
    // Each key is one code point: four UTF-8 bytes, two UTF-16 units. Shifting the keys by 0..3
    // ASCII bytes makes the byte limit land at each of the four offsets inside one of them.
    const key = '\u{1F511}';
    const fits = recordOverLimitBy(0).body.length;
    const gaps = new Set<number>();
    for (let shift = 0; shift < 4; shift += 1) {
      const record = sqsRecord(`${'x'.repeat(shift)}${key.repeat(Math.ceil(fits / 4) + 1)}`);
      const message = deadLetterMessage(record, WHY, QUEUE);
      expectAcceptableToSqs(message);
      expect(new RegExp(`^x{${shift}}(${key})+$`, 'u').test(message.MessageBody ?? '')).toBe(true);
      expect(value(message, DLQ_ATTRIBUTE.truncated)).toBe('body');
      gaps.add(SQS_MAX_MESSAGE_BYTES - sizeOf(message));
    }
    // The cut landed after 0, 1, 2 and 3 bytes of a key, and backed off to its start each time.
    expect([...gaps].sort()).toEqual([0, 1, 2, 3]);
  });

  it('replaces control characters and lone surrogates in the reason, keeping tabs and newlines', () => {
    const reason = 'bad \u0000byte\u0007 \u001b[31mred\u001b[0m\ttab\nline \uD83D alone \uFFFE end';
    const message = deadLetterMessage(sqsRecord('{}'), { ...WHY, reason }, QUEUE);
    expectAcceptableToSqs(message);
    expect(value(message, DLQ_ATTRIBUTE.reason)).toBe(
      'bad \uFFFDbyte\uFFFD \uFFFD[31mred\uFFFD[0m\ttab\nline \uFFFD alone \uFFFD end',
    );
    expect(value(message, DLQ_ATTRIBUTE.truncated)).toBe('reason');
  });

  it('bounds the reason in bytes, cutting between code points even inside a surrogate pair', () => {
    const reason = `${'r'.repeat(MAX_ATTRIBUTE_VALUE_BYTES - 2)}\u{1F511}${'tail'.repeat(500)}`;
    const message = deadLetterMessage(sqsRecord('{}'), { ...WHY, reason }, QUEUE);
    expectAcceptableToSqs(message);
    expect(value(message, DLQ_ATTRIBUTE.reason)).toBe('r'.repeat(MAX_ATTRIBUTE_VALUE_BYTES - 2));
    expect(value(message, DLQ_ATTRIBUTE.truncated)).toBe('reason');
    const exact = `${'r'.repeat(MAX_ATTRIBUTE_VALUE_BYTES - 4)}\u{1F511}`;
    expect(
      value(deadLetterMessage(sqsRecord('{}'), { ...WHY, reason: exact }, QUEUE), DLQ_ATTRIBUTE.reason),
    ).toBe(exact);
  });

  it('replaces characters SQS refuses in the body, and says so', () => {
    const record = sqsRecord('{"tenantId":"acme\u0001","x":"\uDC00"}');
    const message = deadLetterMessage(record, WHY, QUEUE);
    expectAcceptableToSqs(message);
    expect(message.MessageBody).toBe('{"tenantId":"acme\uFFFD","x":"\uFFFD"}');
    expect(value(message, DLQ_ATTRIBUTE.truncated)).toBe('body');
    expect(value(message, DLQ_ATTRIBUTE.originalBodySha256)).toBe(sha256(record.body));
  });

  it('copies the original attributes into the free slots only, made safe, and never overrides its own', () => {
    const record = sqsRecord('{}');
    const attributes: SQSMessageAttributes = {
      traceparent: { dataType: 'String', stringValue: `00-${'\u0002'.repeat(3)}-${'a'.repeat(2000)}` },
      reason: { dataType: 'String', stringValue: 'an attacker-chosen reason' },
      priority: { dataType: 'Number', stringValue: '7' },
      blob: { dataType: 'Binary', binaryValue: 'AAEC' },
      extra: { dataType: 'String', stringValue: 'no room left' },
    };
    record.messageAttributes = attributes;
    const message = deadLetterMessage(record, WHY, QUEUE);
    expectAcceptableToSqs(message);
    const names = Object.keys(attributesOf(message));
    expect(names).toHaveLength(SQS_MAX_MESSAGE_ATTRIBUTES);
    expect(value(message, DLQ_ATTRIBUTE.reason)).toBe(WHY.reason);
    expect(names).toEqual(expect.arrayContaining(['traceparent', 'priority']));
    expect(names).not.toEqual(expect.arrayContaining(['blob']));
    expect(names).not.toEqual(expect.arrayContaining(['extra']));
    expect(Buffer.byteLength(value(message, 'traceparent') ?? '')).toBeLessThanOrEqual(
      MAX_ATTRIBUTE_VALUE_BYTES,
    );
    expect(value(message, 'traceparent')).toMatch(/^00-\uFFFD{3}-a+$/);
    expect(attributesOf(message).priority).toEqual({ DataType: 'Number', StringValue: '7' });
    expect(value(message, DLQ_ATTRIBUTE.truncated)).toBe('attributes');
  });

  it('names every part it changed, and stays within the limit with all of them cut at once', () => {
    const record = recordOverLimitBy(5000, 'ü');
    record.messageAttributes = {
      a: { dataType: 'String', stringValue: 'é'.repeat(5000) },
      b: { dataType: 'String', stringValue: 'b' },
      c: { dataType: 'String', stringValue: 'c' },
    };
    const message = deadLetterMessage(
      record,
      { code: 'X', reason: `\u0000${'why '.repeat(1000)}`, tenantId: `t${'\u0003'.repeat(2000)}` },
      QUEUE,
    );
    expectAcceptableToSqs(message);
    expect(value(message, DLQ_ATTRIBUTE.truncated)).toBe('attributes,body,reason,tenantId');
    expect(SQS_MAX_MESSAGE_BYTES - sizeOf(message)).toBeLessThan(2);
  });

  it('leaves out a receive count that is not a number rather than send one SQS refuses', () => {
    const record = sqsRecord('{}');
    record.attributes.ApproximateReceiveCount = '';
    const message = deadLetterMessage(record, { code: 'X', reason: 'y' }, QUEUE);
    expect(attributesOf(message)[DLQ_ATTRIBUTE.receiveCount]).toBeUndefined();
    expect(attributesOf(message)[DLQ_ATTRIBUTE.tenantId]).toBeUndefined();
  });
});
