/**
 * A failed invocation's batch goes back to the queue; if its records keep working after that, they
 * race their own redelivery and can land a stale write after a newer event was applied. Lambda
 * resets the sandbox after a timeout, but not after a handler error: leftovers resume whenever that
 * sandbox is thawed again (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html).
 * So each record must be finished before its invocation ends.
 */
import type { Invariant, Violation } from './invariants.ts';
import type { EndedInvocation, ScenarioRun } from './scenario.ts';

interface RecordLine {
  readonly messageId: string;
  readonly attempt: number;
  readonly finishedAt: number;
  readonly outcome: string;
  readonly tenantId?: string;
  readonly eventId?: string;
}

/** The handler's one structured line per record (functions/tenant-events/observer.ts). */
const recordLineOf = (text: string): RecordLine | undefined => {
  if (!text.includes('"messageId"') || !text.includes('"outcome"')) return undefined;
  try {
    const line = JSON.parse(text) as Record<string, unknown>;
    const finishedAt = Date.parse(String(line.timestamp));
    if (typeof line.messageId !== 'string' || Number.isNaN(finishedAt)) return undefined;
    return {
      messageId: line.messageId,
      attempt: Number(line.attempt) || 1,
      finishedAt,
      outcome: String(line.outcome),
      ...(typeof line.tenantId === 'string' ? { tenantId: line.tenantId } : {}),
      ...(typeof line.eventId === 'string' ? { eventId: line.eventId } : {}),
    };
  } catch {
    return undefined;
  }
};

/**
 * The n-th invocation that received a message is the one its n-th receive (ApproximateReceiveCount)
 * belongs to. The line's own request id cannot tell: the logger carries the context of whichever
 * invocation the environment runs when the line is written.
 */
const receiptsOf = (invocations: readonly EndedInvocation[]): Map<string, EndedInvocation[]> => {
  const byMessage = new Map<string, EndedInvocation[]>();
  for (const invocation of invocations) {
    for (const id of invocation.report.messageIds)
      byMessage.set(id, [...(byMessage.get(id) ?? []), invocation]);
  }
  return byMessage;
};

const describeEnd = ({ report }: EndedInvocation): string =>
  `${report.requestId} (${report.outcome}${report.error === undefined ? '' : `: ${report.error.type}`})`;

export const isolationInvariant: Invariant = {
  id: 'invocation-isolation',
  claim: 'no record keeps working after its invocation ended and its batch went back to the queue',
  check: (run: ScenarioRun) => {
    const receipts = receiptsOf(run.stats.invocations);
    const attributed = run.logs
      .map((line) => recordLineOf(line.text))
      .flatMap((record) => {
        const invocation = record && receipts.get(record.messageId)?.[record.attempt - 1];
        return record && invocation ? [{ record, invocation }] : [];
      });
    const violations = attributed
      .filter(({ record, invocation }) => record.finishedAt > invocation.endedAt)
      .map(
        ({ record, invocation }): Violation => ({
          subject: `${record.tenantId ?? '(no tenant)'} ${record.eventId ?? ''} (message ${record.messageId}, receive ${record.attempt})`,
          problem:
            `record ${record.outcome} finished ${record.finishedAt - invocation.endedAt} ms after its invocation ` +
            `${describeEnd(invocation)} had ended`,
        }),
      );
    return { checked: attributed.length, violations };
  },
};
