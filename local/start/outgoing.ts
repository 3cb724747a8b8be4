/**
 * Turns event-file lines into queue messages the way producers publish them (publisher.ts):
 * MessageGroupId = tenantId, MessageDeduplicationId = eventId.
 */
import { createHash } from 'node:crypto';
import { EVENT_ID_PATTERN } from '../../shared/domain/event.ts';
import { messageOf, type OutgoingMessage } from '../../shared/publishing/publisher.ts';
import type { EventLine } from '../expectations.ts';

const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 24);

/**
 * A line repeated in the file stands for a duplicate delivery, which must really reach the
 * handler twice to show that it is applied once. SQS would drop the repeat inside its 5-minute
 * deduplication window, so the repeat gets its own deduplication id (`<eventId>#dup`, `#dup2`...)
 * while its body, and so the eventId the handler sees, stays the same.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/using-messagededuplicationid-property.html
 */
const repeatDeduplicationId = (eventId: string, repeat: number): string => {
  const id = `${eventId}#dup${repeat === 1 ? '' : repeat}`;
  return EVENT_ID_PATTERN.test(id) ? id : `dup${repeat}-${digest(eventId)}`;
};

/**
 * A line that is not a valid event is sent as it is, so the handler dead-letters it. Its group is
 * its tenant when one can be read, else a group of its own (so it delays no other message).
 */
const malformedMessage = (line: Extract<EventLine, { kind: 'malformed' }>): OutgoingMessage => ({
  body: line.raw,
  groupId: line.tenantId ?? `unreadable-line-${line.lineNumber}`,
  deduplicationId: `line-${line.lineNumber}-${digest(line.raw)}`,
});

export const toOutgoingMessages = (lines: readonly EventLine[]): OutgoingMessage[] => {
  const seen = new Map<string, number>();
  return lines.map((line) => {
    if (line.kind === 'malformed') return malformedMessage(line);
    const message = messageOf(line.event);
    const repeats = seen.get(line.event.eventId) ?? 0;
    seen.set(line.event.eventId, repeats + 1);
    // The line itself is the body, so envelopes (EventBridge, SNS) reach the handler unchanged.
    const body = line.raw;
    return repeats === 0
      ? { ...message, body }
      : { ...message, body, deduplicationId: repeatDeduplicationId(line.event.eventId, repeats) };
  });
};
