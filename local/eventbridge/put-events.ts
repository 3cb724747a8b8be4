import type { EventBuses, ReceivedEvent } from './buses.ts';
import { putEventsEntrySize } from './entry-size.ts';
import { SerializationError, ValidationError } from './errors.ts';
import { entryFailureMessage, type FaultDecision } from './faults.ts';

/**
 * PutEvents as the API reference describes it:
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
 * Whole-request problems (JSON types, 1..10 entries, the total size) are exceptions; problems of
 * one entry are that entry's ErrorCode / ErrorMessage, the other entries being processed anyway.
 */

interface Entry {
  Time?: number;
  Source?: string;
  Resources?: string[];
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  TraceHeader?: string;
}

export type ResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export interface PutEventsOutput {
  FailedEntryCount: number;
  Entries: ResultEntry[];
}

export interface PutEventsContext {
  readonly buses: EventBuses;
  readonly region: string;
  readonly accountId: string;
  readonly maxRequestEntrySizeBytes: number;
  /** 'accept' answers an entry for a missing bus with an EventId and delivers it nowhere, as AWS does. */
  readonly unknownBus: 'accept' | 'reject';
  readonly now: () => Date;
  readonly newEventId: () => string;
}

export interface PutEventsOutcome {
  output: PutEventsOutput;
  stored: number;
  dropped: number;
}

const MAX_ENTRIES = 10;
const STRING_MEMBERS = ['Source', 'DetailType', 'Detail', 'EventBusName', 'TraceHeader'] as const;

/** A member of the wrong JSON type never reaches validation: the service cannot read it. */
const readEntry = (raw: unknown, index: number): Entry => {
  const where = `Entries[${index}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new SerializationError(`${where} must be a structure.`);
  }
  const entry = raw as Record<string, unknown>;
  for (const member of STRING_MEMBERS) {
    const value = entry[member];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw new SerializationError(`${where}.${member} must be a string.`);
    }
  }
  if (
    entry.Time !== undefined &&
    entry.Time !== null &&
    !(typeof entry.Time === 'number' && Number.isFinite(entry.Time))
  ) {
    throw new SerializationError(`${where}.Time must be a timestamp in epoch seconds.`);
  }
  const resources = entry.Resources;
  if (
    resources !== undefined &&
    resources !== null &&
    !(Array.isArray(resources) && resources.every((resource) => typeof resource === 'string'))
  ) {
    throw new SerializationError(`${where}.Resources must be a list of strings.`);
  }
  // JSON null reads as absent, as in any AWS JSON protocol.
  return Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== null)) as Entry;
};

/** Smithy's validation message shape, e.g. "1 validation error detected: Value ... at 'entries' ...". */
const entriesConstraint = (problem: string): ValidationError =>
  new ValidationError(
    `1 validation error detected: Value at 'entries' failed to satisfy constraint: ${problem}`,
  );

const readEntries = (input: Record<string, unknown>): Entry[] => {
  const entries = input.Entries;
  if (entries === undefined || entries === null) throw entriesConstraint('Member must not be null');
  if (!Array.isArray(entries)) throw new SerializationError('Entries must be a list.');
  if (entries.length < 1) throw entriesConstraint('Member must have length greater than or equal to 1');
  if (entries.length > MAX_ENTRIES) {
    throw entriesConstraint(`Member must have length less than or equal to ${MAX_ENTRIES}`);
  }
  return entries.map(readEntry);
};

const invalidArgument = (member: string): ResultEntry => ({
  ErrorCode: 'InvalidArgument',
  ErrorMessage: `Parameter ${member} is not valid. Reason: ${member} is a required argument.`,
});

/** Detail must be a JSON object; any other JSON value, or no JSON at all, is malformed. */
const parseDetail = (detail: string): Record<string, unknown> | undefined => {
  try {
    const parsed: unknown = JSON.parse(detail);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

/** `2026-11-27T09:00:00Z`: events carry their time to the second. */
const eventTime = (time: Date): string => `${time.toISOString().slice(0, 19)}Z`;

interface ValidEntry {
  source: string;
  detailType: string;
  detailJson: string;
  detail: Record<string, unknown>;
  entry: Entry;
}

const toReceived = (
  valid: ValidEntry,
  bus: { name: string; arn: string },
  context: PutEventsContext,
  receivedAt: Date,
): ReceivedEvent => {
  const { entry, source, detailType, detail } = valid;
  const eventId = context.newEventId();
  const time = entry.Time === undefined ? receivedAt : new Date(entry.Time * 1000);
  const resources = [...(entry.Resources ?? [])];
  return {
    eventId,
    busName: bus.name,
    busArn: bus.arn,
    source,
    detailType,
    detail,
    detailJson: valid.detailJson,
    resources,
    time,
    receivedAt,
    ...(entry.TraceHeader === undefined ? {} : { traceHeader: entry.TraceHeader }),
    event: {
      version: '0',
      id: eventId,
      'detail-type': detailType,
      source,
      account: context.accountId,
      time: eventTime(time),
      region: context.region,
      resources: [...resources],
      detail,
    },
  };
};

export const putEvents = (
  input: Record<string, unknown>,
  context: PutEventsContext,
  faults: Pick<FaultDecision, 'entryFailure'>,
): PutEventsOutcome => {
  const entries = readEntries(input);
  const totalSize = entries.reduce((total, entry) => total + putEventsEntrySize(entry), 0);
  if (totalSize > context.maxRequestEntrySizeBytes) {
    throw new ValidationError('Total size of the entries in the request is over the limit.');
  }
  const receivedAt = context.now();
  const accepted: Array<{ event: ReceivedEvent; exists: boolean }> = [];
  const results = entries.map((entry, index): ResultEntry => {
    // Empty counts as missing, as it does for EventBridge.
    if (!entry.Source) return invalidArgument('Source');
    if (!entry.DetailType) return invalidArgument('DetailType');
    if (!entry.Detail) return invalidArgument('Detail');
    const detail = parseDetail(entry.Detail);
    if (!detail) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    const bus = context.buses.resolve(entry.EventBusName);
    if (!bus.exists && context.unknownBus === 'reject') {
      return {
        ErrorCode: 'ResourceNotFoundException',
        ErrorMessage: `Event bus ${bus.name} does not exist.`,
      };
    }
    const injected = faults.entryFailure(index);
    if (injected) return { ErrorCode: injected, ErrorMessage: entryFailureMessage(injected) };
    const valid = {
      source: entry.Source,
      detailType: entry.DetailType,
      detailJson: entry.Detail,
      detail,
      entry,
    };
    const event = toReceived(valid, bus, context, receivedAt);
    accepted.push({ event, exists: bus.exists });
    return { EventId: event.eventId };
  });
  // Stored once every entry has its result, in entry order.
  for (const { event, exists } of accepted) {
    if (exists) context.buses.record(event);
    else context.buses.drop(event);
  }
  const failed = results.filter((result) => 'ErrorCode' in result).length;
  const dropped = accepted.filter(({ exists }) => !exists).length;
  return {
    output: { FailedEntryCount: failed, Entries: results },
    stored: accepted.length - dropped,
    dropped,
  };
};
