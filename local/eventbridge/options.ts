import { randomUUID } from 'node:crypto';
import { DEFAULT_LOCAL_REGION } from '../sqs/credentials.ts';
import { PUT_EVENTS_SIZE_LIMIT_BYTES } from './entry-size.ts';
import { LocalEventBridgeConfigError } from './errors.ts';
import type { EventBridgeFaultRule } from './faults.ts';

export interface LocalEventBridgeOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Goes into bus ARNs and events; defaults to us-east-1. */
  region?: string;
  /** Goes into bus ARNs and events; defaults to 000000000000. */
  accountId?: string;
  /** Custom buses that exist from the start, besides `default`. */
  eventBuses?: string[];
  /**
   * An entry for a bus that does not exist: 'accept' (default) answers it with an EventId and
   * delivers it nowhere, as EventBridge does; 'reject' fails the entry with ResourceNotFoundException
   * (a stand-in choice, to catch a misnamed bus in tests).
   */
  unknownBus?: 'accept' | 'reject';
  /** Limit on the total entry size of one call; defaults to PUT_EVENTS_SIZE_LIMIT_BYTES (1 MiB). */
  maxRequestEntrySizeBytes?: number;
  /** Fault rules in force from the start, in order. */
  faults?: EventBridgeFaultRule[];
  /** Drives fault probabilities; defaults to Math.random. */
  random?: () => number;
  /** The clock for event times; defaults to the wall clock. */
  now?: () => Date;
  /** EventIds; defaults to random UUIDs, the shape EventBridge's have. */
  newEventId?: () => string;
  /** One line per call (operation, status, entry counts; never a Detail). Silent by default. */
  log?: (line: string) => void;
}

export type ResolvedEventBridgeOptions = Required<LocalEventBridgeOptions>;

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ACCOUNT_ID = /^\d{12}$/;

const check = (valid: boolean, option: string, problem: string): void => {
  if (!valid) throw new LocalEventBridgeConfigError(option, problem);
};

/** Validated once at start, failing with the option's name. */
export const resolveEventBridgeOptions = (
  options: LocalEventBridgeOptions = {},
): ResolvedEventBridgeOptions => {
  const resolved: ResolvedEventBridgeOptions = {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    region: options.region ?? DEFAULT_LOCAL_REGION,
    accountId: options.accountId ?? '000000000000',
    eventBuses: options.eventBuses ?? [],
    unknownBus: options.unknownBus ?? 'accept',
    maxRequestEntrySizeBytes: options.maxRequestEntrySizeBytes ?? PUT_EVENTS_SIZE_LIMIT_BYTES,
    faults: options.faults ?? [],
    random: options.random ?? Math.random,
    now: options.now ?? (() => new Date()),
    newEventId: options.newEventId ?? randomUUID,
    log: options.log ?? (() => undefined),
  };
  check(
    Number.isInteger(resolved.port) && resolved.port >= 0 && resolved.port <= 65535,
    'port',
    'must be 0..65535',
  );
  check(
    typeof resolved.host === 'string' && resolved.host.length > 0,
    'host',
    'must be a host name or address',
  );
  check(REGION.test(resolved.region), 'region', 'must look like us-east-1');
  check(ACCOUNT_ID.test(resolved.accountId), 'accountId', 'must be 12 digits');
  check(Array.isArray(resolved.eventBuses), 'eventBuses', 'must be a list of bus names');
  check(['accept', 'reject'].includes(resolved.unknownBus), 'unknownBus', 'must be accept or reject');
  check(
    Number.isSafeInteger(resolved.maxRequestEntrySizeBytes) && resolved.maxRequestEntrySizeBytes > 0,
    'maxRequestEntrySizeBytes',
    'must be a positive number of bytes',
  );
  check(Array.isArray(resolved.faults), 'faults', 'must be a list of fault rules');
  for (const name of ['random', 'now', 'newEventId', 'log'] as const) {
    check(typeof resolved[name] === 'function', name, 'must be a function');
  }
  return resolved;
};
