/**
 * Edge cases of the Keys and Balance operations against a scripted node:http server on loopback,
 * for what the emulator does not show: the exact requests on the wire, the credentials a probe
 * sends, answers Twilio's OpenAPI allows but the emulator never gives, and odd pages.
 */
import { inspect } from 'node:util';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CreateOutcomeUnknownError } from '../../../shared/domain/errors.ts';
import {
  createTwilioAccountsClient,
  createTwilioApiKeyGateway,
  type TwilioAccountsClientOptions,
  TwilioAmbiguousCreateError,
  TwilioApiError,
  TwilioAuthError,
  TwilioCallAbortedError,
  type TwilioCredentials,
  TwilioUnexpectedResponseError,
} from '../../../shared/twilio/index.ts';
import {
  dropConnection,
  hang,
  json,
  raw,
  type ScriptedServer,
  type Step,
  startScriptedServer,
  twilioError,
} from './scripted-server.ts';
import { drain, failureOf, testClientOptions } from './support.ts';

const MAIN_SID = `AC${'1'.repeat(32)}`;
const SUB_SID = `AC${'2'.repeat(32)}`;
const KEY_SID = `SK${'3'.repeat(32)}`;
const PARENT_KEY_SID = `SK${'4'.repeat(32)}`;
const TOKEN = 'f00dface'.repeat(4);
const KEY_SECRET = 'KeySecretShownOnce0123456789abcd';
const PARENT_KEY_SECRET = 'ParentKeySecret0123456789abcdefg';
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

const seenErrors: unknown[] = [];
const failure = failureOf(seenErrors);

const keyJson = (sid: string, overrides: Record<string, unknown> = {}) => ({
  sid,
  friendly_name: 'tenant-1',
  date_created: 'Mon, 13 Jun 2016 22:50:08 +0000',
  date_updated: 'Mon, 13 Jun 2016 22:50:08 +0000',
  ...overrides,
});

const newKeyJson = (sid: string, overrides: Record<string, unknown> = {}) => ({
  ...keyJson(sid),
  secret: KEY_SECRET,
  ...overrides,
});

const noContent: Step = (res) => {
  res.writeHead(204);
  res.end();
};

const probeCredentials: TwilioCredentials = {
  accountSid: SUB_SID,
  apiKeySid: KEY_SID,
  apiKeySecret: KEY_SECRET,
};

