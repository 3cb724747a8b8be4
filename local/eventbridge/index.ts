import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_BUS, EventBuses, type ReceivedEvent } from './buses.ts';
import { EventBridgeFaultInjector, type EventBridgeFaultRule } from './faults.ts';
import { type LocalEventBridgeOptions, resolveEventBridgeOptions } from './options.ts';
import { createRequestListener } from './server.ts';
import { CallStats, type LocalEventBridgeStats } from './stats.ts';

export type { EventBridgeEvent, ReceivedEvent } from './buses.ts';
export { DEFAULT_BUS } from './buses.ts';
export {
  PUT_EVENTS_LEGACY_SIZE_LIMIT_BYTES,
  PUT_EVENTS_SIZE_LIMIT_BYTES,
  putEventsEntrySize,
} from './entry-size.ts';
export { LocalEventBridgeConfigError } from './errors.ts';
export type { EventBridgeFault, EventBridgeFaultKind, EventBridgeFaultRule } from './faults.ts';
export type { LocalEventBridgeOptions } from './options.ts';
export type { LocalEventBridgeStats } from './stats.ts';

/** Faults of PutEvents, changeable while calls are running. */
export interface LocalEventBridgeFaults {
  inject(rule: EventBridgeFaultRule): void;
  /** The next `count` calls fail as a whole: 500 InternalException (default) or 400 ThrottlingException. */
  failNext(count: number, kind?: 'internal-error' | 'throttle'): void;
  /** The next `count` calls answer 200 with these entries (all by default) failed as ThrottlingException. */
  throttleEntriesOfNext(count: number, entries?: number[]): void;
  /** Every call waits `ms` first (replacing the previous fixed latency); 0 removes it. */
  setLatency(ms: number): void;
  clear(): void;
  /** The rules still in force, in order, `times` being what is left of each. */
  active(): EventBridgeFaultRule[];
}

export interface LocalEventBridge {
  /** Base URL for the SDK's `endpoint`, or AWS_ENDPOINT_URL_EVENTBRIDGE. */
  readonly url: string;
  readonly region: string;
  readonly accountId: string;
  /** What a function reads to publish here. */
  readonly env: Readonly<Record<string, string>>;
  readonly faults: LocalEventBridgeFaults;
  /** The ARN of a bus of this account and region (`default` when no name is given). */
  busArn(name?: string): string;
  /** Adds a custom bus (idempotently); returns its ARN. */
  createEventBus(name: string): string;
  /** Every bus that exists, `default` first. */
  eventBuses(): string[];
  /** Accepted events of one bus (by name or ARN), or of all buses, in the order they arrived. */
  received(busName?: string): ReceivedEvent[];
  /** Events accepted for buses that do not exist, which EventBridge answers and delivers nowhere. */
  dropped(): ReceivedEvent[];
  /** Forgets received and dropped events (not the buses, faults or stats). */
  clear(): void;
  stats(): LocalEventBridgeStats;
  resetStats(): void;
  /** Stops listening and ends open connections; safe to call twice. */
  close(): Promise<void>;
}

const listen = (server: Server, port: number, host: string): Promise<AddressInfo> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });

const urlOf = (host: string, port: number): string =>
  `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

const stop = async (server: Server): Promise<void> => {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Also ends keep-alive sockets and calls held by injected latency, which then store nothing.
  server.closeAllConnections();
  await closed;
};

const faultControl = (injector: EventBridgeFaultInjector): LocalEventBridgeFaults => ({
  inject: (rule) => injector.inject(rule),
  failNext: (count, kind = 'internal-error') => injector.inject({ fault: { kind }, times: count }),
  throttleEntriesOfNext: (count, entries) =>
    injector.inject({
      fault: entries ? { kind: 'entry-throttle', entries } : { kind: 'entry-throttle' },
      times: count,
    }),
  setLatency: (ms) => injector.setLatency(ms),
  clear: () => injector.clear(),
  active: () => injector.active(),
});

/**
 * Starts a local EventBridge on loopback that the real @aws-sdk/client-eventbridge PutEventsCommand
 * talks to unchanged, and that keeps every event it accepted, per bus and in order.
 */
export const startLocalEventBridge = async (options?: LocalEventBridgeOptions): Promise<LocalEventBridge> => {
  const resolved = resolveEventBridgeOptions(options);
  const buses = new EventBuses(resolved.region, resolved.accountId);
  for (const name of resolved.eventBuses) buses.create(name);
  const injector = new EventBridgeFaultInjector(resolved.random);
  for (const rule of resolved.faults) injector.inject(rule);
  const stats = new CallStats();
  const server = createServer(
    createRequestListener({
      context: {
        buses,
        region: resolved.region,
        accountId: resolved.accountId,
        maxRequestEntrySizeBytes: resolved.maxRequestEntrySizeBytes,
        unknownBus: resolved.unknownBus,
        now: resolved.now,
        newEventId: resolved.newEventId,
      },
      faults: injector,
      stats,
      log: resolved.log,
    }),
  );
  const address = await listen(server, resolved.port, resolved.host);
  const url = urlOf(resolved.host, address.port);
  let stopping: Promise<void> | undefined;
  return {
    url,
    region: resolved.region,
    accountId: resolved.accountId,
    // https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
    env: { AWS_ENDPOINT_URL_EVENTBRIDGE: url },
    faults: faultControl(injector),
    busArn: (name = DEFAULT_BUS) => buses.arn(name),
    createEventBus: (name) => buses.create(name),
    eventBuses: () => buses.names(),
    received: (busName) => buses.received(busName),
    dropped: () => buses.dropped(),
    clear: () => buses.clear(),
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    close: () => {
      stopping ??= stop(server);
      return stopping;
    },
  };
};
