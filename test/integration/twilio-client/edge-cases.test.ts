/**
 * Edge cases of the Accounts client against a scripted node:http server on loopback: what is sent,
 * what is retried, and how each failure surfaces. Delays are observed through the injected sleep.
 */
import { createServer } from 'node:http';
import { inspect } from 'node:util';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type CallOptions,
  createTwilioAccountsClient,
  type TwilioAccountsClientOptions,
  TwilioAmbiguousCreateError,
  TwilioApiError,
  TwilioAuthError,
  TwilioCallAbortedError,
  type TwilioCredentials,
  TwilioInputError,
  TwilioNetworkError,
  TwilioRateLimitError,
  TwilioUnexpectedResponseError,
} from '../../../shared/twilio/index.ts';
import {
  accountJson,
  dropConnection,
  hang,
  json,
  listenOn,
  raw,
  type ScriptedServer,
  startScriptedServer,
  twilioError,
} from './scripted-server.ts';
import { drain, failureOf, testClientOptions } from './support.ts';

const MAIN_SID = `AC${'1'.repeat(32)}`;
const SUB_SID = `AC${'2'.repeat(32)}`;
const TOKEN = 'f00dface'.repeat(4);
const ROTATED_TOKEN = 'beefcafe'.repeat(4);
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

const agent = new Agent({ connect: { timeout: 1000 } });
let server: ScriptedServer;

beforeEach(async () => {
  server = await startScriptedServer();
});
afterEach(() => server.close());
afterAll(() => agent.close());

const makeClient = (overrides: Partial<TwilioAccountsClientOptions> = {}) => {
  const sleeps: number[] = [];
  const client = createTwilioAccountsClient({
    credentials: { current: () => ({ accountSid: MAIN_SID, authToken: TOKEN }) },
    baseUrl: server.url,
    dispatcher: agent,
    ...testClientOptions((ms) => sleeps.push(ms)),
    timeouts: { headersMs: 2000 },
    ...overrides,
  });
  return { client, sleeps };
};

const failure = failureOf();

describe('requests on the wire', () => {
  it('creates with a form body, Basic auth, JSON accept and the product User-Agent', async () => {
    server.script(json(201, accountJson(SUB_SID, { friendly_name: 'tenant 1 & co' })));
    const { client } = makeClient();
    const account = await client.createSubaccount({ friendlyName: 'tenant 1 & co' });
    expect(account).toMatchObject({ sid: SUB_SID, friendlyName: 'tenant 1 & co', status: 'active' });
    expect(account.dateCreated).toEqual(new Date('2015-07-30T20:00:00Z'));
    const [request] = server.received;
    expect(request).toMatchObject({ method: 'POST', url: '/2010-04-01/Accounts.json' });
    expect(new URLSearchParams(request?.body).get('FriendlyName')).toBe('tenant 1 & co');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.headers.authorization).toBe(basic(MAIN_SID, TOKEN));
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.headers['user-agent']).toMatch(/^subaccount-provisioner\/\d+\.\d+\.\d+ \(node v\d+/);
  });

  it('updates with Status and FriendlyName, authenticating with an API key when given one', async () => {
    server.script(json(200, accountJson(SUB_SID, { status: 'suspended', friendly_name: 'renamed' })));
    const keySid = `SK${'3'.repeat(32)}`;
    const { client } = makeClient({
      credentials: {
        current: () => ({ accountSid: MAIN_SID, apiKeySid: keySid, apiKeySecret: 'key-secret' }),
      },
    });
    const account = await client.updateAccount(SUB_SID, { status: 'suspended', friendlyName: 'renamed' });
    expect(account.status).toBe('suspended');
    const [request] = server.received;
    expect(request).toMatchObject({ method: 'POST', url: `/2010-04-01/Accounts/${SUB_SID}.json` });
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      FriendlyName: 'renamed',
      Status: 'suspended',
    });
    expect(request?.headers.authorization).toBe(basic(keySid, 'key-secret'));
  });

  it('lists with the filters as query parameters and follows next_page_uri', async () => {
    const next = `/2010-04-01/Accounts.json?FriendlyName=t&Status=active&PageSize=1&Page=1&PageToken=PA${SUB_SID}`;
    server.script(
      json(200, { accounts: [accountJson(SUB_SID)], next_page_uri: next }),
      json(200, { accounts: [accountJson(MAIN_SID)], next_page_uri: null }),
    );
    const { client } = makeClient();
    const accounts = await drain(client.listAccounts({ friendlyName: 't', status: 'active', pageSize: 1 }));
    expect(accounts.map((a) => a.sid)).toEqual([SUB_SID, MAIN_SID]);
    expect(server.received.map((r) => r.url)).toEqual([
      '/2010-04-01/Accounts.json?FriendlyName=t&Status=active&PageSize=1',
      next,
    ]);
  });

  it('refuses to follow a next_page_uri to another host (it would carry the credentials)', async () => {
    server.script(
      json(200, { accounts: [], next_page_uri: 'https://elsewhere.example.com/2010-04-01/Accounts.json' }),
    );
    const { client } = makeClient();
    const error = await failure(drain(client.listAccounts()));
    expect(error).toBeInstanceOf(TwilioUnexpectedResponseError);
    expect(server.received).toHaveLength(1);
  });
});