describe('requests on the wire', () => {
  it('creates a key with a form body and the main credentials', async () => {
    server.script(json(201, newKeyJson(KEY_SID, { friendly_name: 'tenant 1 & co' })));
    const { client } = makeClient();
    const key = await client.createKey(SUB_SID, { friendlyName: 'tenant 1 & co' });
    expect(key).toEqual({
      sid: KEY_SID,
      friendlyName: 'tenant 1 & co',
      dateCreated: new Date('2016-06-13T22:50:08Z'),
      dateUpdated: new Date('2016-06-13T22:50:08Z'),
      secret: KEY_SECRET,
    });
    const [request] = server.received;
    expect(request).toMatchObject({ method: 'POST', url: `/2010-04-01/Accounts/${SUB_SID}/Keys.json` });
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({ FriendlyName: 'tenant 1 & co' });
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.headers.authorization).toBe(basic(MAIN_SID, TOKEN));
    expect(request?.headers.accept).toBe('application/json');
  });

  it('creates a key without FriendlyName when none is given', async () => {
    server.script(json(201, newKeyJson(KEY_SID, { friendly_name: null })));
    const { client } = makeClient();
    expect((await client.createKey(SUB_SID)).friendlyName).toBe('');
    expect(server.received[0]?.body).toBe('');
  });

  it('lists with PageSize and follows next_page_uri within the Keys list', async () => {
    const next = `/2010-04-01/Accounts/${SUB_SID}/Keys.json?PageSize=1&Page=1&PageToken=PA${KEY_SID}`;
    const second = `SK${'5'.repeat(32)}`;
    server.script(
      json(200, { keys: [keyJson(KEY_SID)], next_page_uri: next }),
      json(200, { keys: [keyJson(second)], next_page_uri: null }),
    );
    const { client } = makeClient();
    expect((await drain(client.listKeys(SUB_SID, { pageSize: 1 }))).map((k) => k.sid)).toEqual([
      KEY_SID,
      second,
    ]);
    expect(server.received.map((r) => r.url)).toEqual([
      `/2010-04-01/Accounts/${SUB_SID}/Keys.json?PageSize=1`,
      next,
    ]);
  });

  it.each([
    ['another host', `https://elsewhere.example.com/2010-04-01/Accounts/${SUB_SID}/Keys.json`],
    ['another list', '/2010-04-01/Accounts.json?PageSize=1&Page=1'],
    ['another account', `/2010-04-01/Accounts/${MAIN_SID}/Keys.json?Page=1`],
    ['the same page again', `/2010-04-01/Accounts/${SUB_SID}/Keys.json`],
  ])('refuses a next_page_uri to %s (it would carry the credentials)', async (_label, next) => {
    server.script(json(200, { keys: [keyJson(KEY_SID)], next_page_uri: next }));
    const { client } = makeClient();
    const error = await failure(drain(client.listKeys(SUB_SID)));
    expect(error).toBeInstanceOf(TwilioUnexpectedResponseError);
    expect((error as Error).message).toMatch(/^Twilio key-list answered HTTP 200/);
    expect(server.received).toHaveLength(1);
  });

  it('fetches and deletes a key by its path; a delete takes a 204 without a body', async () => {
    server.script(json(200, keyJson(KEY_SID)), noContent);
    const { client } = makeClient();
    expect((await client.fetchKey(SUB_SID, KEY_SID)).sid).toBe(KEY_SID);
    await expect(client.deleteKey(SUB_SID, KEY_SID)).resolves.toBeUndefined();
    expect(server.received.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET /2010-04-01/Accounts/${SUB_SID}/Keys/${KEY_SID}.json`,
      `DELETE /2010-04-01/Accounts/${SUB_SID}/Keys/${KEY_SID}.json`,
    ]);
    expect(server.received[1]?.headers['content-type']).toBeUndefined();
  });

  it('probes with the given key as Basic KeySid:KeySecret, not the main credentials', async () => {
    server.script(json(200, { account_sid: SUB_SID, balance: null, currency: null }));
    const { client } = makeClient();
    expect(await client.fetchBalance(SUB_SID, { credentials: probeCredentials })).toEqual({
      accountSid: SUB_SID,
      balance: undefined,
      currency: undefined,
    });
    expect(server.received[0]).toMatchObject({
      method: 'GET',
      url: `/2010-04-01/Accounts/${SUB_SID}/Balance.json`,
    });
    expect(server.received[0]?.headers.authorization).toBe(basic(KEY_SID, KEY_SECRET));
  });
});

describe('401s', () => {
  const refreshingSource = (next: () => TwilioCredentials) => {
    let refreshes = 0;
    return {
      source: {
        current: (): TwilioCredentials => ({ accountSid: MAIN_SID, authToken: TOKEN }),
        refresh: async (): Promise<TwilioCredentials> => {
          refreshes += 1;
          return next();
        },
      },
      refreshes: () => refreshes,
    };
  };

  it('a 401 to a probe is its answer: no refresh, no retry, the plain auth error', async () => {
    server.script(twilioError(401, 20003, 'Authenticate'));
    const { source, refreshes } = refreshingSource(() => ({ accountSid: MAIN_SID, authToken: TOKEN }));
    const { client, sleeps } = makeClient({ credentials: source });
    const error = await failure(client.fetchBalance(SUB_SID, { credentials: probeCredentials }));
    expect(error).toBeInstanceOf(TwilioAuthError);
    expect((error as Error).message).toBe(
      'Twilio balance failed with HTTP 401 (Twilio code 20003): Authenticate',
    );
    expect(refreshes()).toBe(0);
    expect(sleeps).toEqual([]);
    expect(server.received).toHaveLength(1);

    server.script(twilioError(401, 20003, 'Authenticate'));
    expect(await createTwilioApiKeyGateway(client).keyWorks(SUB_SID, KEY_SID, KEY_SECRET)).toBe(false);
    expect(refreshes()).toBe(0);
  });

  it.each([
    [403, 10001, 'Account is not active', false],
    [401, 20005, 'Account not active', false],
    [404, 20404, 'The requested resource was not found', 'TWILIO_NOT_FOUND'],
    [400, 21100, 'Invalid', 'TWILIO_API_ERROR'],
  ] as const)('keyWorks on HTTP %d / %d: %s → %s', async (status, code, message, outcome) => {
    server.script(twilioError(status, code, message));
    const gateway = createTwilioApiKeyGateway(makeClient().client);
    if (outcome === false) {
      expect(await gateway.keyWorks(SUB_SID, KEY_SID, KEY_SECRET)).toBe(false);
    } else {
      expect(await failure(gateway.keyWorks(SUB_SID, KEY_SID, KEY_SECRET))).toMatchObject({ code: outcome });
    }
  });

  it('a parent API key refused after its one refresh says what the parent credentials must be', async () => {
    const parentKey = { accountSid: MAIN_SID, apiKeySid: PARENT_KEY_SID, apiKeySecret: PARENT_KEY_SECRET };
    server.script(twilioError(401, 20003, 'Authenticate'));
    const { source, refreshes } = refreshingSource(() => parentKey);
    const { client } = makeClient({ credentials: { ...source, current: () => parentKey } });
    const error = await failure(client.createKey(SUB_SID, { friendlyName: 'tenant-1' }));
    expect(error).toBeInstanceOf(TwilioAuthError);
    expect(error).not.toBeInstanceOf(TwilioAmbiguousCreateError);
    expect((error as Error).message).toBe(
      `Twilio refused the parent credentials, API key ${PARENT_KEY_SID}: they must be the main account's auth token or a Main API key, because a Standard key cannot create, update or list subaccounts or manage their keys (or the key is wrong or was deleted). Twilio key-create failed with HTTP 401 (Twilio code 20003): Authenticate`,
    );
    expect(refreshes()).toBe(1);
    expect(server.received.map((r) => r.headers.authorization)).toEqual([
      basic(PARENT_KEY_SID, PARENT_KEY_SECRET),
      basic(PARENT_KEY_SID, PARENT_KEY_SECRET),
    ]);
  });

  it('a parent key that a refresh replaces by an auth token keeps the plain auth error', async () => {
    const parentKey = { accountSid: MAIN_SID, apiKeySid: PARENT_KEY_SID, apiKeySecret: PARENT_KEY_SECRET };
    server.script(twilioError(401, 20003, 'Authenticate'));
    const { source } = refreshingSource(() => ({ accountSid: MAIN_SID, authToken: TOKEN }));
    const { client } = makeClient({ credentials: { ...source, current: () => parentKey } });
    const error = await failure(drain(client.listKeys(SUB_SID)));
    expect((error as Error).message).toMatch(/^Twilio key-list failed with HTTP 401/);
  });

  it('the Balance with a parent key is not explained as a Standard key (a Standard key may read it)', async () => {
    server.script(twilioError(401, 20003, 'Authenticate'));
    const parentKey = { accountSid: MAIN_SID, apiKeySid: PARENT_KEY_SID, apiKeySecret: PARENT_KEY_SECRET };
    const { client } = makeClient({ credentials: { current: () => parentKey } });
    const error = await failure(client.fetchBalance(SUB_SID));
    expect((error as Error).message).toMatch(/^Twilio balance failed with HTTP 401/);
  });
});

