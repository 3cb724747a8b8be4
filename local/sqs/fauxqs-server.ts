import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildApp } from 'fauxqs';
import { LocalSqsStartError } from './errors.ts';

export interface LocalSqsOptions {
  /** Port on 127.0.0.1; 0 (the default) lets the OS pick a free one. */
  port?: number;
  /** Region used when a request carries no SigV4 signature. */
  defaultRegion?: string;
}

export interface LocalSqs {
  /** `http://127.0.0.1:<port>`: the SQS endpoint, and the origin of every queue URL. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

interface FauxqsStores {
  sqsStore: { host: string; region?: string };
  snsStore: object;
  s3Store: object;
}

/**
 * Starts fauxqs (an in-memory SQS) on the loopback interface only.
 *
 * Two deliberate departures from fauxqs' own `startFauxqs`:
 * - it binds 0.0.0.0; we bind 127.0.0.1 so nothing is reachable from outside the machine;
 * - it names queues `http://sqs.<region>.localhost:<port>/...`, a host that does not resolve
 *   without DNS tricks. The SQS SDK sends each call to its QueueUrl's origin unless the client
 *   was built with an explicit `endpoint` (e.g. a handler configured through
 *   AWS_ENDPOINT_URL_SQS), so queue URLs must live on the endpoint's own origin. An empty store
 *   host makes fauxqs build them from the request's Host header: `http://127.0.0.1:<port>/...`.
 *   The store classes are not exported, so they are loaded from the pinned package's dist.
 */
export const startLocalSqs = async (options: LocalSqsOptions = {}): Promise<LocalSqs> => {
  const stores = await createStores(options.defaultRegion);
  const app = buildApp({ logger: false, stores: stores as never });
  try {
    await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  } catch (error) {
    await app.close();
    throw new LocalSqsStartError('fauxqs could not listen on 127.0.0.1', error);
  }
  const address = app.server.address();
  if (address === null || typeof address === 'string') {
    await app.close();
    throw new LocalSqsStartError('fauxqs is not listening on a TCP port');
  }
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    stop: async () => {
      await app.close();
    },
  };
};

const STORE_MODULES = {
  sqsStore: ['sqs/sqsStore.js', 'SqsStore'],
  snsStore: ['sns/snsStore.js', 'SnsStore'],
  s3Store: ['s3/s3Store.js', 'S3Store'],
} as const;

const createStores = async (defaultRegion: string | undefined): Promise<FauxqsStores> => {
  const dist = findFauxqsDist();
  const instantiate = async ([file, exportName]: readonly [string, string]): Promise<object> => {
    const module = (await import(pathToFileURL(join(dist, file)).href)) as Record<string, unknown>;
    const StoreClass = module[exportName];
    if (typeof StoreClass !== 'function') {
      throw new LocalSqsStartError(`fauxqs no longer exports ${exportName} from dist/${file}`);
    }
    return new (StoreClass as new () => object)();
  };
  const sqsStore = (await instantiate(STORE_MODULES.sqsStore)) as FauxqsStores['sqsStore'];
  sqsStore.host = '';
  if (defaultRegion !== undefined) sqsStore.region = defaultRegion;
  return {
    sqsStore,
    snsStore: await instantiate(STORE_MODULES.snsStore),
    s3Store: await instantiate(STORE_MODULES.s3Store),
  };
};

const findFauxqsDist = (): string => {
  const require = createRequire(import.meta.url);
  const candidates = require.resolve.paths('fauxqs') ?? [];
  for (const nodeModules of candidates) {
    const dist = join(nodeModules, 'fauxqs', 'dist');
    if (existsSync(join(dist, 'app.js'))) return dist;
  }
  throw new LocalSqsStartError('the fauxqs package is not installed');
};