describe('input validation', () => {
  it.each<[string, (client: ReturnType<typeof makeClient>['client']) => Promise<unknown>]>([
    ['a FriendlyName over 64 characters', (c) => c.createSubaccount({ friendlyName: 'x'.repeat(65) })],
    ['a malformed SID to fetch', (c) => c.fetchAccount('AC123')],
    ['a page size of 0', async (c) => drain(c.listAccounts({ pageSize: 0 }))],
    ['a page size over 1000', async (c) => drain(c.listAccounts({ pageSize: 1001 }))],
    ['an unknown status filter', async (c) => drain(c.listAccounts({ status: 'open' as never }))],
    ['an update without fields', (c) => c.updateAccount(SUB_SID, {})],
    ['an update to an unknown status', (c) => c.updateAccount(SUB_SID, { status: 'deleted' as never })],
  ])('rejects %s without sending a request', async (_label, call) => {
    server.script(json(200, accountJson(SUB_SID)));
    const { client } = makeClient();
    const error = await failure(call(client));
    expect(error).toBeInstanceOf(TwilioInputError);
    expect((error as TwilioInputError).retryable).toBe(false);
    expect(server.received).toHaveLength(0);
  });
});

describe('retries', () => {
  it('retries a 503 on fetch after a jittered backoff', async () => {
    server.script(twilioError(503, 20503, 'Service Unavailable'), json(200, accountJson(SUB_SID)));
    const { client, sleeps } = makeClient();
    expect((await client.fetchAccount(SUB_SID)).sid).toBe(SUB_SID);
    expect(server.received).toHaveLength(2);
    expect(sleeps).toEqual([50]);
  });

  it('honours Retry-After on a 429, for a create too (Twilio did not apply it)', async () => {
    server.script(
      twilioError(429, 20429, 'Too Many Requests', { 'retry-after': '3' }),
      json(201, accountJson(SUB_SID)),
    );
    const { client, sleeps } = makeClient();
    expect((await client.createSubaccount({ friendlyName: 'tenant-1' })).sid).toBe(SUB_SID);
    expect(sleeps).toEqual([3000]);
    expect(server.received).toHaveLength(2);
  });

  it('stops at maxAttempts and throws the last error, still retryable', async () => {
    server.script(twilioError(500, 20500, 'Internal Server Error'));
    const { client, sleeps } = makeClient();
    const error = await failure(client.updateAccount(SUB_SID, { status: 'suspended' }));
    expect(error).toBeInstanceOf(TwilioApiError);
    expect(error).toMatchObject({ status: 500, twilioCode: 20500, retryable: true });
    expect(server.received).toHaveLength(4);
    expect(sleeps).toEqual([50, 100, 200]);
  });

  it('does not sleep past the deadline: the rate-limit error goes back to the caller', async () => {
    server.script(twilioError(429, 20429, 'Too Many Requests', { 'retry-after': '30' }));
    const { client, sleeps } = makeClient();
    const error = await failure(client.fetchAccount(SUB_SID, { deadline: Date.now() + 5000 }));
    expect(error).toBeInstanceOf(TwilioRateLimitError);
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 30_000 });
    expect(sleeps).toEqual([]);
    expect(server.received).toHaveLength(1);
  });

  it('starts nothing once the deadline has passed', async () => {
    const { client } = makeClient();
    const error = await failure(client.fetchAccount(SUB_SID, { deadline: Date.now() - 1 }));
    expect(error).toBeInstanceOf(TwilioCallAbortedError);
    expect(error).toMatchObject({ reason: 'deadline', retryable: true, mayHaveApplied: false });
    expect(server.received).toHaveLength(0);
  });

  it('aborts a request still in flight at the deadline', async () => {
    server.script(hang);
    const { client } = makeClient({ timeouts: { headersMs: 60_000 } });
    const options: CallOptions = { deadline: Date.now() + 300 };
    const error = await failure(client.fetchAccount(SUB_SID, options));
    expect(error).toBeInstanceOf(TwilioCallAbortedError);
    expect(error).toMatchObject({ reason: 'deadline', retryable: true });
    expect(server.received).toHaveLength(1);
  });

  it("stops on the caller's abort signal", async () => {
    server.script(hang);
    const { client } = makeClient({ timeouts: { headersMs: 60_000 } });
    const controller = new AbortController();
    const pending = failure(client.fetchAccount(SUB_SID, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 100);
    expect(await pending).toMatchObject({ name: 'TwilioCallAbortedError', reason: 'signal' });
  });

  it('retries a GET whose headers timed out', async () => {
    server.script(hang, json(200, accountJson(SUB_SID)));
    const { client, sleeps } = makeClient({ timeouts: { headersMs: 200 } });
    expect((await client.fetchAccount(SUB_SID)).sid).toBe(SUB_SID);
    expect(server.received).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
  });

  it('retries a GET whose connection was dropped', async () => {
    server.script(dropConnection, json(200, { accounts: [accountJson(SUB_SID)], next_page_uri: null }));
    const { client } = makeClient();
    expect((await drain(client.listAccounts())).map((a) => a.sid)).toEqual([SUB_SID]);
    expect(server.received).toHaveLength(2);
  });
});

