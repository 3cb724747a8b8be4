import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultInjector, type SecretsFaultRule } from './faults.ts';
import { type ResolvedOptions, resolveOptions, type SecretsManagerEmulatorOptions } from './options.ts';
import { loadSecrets, SnapshotWriter } from './persistence.ts';
import { createRequestListener } from './server.ts';
import { CallStats, type SecretsEmulatorStats } from './stats.ts';
import { SecretStore } from './store.ts';

export { EmulatorConfigError, EmulatorDataFileError } from './errors.ts';
export type { SecretsFault, SecretsFaultRule } from './faults.ts';
export type { SecretsManagerEmulatorOptions } from './options.ts';
export type { SecretsEmulatorStats } from './stats.ts';

export interface SecretsManagerEmulator {
  /** Base URL for the SDK's `endpoint` or AWS_ENDPOINT_URL_SECRETS_MANAGER. */
  readonly url: string;
  readonly region: string;
  readonly accountId: string;
  close(): Promise<void>;
  injectFault(rule: SecretsFaultRule): void;
  clearFaults(): void;
  stats(): SecretsEmulatorStats;
  resetStats(): void;
  /** Names of every secret held, including those scheduled for deletion, sorted. */
  secretNames(): string[];
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

const stop = async (server: Server, writer: SnapshotWriter | undefined): Promise<void> => {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Also ends keep-alive sockets and calls held by injected latency, which then apply nothing.
  server.closeAllConnections();
  await closed;
  await writer?.flushed();
};

const build = async (options: ResolvedOptions) => {
  const store = new SecretStore(options.dataFile ? await loadSecrets(options.dataFile) : []);
  const writer = options.dataFile ? new SnapshotWriter(options.dataFile) : undefined;
  const stats = new CallStats();
  const faults = new FaultInjector(options.random);
  const context = {
    store,
    region: options.region,
    accountId: options.accountId,
    now: options.now,
    random: options.random,
    newVersionId: randomUUID,
  };
  const save = async () => writer?.write(store.all());
  const server = createServer(createRequestListener({ context, faults, stats, save, log: options.log }));
  return { store, writer, stats, faults, server };
};

/** Starts a local AWS Secrets Manager that the real SDK talks to unchanged. */
export const startSecretsManagerEmulator = async (
  options?: SecretsManagerEmulatorOptions,
): Promise<SecretsManagerEmulator> => {
  const resolved = resolveOptions(options);
  const { store, writer, stats, faults, server } = await build(resolved);
  const address = await listen(server, resolved.port, resolved.host);
  let stopping: Promise<void> | undefined;
  return {
    url: urlOf(resolved.host, address.port),
    region: resolved.region,
    accountId: resolved.accountId,
    close: () => {
      stopping ??= stop(server, writer);
      return stopping;
    },
    injectFault: (rule) => faults.inject(rule),
    clearFaults: () => faults.clear(),
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    secretNames: () => {
      store.purgeExpired(resolved.now());
      return store
        .all()
        .map((secret) => secret.name)
        .sort();
    },
  };
};
