/** Starts the stateful Accounts, Keys and Balance emulator on loopback HTTP. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AccountRecord, toAccountJson } from './account-json.ts';
import { ConcurrencyLimiter } from './concurrency.ts';
import { TwilioEmulatorConfigError } from './errors.ts';
import { FaultBook } from './faults.ts';
import { toKeyInfo } from './key-store.ts';
import { ListLag } from './list-lag.ts';
import { resolveOptions } from './options.ts';
import { friendlyNameParam, isAccountStatus } from './params.ts';
import { handleRequest } from './pipeline.ts';
import { RequestRecorder } from './recorder.ts';
import { AccountStore } from './store.ts';
import type { MainKeyOptions, TwilioApiKey, TwilioEmulator, TwilioEmulatorOptions } from './types.ts';

const listen = (server: Server, port: number, host: string): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive sockets and requests held by a latency fault would otherwise delay close.
    server.closeAllConnections();
  });

const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

const existing = (store: AccountStore, sid: string): AccountRecord => {
  const account = store.get(sid);
  if (account === undefined) throw new TwilioEmulatorConfigError('sid', 'is not an account of this emulator');
  return account;
};

/** A Main key, made as in Twilio's Console: outside the API, for an open account. */
const createMainKey = (store: AccountStore, options: MainKeyOptions = {}): TwilioApiKey => {
  const account = store.get(options.accountSid ?? store.main.sid);
  if (account === undefined || account.status === 'closed') {
    throw new TwilioEmulatorConfigError(
      'accountSid',
      'must be an account of this emulator that is not closed',
    );
  }
  let friendlyName: string | undefined;
  try {
    friendlyName = friendlyNameParam(options.friendlyName);
  } catch {
    throw new TwilioEmulatorConfigError('friendlyName', 'must be at most 64 characters');
  }
  const key = store.keys.create(account.sid, 'Main', friendlyName ?? null);
  return { sid: key.sid, secret: key.secret };
};

export const startTwilioEmulator = async (options: TwilioEmulatorOptions = {}): Promise<TwilioEmulator> => {
  const config = resolveOptions(options);
  const store = new AccountStore(config);
  const recorder = new RequestRecorder();
  const faults = new FaultBook(config.random, (kind) => recorder.countFault(kind));
  const listLag = new ListLag(config.listLag, config.now);
  const limiter = new ConcurrencyLimiter(config.concurrencyLimit);
  const deps = { store, listLag, limiter, faults, recorder, log: config.log };
  const server = createServer((req, res) => {
    handleRequest(deps, req, res).catch(() => req.socket.destroy());
  });
  const port = await listen(server, config.port, config.host);
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost(config.host)}:${port}`,
    accountSid: store.main.sid,
    get authToken() {
      return store.main.authToken;
    },
    close: () => {
      closing ??= closeServer(server);
      return closing;
    },
    injectFault: (rule) => faults.inject(rule),
    clearFaults: () => faults.clear(),
    stats: () => recorder.stats(),
    resetStats: () => recorder.reset(),
    requestLog: () => recorder.log(),
    issuedAuthTokens: () => store.issuedTokens(),
    issuedSecrets: () => [...store.issuedTokens(), ...store.keys.issuedSecrets()],
    accounts: () => store.all().map(toAccountJson),
    keys: (accountSid) => store.keys.live(accountSid).map(toKeyInfo),
    createMainKey: (keyOptions) => createMainKey(store, keyOptions),
    createApiKey: () => createMainKey(store),
    rotateAuthToken: () => store.rotateMainToken(),
    setSubaccountLimit: (limit) => store.setSubaccountLimit(limit),
    setConcurrencyLimit: (limit) => limiter.set(limit),
    setListLag: (lag) => listLag.set(lag),
    setMainAccountSuspended: (suspended) => store.setMainSuspended(suspended),
    setSuspendedByTwilio: (sid, suspended) => store.setSuspendedByTwilio(existing(store, sid), suspended),
    setAccountStatus: (sid, status) => {
      if (!isAccountStatus(status))
        throw new TwilioEmulatorConfigError('status', 'must be active, suspended or closed');
      return toAccountJson(store.update(existing(store, sid), { status }));
    },
  };
};