describe('create is never sent twice when Twilio may have applied it', () => {
  it('surfaces a headers timeout as an ambiguous create, after one request', async () => {
    server.script(hang, json(201, accountJson(SUB_SID)));
    const { client, sleeps } = makeClient({ timeouts: { headersMs: 200 } });
    const error = await failure(client.createSubaccount({ friendlyName: 'tenant-7' }));
    expect(error).toBeInstanceOf(TwilioAmbiguousCreateError);
    expect(error).toMatchObject({ ambiguous: true, retryable: true, friendlyName: 'tenant-7' });
    expect((error as TwilioAmbiguousCreateError).context).toMatchObject({ friendlyName: 'tenant-7' });
    expect((error as Error).cause).toBeInstanceOf(TwilioNetworkError);
    expect((error as Error).cause).toMatchObject({ errorCode: 'UND_ERR_HEADERS_TIMEOUT' });
    expect(server.received).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it.each([
    ['a 503', twilioError(503, 20503, 'Service Unavailable')],
    ['a 500 without a JSON body', raw(500, 'oops')],
    ['a dropped connection', dropConnection],
  ])('surfaces %s as an ambiguous create', async (_label, step) => {
    server.script(step, json(201, accountJson(SUB_SID)));
    const { client } = makeClient();
    const error = await failure(client.createSubaccount({ friendlyName: 'tenant-8' }));
    expect(error).toBeInstanceOf(TwilioAmbiguousCreateError);
    expect(server.received).toHaveLength(1);
  });

  it('does not wrap a refusal (400) as ambiguous', async () => {
    server.script(twilioError(400, 21100, 'Subaccount limit reached'));
    const { client } = makeClient();
    const error = await failure(client.createSubaccount({ friendlyName: 'tenant-9' }));
    expect(error).toBeInstanceOf(TwilioApiError);
    expect(error).not.toBeInstanceOf(TwilioAmbiguousCreateError);
    expect(error).toMatchObject({ status: 400, twilioCode: 21100, retryable: false });
  });

  it('retries a create whose connection was refused (the request never left)', async () => {
    const spare = createServer();
    const port = await listenOn(spare, 0);
    await new Promise((resolve) => spare.close(resolve));
    let revived: ScriptedServer | undefined;
    const sleeps: number[] = [];
    const client = createTwilioAccountsClient({
      credentials: { current: () => ({ accountSid: MAIN_SID, authToken: TOKEN }) },
      baseUrl: `http://127.0.0.1:${port}`,
      dispatcher: agent,
      random: () => 0.5,
      // The API comes back while the client waits to retry.
      sleep: async (ms) => {
        sleeps.push(ms);
        revived ??= await startScriptedServer(port);
        revived.script(json(201, accountJson(SUB_SID)));
      },
    });
    try {
      expect((await client.createSubaccount({ friendlyName: 'tenant-10' })).sid).toBe(SUB_SID);
      expect(sleeps).toEqual([50]);
      expect(revived?.received).toHaveLength(1);
    } finally {
      await revived?.close();
    }
  });
});

describe('authentication', () => {
  const rotating = () => {
    let refreshes = 0;
    const source = {
      current: (): TwilioCredentials => ({ accountSid: MAIN_SID, authToken: TOKEN }),
      refresh: async (): Promise<TwilioCredentials> => {
        refreshes += 1;
        return { accountSid: MAIN_SID, authToken: ROTATED_TOKEN };
      },
    };
    return { source, refreshes: () => refreshes };
  };

  const acceptOnly =
    (token: string): Parameters<ScriptedServer['script']>[0] =>
    (res, req) =>
      req.headers.authorization === basic(MAIN_SID, token)
        ? json(200, accountJson(SUB_SID))(res, req)
        : twilioError(401, 20003, 'Authenticate')(res, req);

  it('refreshes the credentials once on a 401 and retries with the new token', async () => {
    server.script(acceptOnly(ROTATED_TOKEN));
    const { source, refreshes } = rotating();
    const { client, sleeps } = makeClient({ credentials: source });
    expect((await client.fetchAccount(SUB_SID)).sid).toBe(SUB_SID);
    expect(refreshes()).toBe(1);
    expect(server.received.map((r) => r.headers.authorization)).toEqual([
      basic(MAIN_SID, TOKEN),
      basic(MAIN_SID, ROTATED_TOKEN),
    ]);
    expect(sleeps).toEqual([]);
  });

  it('gives up after one refresh, with a non-retryable auth error', async () => {
    server.script(acceptOnly('neither-token'));
    const { source, refreshes } = rotating();
    const { client } = makeClient({ credentials: source });
    const error = await failure(client.createSubaccount({ friendlyName: 'tenant-11' }));
    expect(error).toBeInstanceOf(TwilioAuthError);
    expect(error).toMatchObject({ status: 401, twilioCode: 20003, retryable: false, kind: 'auth' });
    expect(refreshes()).toBe(1);
    expect(server.received).toHaveLength(2);
  });

  it('fails at once on a 401 when the source cannot refresh', async () => {
    server.script(acceptOnly('neither-token'));
    const { client } = makeClient();
    expect(await failure(client.fetchAccount(SUB_SID))).toBeInstanceOf(TwilioAuthError);
    expect(server.received).toHaveLength(1);
  });
});

describe('error bodies and secrets', () => {
  it('handles a non-JSON error body', async () => {
    server.script(raw(502, '<html><body>Bad Gateway</body></html>'));
    const { client } = makeClient({ retry: { maxAttempts: 1 } });
    const error = await failure(client.fetchAccount(SUB_SID));
    expect(error).toBeInstanceOf(TwilioApiError);
    expect(error).toMatchObject({ status: 502, twilioCode: undefined, retryable: true });
  });

  it('never puts the token or the Authorization header in an error', async () => {
    server.script(twilioError(401, 20003, 'Authenticate'));
    const { client } = makeClient();
    const errors = [
      await failure(client.fetchAccount(SUB_SID)),
      await failure(client.createSubaccount({ friendlyName: 'tenant-12' })),
    ];
    server.script(hang);
    const slow = makeClient({ timeouts: { headersMs: 100 } }).client;
    errors.push(await failure(slow.createSubaccount({ friendlyName: 'tenant-13' })));
    for (const error of errors) {
      const rendered = [
        (error as Error).message,
        JSON.stringify(error),
        inspect(error, { depth: 20 }),
      ].join();
      expect(rendered).not.toContain(TOKEN);
      expect(rendered).not.toContain(basic(MAIN_SID, TOKEN));
    }
  });
});