describe('a key create is never sent twice when Twilio may have applied it', () => {
  it.each([
    ['a headers timeout', hang, 'TWILIO_NETWORK_ERROR'],
    ['a dropped connection', dropConnection, 'TWILIO_NETWORK_ERROR'],
    ['a 503', twilioError(503, 20503, 'Service Unavailable'), 'TWILIO_API_ERROR'],
    ['a 500 without a JSON body', raw(500, 'oops'), 'TWILIO_API_ERROR'],
    // Twilio made the key, but its secret did not come back: as lost as a dropped answer.
    ['a 201 without its secret', json(201, keyJson(KEY_SID)), 'TWILIO_UNEXPECTED_RESPONSE'],
  ])('surfaces %s as an ambiguous key create, after one request', async (_label, step, causeCode) => {
    server.script(step, json(201, newKeyJson(KEY_SID)));
    const { client, sleeps } = makeClient({ timeouts: { headersMs: 200 } });
    const error = await failure(client.createKey(SUB_SID, { friendlyName: 'tenant-7' }));
    expect(error).toBeInstanceOf(TwilioAmbiguousCreateError);
    expect(error).toMatchObject({ operation: 'key-create', accountSid: SUB_SID, friendlyName: 'tenant-7' });
    expect((error as TwilioAmbiguousCreateError).context).toMatchObject({ causeCode });
    expect(server.received).toHaveLength(1);
    expect(sleeps).toEqual([]);

    server.script(step);
    const outcome = await failure(createTwilioApiKeyGateway(client).createKey(SUB_SID, 'tenant-7'));
    expect(outcome).toBeInstanceOf(CreateOutcomeUnknownError);
    expect((outcome as Error).cause).toBeInstanceOf(TwilioAmbiguousCreateError);
  });

  it('retries a key create refused before it was applied (429)', async () => {
    server.script(
      twilioError(429, 20429, 'Too Many Requests', { 'retry-after': '1' }),
      json(201, newKeyJson(KEY_SID)),
    );
    const { client, sleeps } = makeClient();
    expect((await client.createKey(SUB_SID, { friendlyName: 't' })).sid).toBe(KEY_SID);
    expect(sleeps).toEqual([1000]);
    expect(server.received).toHaveLength(2);
  });

  it('does not wrap a refusal (400) as ambiguous', async () => {
    server.script(twilioError(400, 21100, 'Invalid FriendlyName'));
    const { client } = makeClient();
    const error = await failure(client.createKey(SUB_SID, { friendlyName: 't' }));
    expect(error).toBeInstanceOf(TwilioApiError);
    expect(error).not.toBeInstanceOf(TwilioAmbiguousCreateError);
  });
});

