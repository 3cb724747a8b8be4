/**
 * What SQS accepts in one message, as far as this service builds messages itself (the dead
 * letters): the size limit, the number of message attributes, and the characters of the body and
 * of string attribute values.
 */

/**
 * A message's body plus all its message attributes (each one's name, data type and value) must
 * fit in 1 MiB. The limit was raised from 256 KiB in 2025; a queue's own
 * MaximumMessageSize may be set lower, and its default is now this maximum.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_MessageAttributeValue.html
 * https://aws.amazon.com/blogs/compute/more-room-to-build-serverless-services-now-support-payloads-up-to-1-mb
 */
export const SQS_MAX_MESSAGE_BYTES = 1_048_576;

/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html */
export const SQS_MAX_MESSAGE_ATTRIBUTES = 10;

export interface StringAttribute {
  readonly DataType: string;
  readonly StringValue: string;
}

export const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** How SQS counts a message attribute against the size limit: name + data type + value. */
export const attributeBytes = (name: string, attribute: StringAttribute): number =>
  utf8Bytes(name) + utf8Bytes(attribute.DataType) + utf8Bytes(attribute.StringValue);

export const messageBytes = (body: string, attributes: Readonly<Record<string, StringAttribute>>): number =>
  Object.entries(attributes).reduce(
    (total, [name, value]) => total + attributeBytes(name, value),
    utf8Bytes(body),
  );

/**
 * The characters SQS allows in a body and in a string attribute value (XML 1.0's Char):
 * #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF. Anything else makes
 * SQS refuse the whole message with InvalidMessageContents. With the `u` flag a lone surrogate
 * is one code point in D800..DFFF, outside the class, so it is caught too.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html#SQS-SendMessage-request-MessageBody
 */
const DISALLOWED = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** The character that stands in for one SQS refuses (itself allowed: #xFFFD). */
export const REPLACEMENT = '\uFFFD';

/** `text` with every character SQS refuses replaced by U+FFFD. */
export const toSqsText = (text: string): string => text.replace(DISALLOWED, REPLACEMENT);

/**
 * The longest prefix of `text` that is at most `maxBytes` in UTF-8, cut between code points (a
 * surrogate pair is one code point, so it is never split). Works on the UTF-8 encoding: a cut
 * that lands inside a multi-byte sequence backs off to the sequence's first byte.
 */
export const cutToBytes = (text: string, maxBytes: number): string => {
  const encoded = Buffer.from(text, 'utf8');
  if (encoded.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes);
  // Continuation bytes are 10xxxxxx: the byte at `end` starting one means the cut splits a sequence.
  while (end > 0 && ((encoded[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return encoded.subarray(0, end).toString('utf8');
};
