/**
 * OutcomePublisher over Amazon EventBridge PutEvents: one entry per outcome, `Source` = the
 * service's name, `DetailType` = the outcome's type, `Detail` = the outcome (its listed fields
 * only), `Time` = its publishedAt.
 *
 * PutEvents takes 1..10 entries whose total size is under the limit, and answers 200 even when
 * some entries failed: each failure is only in `Entries[i].ErrorCode` (counted in
 * `FailedEntryCount`), and the SDK does not retry it. So every answer is checked entry by entry,
 * entries failed with a retryable code are sent once more, and anything still not accepted makes
 * `publish` throw a retryable OutcomePublishError. The `publish` calls of one event-loop turn
 * share their PutEvents calls (see createEventBridgeOutcomePublisher).
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevents.html
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsCommandOutput,
  type PutEventsRequestEntry,
  type PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import {
  InvalidOutcomeError,
  OUTCOME_FIELDS,
  OUTCOME_SOURCE,
  type OutcomeEvent,
  type OutcomePublisher,
  parseOutcomeEvent,
} from '../domain/outcome-event.ts';
import { type FailedOutcomeEntry, OutcomePublishError } from './errors.ts';

/** PutEvents takes at most 10 entries per call. */
export const PUT_EVENTS_MAX_ENTRIES = 10;
/**
 * The limit on the total entry size of one PutEvents call: 1 MiB since EventBridge raised it from
 * 256 KB on 2026-01-29. https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html
 */
export const PUT_EVENTS_MAX_REQUEST_BYTES = 1024 * 1024;
/** Per-entry codes EventBridge documents as worth resending. */
export const RETRYABLE_ENTRY_ERROR_CODES: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'InternalFailure',
]);

export interface EventBridgeOutcomePublisherOptions {
  readonly client: EventBridgeClient;
  /** The bus's name or ARN (`default` for the account's default bus). */
  readonly eventBusName: string;
  /** Defaults to OUTCOME_SOURCE, `subaccount-provisioner`. */
  readonly source?: string;
  /** Resend the entries that failed with a retryable code once before giving up (default true). */
  readonly retryFailedEntries?: boolean;
  /** Wait before that resend (default 100 ms). */
  readonly retryDelayMs?: number;
  /** The total entry size limit of one call (default PUT_EVENTS_MAX_REQUEST_BYTES). */
  readonly maxRequestBytes?: number;
}

/**
 * An entry's size as AWS documents it ("Calculating PutEvents event entry size"): 14 bytes for
 * Time when present, plus the UTF-8 bytes of Source, DetailType, Detail and each Resources entry.
 */
export const putEventsEntrySize = (entry: PutEventsRequestEntry): number =>
  (entry.Time === undefined ? 0 : 14) +
  Buffer.byteLength(entry.Source ?? '', 'utf8') +
  Buffer.byteLength(entry.DetailType ?? '', 'utf8') +
  Buffer.byteLength(entry.Detail ?? '', 'utf8') +
  (entry.Resources ?? []).reduce((total, resource) => total + Buffer.byteLength(resource, 'utf8'), 0);

const detailJson = (valid: OutcomeEvent): string => {
  const fields = valid as Readonly<Record<string, unknown>>;
  const detail: Record<string, unknown> = {};
  for (const field of OUTCOME_FIELDS) if (fields[field] !== undefined) detail[field] = fields[field];
  return JSON.stringify(detail);
};

/** The Detail JSON of an outcome: its listed fields, in their listed order, nothing else. */
export const outcomeDetail = (outcome: OutcomeEvent): string => detailJson(parseOutcomeEvent(outcome));

/**
 * The PutEvents entry of one outcome. Validates it first (throws InvalidOutcomeError), and copies
 * only the contract's fields, so nothing else an object passed as an outcome holds can leave.
 */
export const outcomeEntry = (
  outcome: OutcomeEvent,
  target: { readonly eventBusName: string; readonly source?: string },
): PutEventsRequestEntry => {
  const valid = parseOutcomeEvent(outcome);
  return {
    EventBusName: target.eventBusName,
    Source: target.source ?? OUTCOME_SOURCE,
    DetailType: valid.type,
    Detail: detailJson(valid),
    Time: new Date(valid.publishedAt),
  };
};