describe('deadlines', () => {
  it('starts no Keys or Balance request once the deadline has passed', async () => {
    const { client } = makeClient();
    const options = { deadline: Date.now() - 1 };
    for (const attempt of [
      () => client.createKey(SUB_SID, {}, options),
      async () => drain(client.listKeys(SUB_SID, {}, options)),
      () => client.fetchKey(SUB_SID, KEY_SID, options),
      () => client.deleteKey(SUB_SID, KEY_SID, options),
      () => client.fetchBalance(SUB_SID, { credentials: probeCredentials }, options),
    ]) {
      const error = await failure(attempt());
      expect(error).toBeInstanceOf(TwilioCallAbortedError);
      expect(error).toMatchObject({ reason: 'deadline', mayHaveApplied: false });
    }
    expect(server.received).toHaveLength(0);
  });

  it('aborts a probe in flight at the deadline (a thrown, retryable error, not a false)', async () => {
    server.script(hang);
    const { client } = makeClient({ timeouts: { headersMs: 60_000 } });
    const gateway = createTwilioApiKeyGateway(client);
    const error = await failure(
      gateway.keyWorks(SUB_SID, KEY_SID, KEY_SECRET, { deadline: Date.now() + 200 }),
    );
    expect(error).toBeInstanceOf(TwilioCallAbortedError);
    expect(error).toMatchObject({ retryable: true, reason: 'deadline' });
  });

  it('retries a probe whose headers timed out', async () => {
    server.script(hang, json(200, { account_sid: SUB_SID, balance: '1.00', currency: 'USD' }));
    const { client } = makeClient({ timeouts: { headersMs: 200 } });
    expect(await createTwilioApiKeyGateway(client).keyWorks(SUB_SID, KEY_SID, KEY_SECRET)).toBe(true);
    expect(server.received).toHaveLength(2);
  });
});

describe('secrets', () => {
  it('no error of these tests carries a token, a key secret or an Authorization header', () => {
    expect(seenErrors.length).toBeGreaterThan(15);
    for (const error of seenErrors) {
      const rendered = [
        (error as Error).message,
        JSON.stringify(error),
        inspect(error, { depth: 20 }),
      ].join();
      for (const secret of [
        TOKEN,
        KEY_SECRET,
        PARENT_KEY_SECRET,
        basic(MAIN_SID, TOKEN),
        basic(KEY_SID, KEY_SECRET),
        basic(PARENT_KEY_SID, PARENT_KEY_SECRET),
      ]) {
        expect(rendered).not.toContain(secret);
      }
    }
  });
});
