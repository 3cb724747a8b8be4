/**
 * The sending loop of a backfill: chunks of up to 10 rows (SendMessageBatch's limit), each after
 * its share of time at the paced rate, each recorded before the next goes out. Rows SQS throttled
 * go back to the front of the line and the rate halves; other refusals are reported by line. The
 * loop checks, between chunks, for a stop request, a rate change and the queue's backlog.
 */
import type { TenantEvent } from '../../shared/domain/event.ts';
import {
  type OutgoingMessage,
  type PublishTarget,
  publishMessages,
  SQS_BATCH_LIMIT,
} from '../../shared/publishing/publisher.ts';
import type { BacklogGate } from './backlog.ts';
import { type BackfillControl, describeRateChange } from './control.ts';
import { type AdaptivePacer, formatRate, PAUSED_POLL_MS } from './pacer.ts';
import type { BackfillProgress } from './progress.ts';
import type { BackfillRow } from './rows.ts';
import { type BackfillState, recordSent } from './state.ts';
import { throttledResult } from './throttle.ts';

export interface Planned {
  readonly row: BackfillRow;
  readonly event: TenantEvent;
  readonly message: OutgoingMessage;
}

export interface RowFailure {
  readonly row: BackfillRow;
  readonly reason: string;
}

export interface SendOutcome {
  readonly sent: number;
  readonly failures: RowFailure[];
  /** Rows not sent because the run was stopped (Ctrl-C), in file order. */
  readonly unsent: number;
  /** Sends SQS answered with throttling, retried by the SDK or by this loop. */
  readonly throttled: number;
}

export interface SendDeps {
  readonly target: PublishTarget;
  readonly state: { readonly path: string; readonly value: BackfillState };
  readonly pacer: AdaptivePacer;
  readonly control: BackfillControl;
  readonly backlog: BacklogGate;
  readonly progress: BackfillProgress;
  /** Throttling answers seen so far on the client (every attempt, throttle.ts). */
  readonly throttlesSeen: () => number;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
}

/** A queue that throttles every send of this many chunks in a row, at the floor rate, is given up on. */
const GIVE_UP_AFTER_THROTTLED_CHUNKS = 20;

const chunkSize = (rate: number): number =>
  // Below 10/s a full batch would burst past the rate; smaller batches keep it even.
  Math.max(1, Math.min(SQS_BATCH_LIMIT, Math.floor(rate)));

export const sendRows = async (pending: readonly Planned[], deps: SendDeps): Promise<SendOutcome> => {
  const { pacer, control, progress } = deps;
  const waiting = [...pending];
  const failures: RowFailure[] = [];
  let sent = 0;
  let throttled = 0;
  let throttledInARow = 0;
  const slowDown = () => {
    const before = pacer.rate;
    pacer.throttled();
    if (pacer.rate < before) {
      progress.note(`backfill: SQS is throttling the sends; pacing down to ${formatRate(pacer.rate)}`);
    }
  };
  while (waiting.length > 0 && !control.stopping) {
    const change = await control.nextRateChange();
    if (change !== undefined) {
      pacer.setCeiling(change.rate);
      progress.note(describeRateChange(change));
    }
    await deps.backlog.wait();
    if (control.stopping) break;
    if (pacer.rate === 0) {
      await deps.sleep(PAUSED_POLL_MS);
      continue;
    }
    const size = chunkSize(pacer.rate);
    await pacer.take(size);
    if (control.stopping) break;
    const chunk = waiting.splice(0, size);
    const throttlesBefore = deps.throttlesSeen();
    const results = await publishMessages(
      deps.target,
      chunk.map((planned) => planned.message),
    );
    const accepted = [];
    const again: Planned[] = [];
    for (const result of results) {
      const planned = chunk[result.index];
      if (planned === undefined) continue;
      if (result.error === undefined && result.messageId !== undefined) {
        accepted.push({
          tenantId: planned.row.tenantId,
          line: planned.row.line,
          eventId: planned.event.eventId,
          messageId: result.messageId,
          sentAt: deps.now().toISOString(),
        });
      } else if (throttledResult(result) && throttledInARow < GIVE_UP_AFTER_THROTTLED_CHUNKS) {
        again.push(planned);
      } else {
        failures.push({ row: planned.row, reason: result.error?.message ?? 'no message id' });
      }
    }
    await recordSent(deps.state.path, deps.state.value, accepted);
    sent += accepted.length;
    deps.backlog.sent(accepted.length);
    // Throttled rows go out again first, so the file's order holds.
    waiting.unshift(...again);
    const throttlesNow = deps.throttlesSeen();
    if (again.length > 0 || throttlesNow > throttlesBefore) {
      throttled += Math.max(throttlesNow - throttlesBefore, again.length > 0 ? 1 : 0);
      slowDown();
    }
    throttledInARow = again.length === chunk.length ? throttledInARow + 1 : 0;
    progress.update(sent + failures.length, failures.length);
  }
  return { sent, failures, unsent: waiting.length, throttled };
};