/** One `publish` call: its promise, and what is known of its entries so far. */
interface Caller {
  /** How many outcomes it gave (the `total` of its OutcomePublishError). */
  readonly total: number;
  /** Its entries not answered yet; the promise settles when this reaches 0. */
  unanswered: number;
  readonly failed: FailedOutcomeEntry[];
  /** Set when a call holding its entries failed as a whole: its error's `cause`. */
  failedWhole?: { readonly cause: unknown };
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

interface Pending {
  /** Position in the list given to its caller's `publish`. */
  readonly index: number;
  readonly type: string;
  readonly entry: PutEventsRequestEntry;
  readonly caller: Caller;
}

/** An entry not accepted. Entries are told apart by identity: indexes repeat across callers. */
interface Failure {
  readonly item: Pending;
  readonly errorCode: string;
}

/** Consecutive chunks of at most 10 entries and at most `maxBytes` in total, in order. */
const chunksOf = (pending: readonly Pending[], maxBytes: number): Pending[][] => {
  const chunks: Pending[][] = [];
  let current: Pending[] = [];
  let bytes = 0;
  for (const item of pending) {
    const size = putEventsEntrySize(item.entry);
    if (current.length === PUT_EVENTS_MAX_ENTRIES || (current.length > 0 && bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
};

const errorName = (error: unknown): string =>
  error instanceof Error && /^[A-Za-z][A-Za-z0-9_.:-]{0,127}$/.test(error.name) ? error.name : 'Error';

/** A result that is neither an EventId nor a code is a failure too: the entry was not accepted. */
const failureCode = (result: PutEventsResultEntry | undefined): string | undefined => {
  if (result?.ErrorCode) return result.ErrorCode;
  return result?.EventId ? undefined : 'NoEventId';
};

/** What one call did: the entries not accepted, or the error of the call as a whole. */
type SendResult =
  | { readonly ok: true; readonly failed: readonly Failure[] }
  | { readonly ok: false; readonly cause: unknown };

const failedAs = (items: readonly Pending[], errorCode: string): Failure[] =>
  items.map((item) => ({ item, errorCode }));

const byIndex = (x: FailedOutcomeEntry, y: FailedOutcomeEntry) => x.index - y.index;

/** Resolves a caller whose entries were all accepted, else rejects it with only its own failures. */
const finish = (caller: Caller): void => {
  if (caller.failed.length === 0) {
    caller.resolve();
    return;
  }
  const options = caller.failedWhole ? { cause: caller.failedWhole.cause } : {};
  caller.reject(new OutcomePublishError(caller.failed.sort(byIndex), caller.total, options));
};

/**
 * Records the answer of `answered` entries (`failures` being those among them not accepted), and
 * settles each caller that has nothing left unanswered.
 */
const settle = (answered: readonly Pending[], failures: readonly Failure[]): void => {
  for (const { item, errorCode } of failures) {
    item.caller.failed.push({ index: item.index, type: item.type, errorCode });
  }
  const touched = new Set<Caller>();
  for (const item of answered) {
    item.caller.unanswered -= 1;
    touched.add(item.caller);
  }
  for (const caller of touched) if (caller.unanswered === 0) finish(caller);
};

const validatePositive = (value: number, name: string): void => {
  if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`${name} must be a non-negative number`);
};

/**
 * Publishes outcomes to an EventBridge bus. `publish` resolves once EventBridge accepted every
 * outcome it was given, and throws OutcomePublishError (retryable) when any was not accepted after
 * one resend of the throttled ones, or InvalidOutcomeError (permanent, nothing sent) for an outcome
 * that breaks the contract or could never fit in a call.
 *
 * Concurrent calls share PutEvents calls: the records of a batch run
 * in parallel and finish nearly together, each publishing its outcome, and every SDK call costs
 * CPU (~0.8 ms) and counts against the account's PutEvents quota, so the entries given to
 * `publish` in one event-loop turn are queued and sent together on the next `setImmediate`, in
 * the order `publish` was called (each call's own entries consecutive, in their order), in chunks
 * of at most 10 entries and `maxRequestBytes`. Sharing never mixes up results: each call is checked
 * on its own (an invalid outcome rejects that call alone, before anything of it is queued), and
 * settles on its own entries only: resolved when all of them were accepted (whatever happened to
 * the others), else OutcomePublishError listing only its failed entries, indexed in ITS list, with
 * its own length as total and, when a call holding them failed as a whole, that call's error as
 * `cause`. No fixed wait is added: a call alone is sent in the same turn's check phase.
 */
export const createEventBridgeOutcomePublisher = ({
  client,
  eventBusName,
  source = OUTCOME_SOURCE,
  retryFailedEntries = true,
  retryDelayMs = 100,
  maxRequestBytes = PUT_EVENTS_MAX_REQUEST_BYTES,
}: EventBridgeOutcomePublisherOptions): OutcomePublisher => {
  if (typeof eventBusName !== 'string' || eventBusName.length === 0) {
    throw new RangeError('eventBusName must be the name or ARN of an event bus');
  }
  if (typeof source !== 'string' || source.length === 0 || source.length > 256 || source.startsWith('aws.')) {
    throw new RangeError('source must be 1..256 characters and must not start with "aws."');
  }
  validatePositive(retryDelayMs, 'retryDelayMs');
  if (!(Number.isSafeInteger(maxRequestBytes) && maxRequestBytes > 0)) {
    throw new RangeError('maxRequestBytes must be a positive number of bytes');
  }

  const send = async (chunk: readonly Pending[]): Promise<SendResult> => {
    let answer: PutEventsCommandOutput;
    try {
      answer = await client.send(new PutEventsCommand({ Entries: chunk.map(({ entry }) => entry) }));
    } catch (cause) {
      return { ok: false, cause };
    }
    const results = answer.Entries ?? [];
    const failed: Failure[] = [];
    chunk.forEach((item, position) => {
      const code = failureCode(results[position]);
      if (code !== undefined) failed.push({ item, errorCode: code });
    });
    // A count of failures that no entry shows: which entries were accepted is unknown, so none is
    // taken as accepted (a resend can only make duplicates, which consumers drop).
    if (failed.length === 0 && (answer.FailedEntryCount ?? 0) > 0) {
      return { ok: true, failed: failedAs(chunk, 'FailedEntryCountMismatch') };
    }
    return { ok: true, failed };
  };

  /** One chunk, and one resend of its entries that failed with a retryable code. */
  const sendWithResend = async (chunk: readonly Pending[]): Promise<SendResult> => {
    const first = await send(chunk);
    if (!first.ok || !retryFailedEntries) return first;
    const again = new Set(
      first.failed
        .filter(({ errorCode }) => RETRYABLE_ENTRY_ERROR_CODES.has(errorCode))
        .map(({ item }) => item),
    );
    if (again.size === 0) return first;
    await sleep(retryDelayMs);
    const resend = chunk.filter((item) => again.has(item));
    const second = await send(resend);
    const kept = first.failed.filter(({ item }) => !again.has(item));
    // Entries of the first answer that were accepted stay accepted, even when the resend fails whole.
    return second.ok
      ? { ok: true, failed: [...kept, ...second.failed] }
      : { ok: true, failed: [...kept, ...failedAs(resend, errorName(second.cause))] };
  };

  /**
   * Sends queued entries and settles their callers. Chunks go one after the other, in queue order:
   * the events reach the bus in the order `publish` was called; a batch's outcomes nearly always fit
   * one chunk, so running chunks at once would rarely save time and would only spend the PutEvents
   * quota in bursts; and a caller whose call failed as a whole (after the SDK's retries) can be
   * held back truthfully: its entries in later chunks are `NotSent` because they were not sent.
   * They are held back because that caller rejects anyway and its redelivery publishes them again,
   * while the other callers of those chunks still get their try.
   */
  const deliver = async (items: readonly Pending[]): Promise<void> => {
    const open = new Set(items);
    const answer = (answered: readonly Pending[], failures: readonly Failure[]): void => {
      for (const item of answered) open.delete(item);
      settle(answered, failures);
    };
    try {
      for (const chunk of chunksOf(items, maxRequestBytes)) {
        const held = chunk.filter(({ caller }) => caller.failedWhole !== undefined);
        const sent = chunk.filter(({ caller }) => caller.failedWhole === undefined);
        answer(held, failedAs(held, 'NotSent'));
        if (sent.length === 0) continue;
        const result = await sendWithResend(sent);
        if (!result.ok) for (const { caller } of sent) caller.failedWhole ??= { cause: result.cause };
        answer(sent, result.ok ? result.failed : failedAs(sent, errorName(result.cause)));
      }
    } catch (cause) {
      // Only a bug gets here (`send` catches what the SDK throws): no caller is left waiting for good.
      const left = [...open];
      for (const { caller } of left) caller.failedWhole ??= { cause };
      answer(left, failedAs(left, errorName(cause)));
    }
  };

  let queue: Pending[] = [];
  let flushScheduled = false;

  const flush = (): void => {
    const items = queue;
    queue = [];
    flushScheduled = false;
    void deliver(items);
  };

  /**
   * setImmediate runs once the current event-loop turn has run its callbacks: every `publish` of
   * that turn (records whose last I/O answered together) shares the flush, and none waits longer.
   */
  const enqueue = (items: readonly Pending[]): void => {
    queue.push(...items);
    if (flushScheduled) return;
    flushScheduled = true;
    setImmediate(flush);
  };

  return {
    async publish(outcomes) {
      const entries = outcomes.map((outcome, index) => {
        const entry = outcomeEntry(outcome, { eventBusName, source });
        const size = putEventsEntrySize(entry);
        if (size > maxRequestBytes) {
          throw new InvalidOutcomeError(
            `outcome ${index} (${entry.DetailType}) is ${size} bytes, over the PutEvents limit of ${maxRequestBytes}`,
            { index, outcomeType: entry.DetailType, entryBytes: size },
          );
        }
        return entry;
      });
      if (entries.length === 0) return;
      return new Promise<void>((resolve, reject) => {
        const caller: Caller = {
          total: outcomes.length,
          unanswered: entries.length,
          failed: [],
          resolve,
          reject,
        };
        const pending = entries.map(
          (entry, index): Pending => ({ index, type: entry.DetailType ?? '', entry, caller }),
        );
        enqueue(pending);
      });
    },
  };
};
