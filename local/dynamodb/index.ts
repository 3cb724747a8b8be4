import { Agent, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { ENV } from '../../shared/contracts/env-names.ts';
import { LOCAL_AWS_CREDENTIALS } from '../sqs/credentials.ts';
import { type RunningDynalite, startDynalite } from './dynalite.ts';
import { LocalDynamoDbStartError } from './errors.ts';
import { DynamoFaultInjector, type DynamoFaultRule } from './faults.ts';
import { createLedgerTable } from './ledger-table.ts';
import { type LocalDynamoDbOptions, resolveDynamoDbOptions } from './options.ts';
import { createProxyListener } from './proxy.ts';
import { type LocalDynamoDbStats, ProxyStats } from './stats.ts';

export { LocalDynamoDbConfigError, LocalDynamoDbStartError } from './errors.ts';
export type { DynamoFault, DynamoFaultKind, DynamoFaultRule } from './faults.ts';
export type { LocalDynamoDbOptions } from './options.ts';
export type { FaultCounts, LocalDynamoDbStats } from './stats.ts';

/** Faults of the proxy, changeable while calls are running; `operation` defaults to `'*'`. */
export interface LocalDynamoDbFaults {
  inject(rule: DynamoFaultRule): void;
  /** Every matching call waits `ms` first (replacing the previous fixed latency); 0 removes it. */
  setLatency(ms: number, operation?: string): void;
  /** The next `count` matching calls are throttled and not applied. */
  throttleNext(count: number, operation?: string): void;
  /** Each matching call is throttled with this chance, drawn with the `random` option. */
  throttleRandomly(probability: number, operation?: string): void;
  /** The next `count` matching calls are applied, and their answers lost. */
  loseNextAnswers(count: number, operation?: string): void;
  clear(): void;
  /** The rules still in force, in order, `times` being what is left of each. */
  active(): DynamoFaultRule[];
}

export type LocalDynamoDbClientConfig = Omit<DynamoDBClientConfig, 'endpoint' | 'region' | 'credentials'>;

export interface LocalDynamoDb {
  /** The fault proxy: the SDK's `endpoint`, or AWS_ENDPOINT_URL_DYNAMODB. */
  readonly url: string;
  /** dynalite itself, bypassing every fault: for a test's own setup and checks. */
  readonly directUrl: string;
  readonly region: string;
  /** The ledger table's name (created unless `createLedgerTable: false`). */
  readonly tableName: string;
  /** A client pointed at the proxy, signing with the local credentials; closed by close(). */
  readonly client: DynamoDBClient;
  /** What a function reads to use this table through the proxy. */
  readonly env: Readonly<Record<string, string>>;
  readonly faults: LocalDynamoDbFaults;
  /** Another client pointed at the proxy (e.g. with `maxAttempts: 1`); closed by close(). */
  createClient(config?: LocalDynamoDbClientConfig): DynamoDBClient;
  stats(): LocalDynamoDbStats;
  resetStats(): void;
  /** Stops the proxy and dynalite and frees both ports; safe to call twice. */
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const urlOf = (port: number): string => `http://${HOST}:${port}`;

const listen = (server: Server): Promise<AddressInfo> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });

const closeServer = (server: Server): Promise<void> => {
  if (!server.listening) return Promise.resolve();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Also ends keep-alive sockets and calls held by injected latency, which then apply nothing.
  server.closeAllConnections();
  return closed;
};

const faultControl = (injector: DynamoFaultInjector): LocalDynamoDbFaults => ({
  inject: (rule) => injector.inject(rule),
  setLatency: (ms, operation) => injector.setLatency(ms, operation),
  throttleNext: (count, operation) =>
    injector.inject({ operation, fault: { kind: 'throttle' }, times: count }),
  throttleRandomly: (probability, operation) =>
    injector.inject({ operation, fault: { kind: 'throttle' }, probability }),
  loseNextAnswers: (count, operation) =>
    injector.inject({ operation, fault: { kind: 'lost-answer' }, times: count }),
  clear: () => injector.clear(),
  active: () => injector.active(),
});

/**
 * Starts dynalite (in memory) and, in front of it, a loopback proxy that injects latency,
 * throttling and lost answers; creates the tenant ledger table through dynalite directly, so
 * start-time faults never hit the setup. Everything listens on 127.0.0.1 and free ports.
 */
export const startLocalDynamoDb = async (options?: LocalDynamoDbOptions): Promise<LocalDynamoDb> => {
  const resolved = resolveDynamoDbOptions(options);
  const injector = new DynamoFaultInjector(resolved.random);
  for (const rule of resolved.faults) injector.inject(rule);
  const stats = new ProxyStats();
  const agent = new Agent({ keepAlive: true });
  const clients: DynamoDBClient[] = [];
  const inFlight = new Set<Promise<unknown>>();
  let dynalite: RunningDynalite | undefined;
  let proxy: Server | undefined;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      for (const client of clients.splice(0)) client.destroy();
      if (proxy) await closeServer(proxy);
      await Promise.allSettled([...inFlight]);
      agent.destroy();
      await dynalite?.close();
    })();
    return closing;
  };
  try {
    dynalite = await startDynalite();
    const directUrl = urlOf(dynalite.port);
    const clientFor = (endpoint: string, config: LocalDynamoDbClientConfig = {}): DynamoDBClient => {
      const client = new DynamoDBClient({
        ...config,
        endpoint,
        region: resolved.region,
        credentials: { ...LOCAL_AWS_CREDENTIALS },
      });
      clients.push(client);
      return client;
    };
    if (resolved.createLedgerTable) {
      const setup = clientFor(directUrl, { maxAttempts: 1 });
      await createLedgerTable(setup, resolved.tableName).catch((error: unknown) => {
        throw new LocalDynamoDbStartError(`could not create table ${resolved.tableName}`, error);
      });
    }
    proxy = createServer(
      createProxyListener({
        upstream: { host: dynalite.host, port: dynalite.port, handle: dynalite.handle },
        agent,
        faults: injector,
        stats,
        log: resolved.log,
        inFlight,
      }),
    );
    const url = urlOf((await listen(proxy)).port);
    return {
      url,
      directUrl,
      region: resolved.region,
      tableName: resolved.tableName,
      client: clientFor(url),
      env: {
        // https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
        AWS_ENDPOINT_URL_DYNAMODB: url,
        [ENV.tenantLedgerTable]: resolved.tableName,
      },
      faults: faultControl(injector),
      createClient: (config) => clientFor(url, config),
      stats: () => stats.snapshot(),
      resetStats: () => stats.reset(),
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw error instanceof LocalDynamoDbStartError
      ? error
      : new LocalDynamoDbStartError('the local DynamoDB could not start', error);
  }
};
