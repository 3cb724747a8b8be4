/**
 * Every message that was not applied is in the DLQ with its reason, and nothing else is: compared
 * message by message with the model's expected dead letters (local/expectations.ts).
 */
import type { ExpectedDeadLetter } from '../../../local/expectations.ts';
import type { Invariant, Violation } from './invariants.ts';
import type { ObservedDeadLetter } from './observe.ts';
import type { PublishedMessage, ScenarioRun } from './scenario.ts';

interface Expected {
  readonly letter: ExpectedDeadLetter;
  readonly message: PublishedMessage;
}

const describeMessage = (message: PublishedMessage | undefined, messageId: string): string => {
  if (message === undefined) return `unknown message ${messageId}`;
  const { planned } = message;
  const what =
    planned.event === undefined ? 'malformed body' : `${planned.event.type} ${planned.event.eventId}`;
  return `#${message.index} ${what} (${planned.kind}, group ${planned.groupId}, message ${messageId})`;
};

const problemWith = (letter: ObservedDeadLetter, want: Expected | undefined): string | undefined => {
  if (letter.errorCode === undefined || !letter.reason)
    return 'dead-lettered without errorCode/reason: SQS moved it after maxReceiveCount receives';
  if (want === undefined)
    return `dead-lettered (${letter.errorCode}: ${letter.reason}) but it must be applied`;
  if (letter.errorCode !== want.letter.errorCode)
    return `dead-lettered as ${letter.errorCode}, expected ${want.letter.errorCode}`;
  if (letter.reason !== want.letter.reason)
    return `reason "${letter.reason}", expected "${want.letter.reason}"`;
  if (letter.tenantIdAttribute !== want.letter.tenantId)
    return `tenantId attribute ${letter.tenantIdAttribute}, expected ${want.letter.tenantId}`;
  return undefined;
};

/** A malformed body's declared code (workload) and the model's must agree, or one of them is wrong. */
const workloadDisagreements = (run: ScenarioRun, expected: ReadonlyMap<string, Expected>): Violation[] =>
  run.published
    .filter((message) => message.planned.kind === 'malformed')
    .filter((message) => expected.get(message.messageId)?.letter.errorCode !== message.planned.malformedCode)
    .map((message) => ({
      subject: describeMessage(message, message.messageId),
      problem: `the workload declares ${message.planned.malformedCode}, the model expects ${
        expected.get(message.messageId)?.letter.errorCode ?? 'no dead letter'
      }`,
    }));

export const deadLetterInvariant: Invariant = {
  id: 'dead-letters',
  claim: 'every message that was not applied is in the DLQ with errorCode and reason; nothing else is',
  check: (run) => {
    const byIndex = new Map(run.published.map((message) => [message.index, message]));
    const byId = new Map(run.published.map((message) => [message.messageId, message]));
    const expected = new Map<string, Expected>();
    for (const letter of run.expectations.deadLetters) {
      const message = byIndex.get(letter.lineNumber)!;
      expected.set(message.messageId, { letter, message });
    }
    const seen = new Set<string>();
    const violations: Violation[] = [];
    for (const letter of run.observed.deadLetters) {
      const id = letter.originalMessageId ?? letter.dlqMessageId;
      const problem = seen.has(id) ? 'dead-lettered more than once' : problemWith(letter, expected.get(id));
      if (problem !== undefined) violations.push({ subject: describeMessage(byId.get(id), id), problem });
      seen.add(id);
    }
    for (const [id, want] of expected) {
      if (!seen.has(id))
        violations.push({
          subject: describeMessage(want.message, id),
          problem: `missing from the DLQ (expected ${want.letter.errorCode}: ${want.letter.reason})`,
        });
    }
    return {
      checked: run.published.length,
      violations: [...violations, ...workloadDisagreements(run, expected)],
    };
  },
};
