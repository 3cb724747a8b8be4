import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { LocalDynamoDbStartError } from './errors.ts';

/** The part of dynalite's options we use: https://github.com/architect/dynalite#readme */
interface DynaliteOptions {
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
  /** A LevelDB directory; absent means memory-level, which is what we want. */
  path?: string;
}

type Dynalite = (options: DynaliteOptions) => Server;

/** dynalite's own request listener: what its server runs for each call. */
export type DynaliteHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface RunningDynalite {
  readonly host: string;
  readonly port: number;
  /** Its request listener, for a caller in this process to hand a call over without an HTTP hop. */
  readonly handle: DynaliteHandler;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

/** dynalite is CommonJS without type declarations; its one export is a server factory. */
const loadDynalite = (): Dynalite => {
  const required: unknown = createRequire(import.meta.url)('dynalite');
  if (typeof required !== 'function')
    throw new LocalDynamoDbStartError('dynalite no longer exports a factory');
  return required as Dynalite;
};

/**
 * Starts dynalite in memory on 127.0.0.1 and a free port. Table state changes (CREATING,
 * UPDATING, DELETING) are instant, where dynalite defaults to 500 ms each.
 */
export const startDynalite = async (): Promise<RunningDynalite> => {
  const server = loadDynalite()({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', (error) => reject(new LocalDynamoDbStartError('dynalite could not listen', error)));
    server.listen(0, HOST, () => resolve(server.address() as AddressInfo));
  });
  const [handle] = server.listeners('request') as DynaliteHandler[];
  if (handle === undefined)
    throw new LocalDynamoDbStartError('dynalite no longer serves with a request listener');
  let closing: Promise<void> | undefined;
  return {
    host: HOST,
    port: address.port,
    handle,
    close: () => {
      // dynalite's close() stops listening, then closes its store once calls in flight are done;
      // idle keep-alive connections would hold the listening socket open, so they are ended too.
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error?: Error | null) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
};
