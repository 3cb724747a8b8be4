/**
 * The Keys and Balance operations of the real client, and the API key gateway over them, against
 * the local Twilio emulator on loopback: what is sent and retried, what Twilio's state is
 * afterwards, how a lost key-create answer, a Standard parent key and a key's own probe end, and
 * that no error or request log ever carries a secret.
 */
import { inspect } from 'node:util';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTwilioEmulator, type TwilioEmulator } from '../../../local/twilio-emulator/index.ts';
import { CreateOutcomeUnknownError } from '../../../shared/domain/errors.ts';
import type { ApiKeyGateway } from '../../../shared/domain/ports.ts';
import {
  createTwilioAccountsClient,
  createTwilioApiKeyGateway,
  createTwilioSubaccountGateway,
  type TwilioAccountsClient,
  type TwilioAccountsClientOptions,
  TwilioAmbiguousCreateError,
  TwilioApiError,
  TwilioAuthError,
  type TwilioCredentials,
  TwilioInputError,
  type TwilioKey,
  TwilioMainAccountSuspendedError,
  TwilioNotFoundError,
  TwilioRateLimitError,
} from '../../../shared/twilio/index.ts';
import { manualClock } from '../twilio-emulator/support.ts';
import { drain, failureOf, testClientOptions } from './support.ts';

const agent = new Agent({ connect: { timeout: 1000 } });
let emulator: TwilioEmulator;
let sleeps: number[];
let client: TwilioAccountsClient;
let keys: ApiKeyGateway;
/** Every error these tests saw, and every token and secret every emulator issued. */
const seenErrors: unknown[] = [];
const issued = new Set<string>();
const requestLogs: string[] = [];

const mainCredentials = (): TwilioCredentials => ({
  accountSid: emulator.accountSid,
  authToken: emulator.authToken,
});

const makeClient = (overrides: Partial<TwilioAccountsClientOptions> = {}): TwilioAccountsClient =>
  createTwilioAccountsClient({
    credentials: { current: mainCredentials },
    baseUrl: emulator.url,
    dispatcher: agent,
    ...testClientOptions((ms) => sleeps.push(ms)),
    ...overrides,
  });

const stopEmulator = async (): Promise<void> => {
  if (emulator === undefined) return;
  for (const secret of emulator.issuedSecrets()) issued.add(secret);
  requestLogs.push(JSON.stringify(emulator.requestLog()));
  await emulator.close();
};

const startWith = async (options: Parameters<typeof startTwilioEmulator>[0] = {}): Promise<void> => {
  await stopEmulator();
  emulator = await startTwilioEmulator(options);
  client = makeClient();
  keys = createTwilioApiKeyGateway(client);
};

beforeEach(async () => {
  sleeps = [];
  await startWith();
});
afterEach(() => stopEmulator());
afterAll(async () => {
  await agent.close();
});

const failure = failureOf(seenErrors);

/** Route and status of every request the emulator answered, in order. */
const exchanges = (): string[] => emulator.requestLog().map((entry) => `${entry.route} ${entry.status}`);

const newSubaccount = async (friendlyName = 'tenant:keys'): Promise<string> =>
  (await client.createSubaccount({ friendlyName })).sid;

const keyCredentials = (accountSid: string, key: { sid: string; secret: string }): TwilioCredentials => ({
  accountSid,
  apiKeySid: key.sid,
  apiKeySecret: key.secret,
});

describe('client: Keys', () => {
  it('creates a Standard key on a subaccount, with its one-time secret, and the key acts as that subaccount', async () => {
    const sub = await newSubaccount();
    emulator.resetStats();
    const key = await client.createKey(sub, { friendlyName: 'tenant:keys/1' });
    expect(key.sid).toMatch(/^SK[0-9a-f]{32}$/);
    expect(key.secret).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(key).toMatchObject({ friendlyName: 'tenant:keys/1' });
    expect(key.dateCreated).toBeInstanceOf(Date);
    expect(Number.isNaN(key.dateCreated.getTime())).toBe(false);
    expect(emulator.keys(sub)).toEqual([
      expect.objectContaining({
        sid: key.sid,
        account_sid: sub,
        type: 'Standard',
        friendly_name: 'tenant:keys/1',
      }),
    ]);
    expect(emulator.requestLog()).toEqual([
      expect.objectContaining({
        route: 'key-create',
        method: 'POST',
        path: `/2010-04-01/Accounts/${sub}/Keys.json`,
        status: 201,
      }),
    ]);
    const balance = await client.fetchBalance(sub, { credentials: keyCredentials(sub, key) });
    expect(balance).toEqual({ accountSid: sub, balance: '20.00', currency: 'USD' });
  });

  it('creates a key without a FriendlyName', async () => {
    const sub = await newSubaccount();
    const key = await client.createKey(sub);
    expect(key.friendlyName).toBe('');
    expect(emulator.keys(sub)[0]?.friendly_name).toBeNull();
  });

  it('fetches a key without its secret', async () => {
    const sub = await newSubaccount();
    const { secret, ...created } = await client.createKey(sub, { friendlyName: 'fetch-me' });
    const fetched = await client.fetchKey(sub, created.sid);
    expect(fetched).toEqual(created);
    expect(JSON.stringify(fetched)).not.toContain(secret);
  });

  it('lists every key of the account across pages, in creation order, and only that account', async () => {
    const sub = await newSubaccount();
    const other = await newSubaccount('tenant:other');
    await client.createKey(other, { friendlyName: 'not-mine' });
    const created: string[] = [];
    for (let i = 0; i < 5; i += 1)
      created.push((await client.createKey(sub, { friendlyName: `k-${i}` })).sid);
    emulator.resetStats();
    const listed = await drain(client.listKeys(sub, { pageSize: 2 }));
    expect(listed.map((key) => key.sid)).toEqual(created);
    expect(listed.every((key) => !('secret' in key))).toBe(true);
    expect(exchanges()).toEqual(['key-list 200', 'key-list 200', 'key-list 200']);
    expect(await drain(client.listKeys(await newSubaccount('tenant:empty')))).toEqual([]);
  });

  it('deletes a key: it stops authenticating at once, and a second delete is a not-found error', async () => {
    const sub = await newSubaccount();
    const key = await client.createKey(sub, { friendlyName: 'delete-me' });
    emulator.resetStats();
    await expect(client.deleteKey(sub, key.sid)).resolves.toBeUndefined();
    expect(emulator.keys(sub)).toEqual([]);
    expect(emulator.requestLog()).toEqual([
      expect.objectContaining({
        route: 'key-delete',
        method: 'DELETE',
        path: `/2010-04-01/Accounts/${sub}/Keys/${key.sid}.json`,
        status: 204,
      }),
    ]);
    const error = await failure(client.deleteKey(sub, key.sid));
    expect(error).toBeInstanceOf(TwilioNotFoundError);
    expect(error).toMatchObject({ status: 404, twilioCode: 20404, retryable: false });
    expect((error as TwilioNotFoundError).context).toMatchObject({
      operation: 'key-delete',
      accountSid: sub,
      keySid: key.sid,
    });
    expect(await failure(client.fetchKey(sub, key.sid))).toBeInstanceOf(TwilioNotFoundError);
    expect(await failure(client.fetchBalance(sub, { credentials: keyCredentials(sub, key) }))).toBeInstanceOf(
      TwilioAuthError,
    );
  });

  it('reads the Balance of the main account and of a subaccount with the main credentials', async () => {
    const sub = await newSubaccount();
    expect(await client.fetchBalance(emulator.accountSid)).toEqual({
      accountSid: emulator.accountSid,
      balance: '20.00',
      currency: 'USD',
    });
    expect((await client.fetchBalance(sub)).accountSid).toBe(sub);
  });

  it('answers the Keys of an unknown account with a not-found error', async () => {
    const unknown = `AC${'0'.repeat(31)}9`;
    expect(await failure(client.createKey(unknown, { friendlyName: 'x' }))).toBeInstanceOf(
      TwilioNotFoundError,
    );
    expect(await failure(drain(client.listKeys(unknown)))).toBeInstanceOf(TwilioNotFoundError);
    expect(emulator.keys()).toEqual([]);
  });

  it('rejects bad input without sending a request', async () => {
    const sub = await newSubaccount();
    emulator.resetStats();
    const attempts = [
      () => client.createKey(sub, { friendlyName: 'x'.repeat(65) }),
      () => client.createKey('AC123'),
      // Validated when called, before any page is read.
      async () => drain(client.listKeys(sub, { pageSize: 1001 })),
      () => client.fetchKey(sub, 'SK123'),
      () => client.deleteKey(sub, `AC${'0'.repeat(32)}`),
      () =>
        client.fetchBalance(sub, {
          credentials: { accountSid: sub, apiKeySid: 'SKnope', apiKeySecret: 's' },
        }),
      () =>
        client.fetchBalance(sub, {
          credentials: { accountSid: sub, apiKeySid: `SK${'0'.repeat(32)}`, apiKeySecret: '' },
        }),
    ];
    for (const attempt of attempts) {
      const error = await failure(attempt());
      expect(error).toBeInstanceOf(TwilioInputError);
      expect((error as TwilioInputError).retryable).toBe(false);
    }
    expect(emulator.stats().total).toBe(0);
  });

  it('refreshes rotated main credentials once on a 401, for Keys too', async () => {
    const sub = await newSubaccount();
    const stale = emulator.authToken;
    const rotated = emulator.rotateAuthToken();
    let refreshes = 0;
    const refreshing = makeClient({
      credentials: {
        current: () => ({ accountSid: emulator.accountSid, authToken: stale }),
        refresh: async () => {
          refreshes += 1;
          return { accountSid: emulator.accountSid, authToken: rotated };
        },
      },
    });
    emulator.resetStats();
    expect((await refreshing.createKey(sub, { friendlyName: 'after-rotation' })).friendlyName).toBe(
      'after-rotation',
    );
    expect(refreshes).toBe(1);
    expect(exchanges()).toEqual(['key-create 401', 'key-create 201']);
    expect(emulator.keys(sub)).toHaveLength(1);
  });
});

describe('client: faults on Keys and Balance', () => {
  it('retries key-list, key-fetch, key-delete and balance after a 503', async () => {
    const sub = await newSubaccount();
    const key = await client.createKey(sub, { friendlyName: 'flaky' });
    for (const route of ['key-list', 'key-fetch', 'key-delete', 'balance'] as const) {
      emulator.injectFault({ route, fault: { kind: 'server-error', status: 503 }, times: 1 });
    }
    expect((await drain(client.listKeys(sub))).map((k) => k.sid)).toEqual([key.sid]);
    expect((await client.fetchKey(sub, key.sid)).sid).toBe(key.sid);
    expect((await client.fetchBalance(sub)).accountSid).toBe(sub);
    await client.deleteKey(sub, key.sid);
    expect(emulator.stats().faultsInjected['server-error']).toBe(4);
    expect(sleeps).toEqual([50, 50, 50, 50]);
    expect(emulator.keys(sub)).toEqual([]);
  });

  it('retries a rate-limited key-create (Twilio did not apply it): exactly one key results', async () => {
    const sub = await newSubaccount();
    emulator.injectFault({
      route: 'key-create',
      fault: { kind: 'rate-limit', retryAfterSeconds: 2 },
      times: 1,
    });
    await client.createKey(sub, { friendlyName: 'throttled' });
    expect(sleeps).toEqual([2000]);
    expect(emulator.keys(sub).filter((k) => k.friendly_name === 'throttled')).toHaveLength(1);
  });

  it('surfaces persistent throttling of a probe as a retryable rate-limit error, not as an answer about the key', async () => {
    const sub = await newSubaccount();
    const key = await keys.createKey(sub, 'throttled-probe');
    emulator.injectFault({ route: 'balance', fault: { kind: 'rate-limit' } });
    const error = await failure(keys.keyWorks(sub, key.sid, key.secret));
    expect(error).toBeInstanceOf(TwilioRateLimitError);
    expect(error).toMatchObject({ retryable: true, status: 429 });
    expect(emulator.stats().byRoute.balance).toBe(4);
  });

  it('never resends a key-create after a 5xx: an ambiguous key-create error, one request', async () => {
    const sub = await newSubaccount();
    emulator.injectFault({ route: 'key-create', fault: { kind: 'server-error', status: 500 }, times: 1 });
    const error = await failure(client.createKey(sub, { friendlyName: 'maybe' }));
    expect(error).toBeInstanceOf(TwilioAmbiguousCreateError);
    expect(error).toMatchObject({
      operation: 'key-create',
      accountSid: sub,
      friendlyName: 'maybe',
      ambiguous: true,
      retryable: true,
      status: 500,
    });
    expect(emulator.stats().byRoute['key-create']).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('a key-delete reset after it was applied: the client retries and meets a 404, the gateway counts it deleted', async () => {
    const sub = await newSubaccount();
    const first = await client.createKey(sub, { friendlyName: 'reset-delete-1' });
    const second = await client.createKey(sub, { friendlyName: 'reset-delete-2' });
    emulator.injectFault({ route: 'key-delete', fault: { kind: 'reset-after' }, times: 1 });
    emulator.resetStats();
    expect(await failure(client.deleteKey(sub, first.sid))).toBeInstanceOf(TwilioNotFoundError);
    expect(exchanges()).toEqual(['key-delete reset', 'key-delete 404']);

    emulator.injectFault({ route: 'key-delete', fault: { kind: 'reset-after' }, times: 1 });
    await expect(keys.deleteKey(sub, second.sid)).resolves.toBeUndefined();
    expect(emulator.keys(sub)).toEqual([]);
  });
});

describe('gateway: createKey and a lost answer', () => {
  it('returns the created key with its secret', async () => {
    const sub = await newSubaccount();
    const key = await keys.createKey(sub, 'tenant:keys/gw');
    expect(Object.keys(key).sort()).toEqual(['dateCreated', 'friendlyName', 'secret', 'sid']);
    expect(key).toMatchObject({ friendlyName: 'tenant:keys/gw' });
    expect(emulator.keys(sub).map((k) => k.sid)).toEqual([key.sid]);
  });

  it('a lost key-create answer raises CreateOutcomeUnknownError, and the key exists to be found and deleted', async () => {
    const sub = await newSubaccount();
    emulator.injectFault({ route: 'key-create', fault: { kind: 'reset-after' }, times: 1 });
    emulator.resetStats();
    const error = await failure(keys.createKey(sub, 'tenant:lost-key'));
    expect(error).toBeInstanceOf(CreateOutcomeUnknownError);
    expect(error).toMatchObject({ code: 'CREATE_OUTCOME_UNKNOWN', retryable: true });
    const cause = (error as Error).cause;
    expect(cause).toBeInstanceOf(TwilioAmbiguousCreateError);
    expect(cause).toMatchObject({
      operation: 'key-create',
      accountSid: sub,
      friendlyName: 'tenant:lost-key',
    });
    expect(exchanges()).toEqual(['key-create reset']);
    expect(sleeps).toEqual([]);

    const [stored] = emulator.keys(sub);
    expect(stored).toMatchObject({ friendly_name: 'tenant:lost-key', type: 'Standard' });
    const found = await keys.findKeys(sub, 'tenant:lost-key');
    expect(found.map((k) => k.sid)).toEqual([stored?.sid]);
    // The caller's protocol: the secret is lost, so the key is deleted and a new one made.
    await keys.deleteKey(sub, found[0]?.sid ?? '');
    const replacement = await keys.createKey(sub, 'tenant:lost-key');
    expect(emulator.keys(sub).map((k) => k.sid)).toEqual([replacement.sid]);
    expect(await keys.keyWorks(sub, replacement.sid, replacement.secret)).toBe(true);
  });

  it('a key-create reset before it was applied is ambiguous too, and nothing was created', async () => {
    const sub = await newSubaccount();
    emulator.injectFault({ route: 'key-create', fault: { kind: 'reset-before' }, times: 1 });
    expect(await failure(keys.createKey(sub, 'tenant:never'))).toBeInstanceOf(CreateOutcomeUnknownError);
    expect(await keys.findKeys(sub, 'tenant:never')).toEqual([]);
  });

  it('a refusal is not an unknown outcome: a FriendlyName over 64 characters, an unknown account', async () => {
    const sub = await newSubaccount();
    expect(await failure(keys.createKey(sub, 'x'.repeat(65)))).toBeInstanceOf(TwilioInputError);
    const error = await failure(keys.createKey(`AC${'0'.repeat(31)}9`, 'tenant:nowhere'));
    expect(error).toBeInstanceOf(TwilioNotFoundError);
    expect(error).not.toBeInstanceOf(CreateOutcomeUnknownError);
  });
});

describe('gateway: findKeys and deleteKey', () => {
  it('finds the keys of exactly that FriendlyName, oldest first, of that subaccount only', async () => {
    const clock = manualClock('2026-03-01T09:00:00Z');
    await startWith({ now: clock.now });
    const sub = await newSubaccount();
    const other = await newSubaccount('tenant:other');
    const made: TwilioKey[] = [];
    for (const name of ['tenant:a', 'tenant:a ', 'Tenant:A', 'tenant:a', 'tenant:ab', 'tenant:a']) {
      made.push(await client.createKey(sub, { friendlyName: name }));
      clock.advance(1_000);
    }
    await client.createKey(other, { friendlyName: 'tenant:a' });
    const found = await keys.findKeys(sub, 'tenant:a');
    expect(found.map((k) => k.sid)).toEqual([made[0]?.sid, made[3]?.sid, made[5]?.sid]);
    expect(found.map((k) => k.dateCreated.toISOString())).toEqual([
      '2026-03-01T09:00:00.000Z',
      '2026-03-01T09:00:03.000Z',
      '2026-03-01T09:00:05.000Z',
    ]);
    expect(found[0]).toEqual({
      sid: made[0]?.sid,
      friendlyName: 'tenant:a',
      dateCreated: made[0]?.dateCreated,
    });
    expect(await keys.findKeys(sub, 'tenant:none')).toEqual([]);
  });

  it('reads at the largest page size, so one request covers a subaccount', async () => {
    const sub = await newSubaccount();
    await keys.createKey(sub, 'tenant:page');
    emulator.resetStats();
    await keys.findKeys(sub, 'tenant:page');
    expect(emulator.requestLog()).toEqual([expect.objectContaining({ route: 'key-list', status: 200 })]);
    expect(emulator.requestLog()[0]?.path).toContain('PageSize=1000');
  });

  it('deletes idempotently: a key already gone counts as deleted', async () => {
    const sub = await newSubaccount();
    const key = await keys.createKey(sub, 'tenant:gone');
    await keys.deleteKey(sub, key.sid);
    await keys.deleteKey(sub, key.sid);
    await keys.deleteKey(sub, `SK${'0'.repeat(32)}`);
    expect(exchanges().slice(-3)).toEqual(['key-delete 204', 'key-delete 404', 'key-delete 404']);
  });

  it('throws other refusals of a delete: the main account suspended', async () => {
    const sub = await newSubaccount();
    const key = await keys.createKey(sub, 'tenant:kept');
    emulator.setMainAccountSuspended(true);
    const error = await failure(keys.deleteKey(sub, key.sid));
    expect(error).toBeInstanceOf(TwilioMainAccountSuspendedError);
    expect(emulator.keys(sub)).toHaveLength(1);
  });
});

describe('gateway: keyWorks', () => {
  it('is true for a fresh key, with no request made with the main credentials', async () => {
    const sub = await newSubaccount();
    const key = await keys.createKey(sub, 'tenant:probe');
    emulator.resetStats();
    expect(await keys.keyWorks(sub, key.sid, key.secret)).toBe(true);
    expect(emulator.requestLog()).toEqual([
      expect.objectContaining({
        route: 'balance',
        method: 'GET',
        path: `/2010-04-01/Accounts/${sub}/Balance.json`,
        status: 200,
      }),
    ]);
  });

  it('is false after deleteKey, and the 401 is not a reason to refresh the main credentials', async () => {
    const sub = await newSubaccount();
    const key = await keys.createKey(sub, 'tenant:deleted');
    let refreshes = 0;
    const gateway = createTwilioApiKeyGateway(
      makeClient({
        credentials: {
          current: mainCredentials,
          refresh: async () => {
            refreshes += 1;
            return mainCredentials();
          },
        },
      }),
    );
    await gateway.deleteKey(sub, key.sid);
    emulator.resetStats();
    expect(await gateway.keyWorks(sub, key.sid, key.secret)).toBe(false);
    expect(refreshes).toBe(0);
    expect(exchanges()).toEqual(['balance 401']);
    expect(sleeps).toEqual([]);
  });

  it('is false after the subaccount is closed (its keys stop working with it)', async () => {
    const sub = await newSubaccount();
    const key = await keys.createKey(sub, 'tenant:closing');
    await createTwilioSubaccountGateway(client).setStatus(sub, 'closed');
    expect(await keys.keyWorks(sub, key.sid, key.secret)).toBe(false);
  });

  it('is false for a wrong secret, and for a key of another subaccount', async () => {
    const sub = await newSubaccount();
    const other = await newSubaccount('tenant:other');
    const key = await keys.createKey(sub, 'tenant:probe');
    const foreign = await keys.createKey(other, 'tenant:probe');
    // Its last character changed, whatever it was (a fixed replacement equals it once in 62).
    const wrong = `${key.secret.slice(0, -1)}${key.secret.endsWith('x') ? 'y' : 'x'}`;
    expect(await keys.keyWorks(sub, key.sid, wrong)).toBe(false);
    expect(await keys.keyWorks(sub, foreign.sid, foreign.secret)).toBe(false);
    expect(await keys.keyWorks(other, foreign.sid, foreign.secret)).toBe(true);
  });

  it('is false (403 / 10001) while its subaccount is suspended, and true again once reactivated', async () => {
    const sub = await newSubaccount();
    const key = await keys.createKey(sub, 'tenant:suspended');
    const subaccounts = createTwilioSubaccountGateway(client);
    await subaccounts.setStatus(sub, 'suspended');
    expect(await keys.keyWorks(sub, key.sid, key.secret)).toBe(false);
    expect(exchanges().at(-1)).toBe('balance 403');
    await subaccounts.setStatus(sub, 'active');
    expect(await keys.keyWorks(sub, key.sid, key.secret)).toBe(true);
  });

  it('throws what says nothing about the key: a persistent 500 after the retries, a malformed key SID', async () => {
    const sub = await newSubaccount();
    const key = await keys.createKey(sub, 'tenant:unsure');
    emulator.injectFault({ route: 'balance', fault: { kind: 'server-error', status: 500 } });
    const error = await failure(keys.keyWorks(sub, key.sid, key.secret));
    expect(error).toBeInstanceOf(TwilioApiError);
    expect(error).toMatchObject({ status: 500, retryable: true });
    expect(emulator.stats().byRoute.balance).toBe(4);
    expect(await failure(keys.keyWorks(sub, 'SK-not-a-key', key.secret))).toBeInstanceOf(TwilioInputError);
  });
});

describe('parent credentials that are an API key', () => {
  const STANDARD_MESSAGE =
    /^Twilio refused the parent credentials, API key SK[0-9a-f]{32}: they must be the main account's auth token or a Main API key, because a Standard key cannot create, update or list subaccounts or manage their keys/;

  it('a Standard key is refused on Accounts and Keys with a message saying what the parent credentials must be', async () => {
    const sub = await newSubaccount();
    const standard = await client.createKey(emulator.accountSid, { friendlyName: 'standard parent' });
    let refreshes = 0;
    const asStandard = makeClient({
      credentials: {
        current: () => keyCredentials(emulator.accountSid, standard),
        refresh: async () => {
          refreshes += 1;
          return keyCredentials(emulator.accountSid, standard);
        },
      },
    });
    emulator.resetStats();
    const attempts = [
      ['create', () => asStandard.createSubaccount({ friendlyName: 'tenant:refused' })],
      ['list', () => drain(asStandard.listAccounts())],
      ['update', () => asStandard.updateAccount(sub, { status: 'suspended' })],
      ['key-create', () => createTwilioApiKeyGateway(asStandard).createKey(sub, 'tenant:refused')],
      ['key-list', () => createTwilioApiKeyGateway(asStandard).findKeys(sub, 'tenant:refused')],
    ] as const;
    for (const [operation, attempt] of attempts) {
      const error = await failure(attempt());
      expect(error).toBeInstanceOf(TwilioAuthError);
      expect(error).not.toBeInstanceOf(CreateOutcomeUnknownError);
      expect(error).toMatchObject({
        code: 'TWILIO_AUTH_FAILED',
        retryable: false,
        status: 401,
        twilioCode: 20003,
      });
      expect((error as Error).message).toMatch(STANDARD_MESSAGE);
      expect((error as Error).message).toContain(standard.sid);
      expect((error as Error).message).toContain(`Twilio ${operation} failed with HTTP 401`);
      expect((error as Error).message).not.toContain(standard.secret);
    }
    // Refreshed once per call, then explained: Twilio's answer is the same for both.
    expect(refreshes).toBe(attempts.length);
    expect(emulator.stats().total).toBe(2 * attempts.length);
    expect(emulator.accounts().map((a) => a.friendly_name)).not.toContain('tenant:refused');
    expect(emulator.keys(sub)).toEqual([]);
    // A Standard key may still read its own account's Balance.
    expect((await asStandard.fetchBalance(emulator.accountSid)).accountSid).toBe(emulator.accountSid);
  });

  it('a refused auth token keeps the plain auth error', async () => {
    const wrong = makeClient({
      credentials: { current: () => ({ accountSid: emulator.accountSid, authToken: 'f'.repeat(32) }) },
    });
    const error = await failure(wrong.createKey(emulator.accountSid, { friendlyName: 'x' }));
    expect(error).toBeInstanceOf(TwilioAuthError);
    expect((error as Error).message).toMatch(/^Twilio key-create failed with HTTP 401 \(Twilio code 20003\)/);
  });

  it('a Main key (made in the Console) creates subaccounts and their keys, and manages them', async () => {
    const main = emulator.createMainKey({ friendlyName: 'provisioner' });
    const asMain = makeClient({ credentials: { current: () => keyCredentials(emulator.accountSid, main) } });
    const gateway = createTwilioApiKeyGateway(asMain);
    const sub = await createTwilioSubaccountGateway(asMain).create('tenant:via-main-key');
    const key = await gateway.createKey(sub.sid, 'tenant:via-main-key');
    expect(await gateway.findKeys(sub.sid, 'tenant:via-main-key')).toEqual([
      { sid: key.sid, friendlyName: 'tenant:via-main-key', dateCreated: key.dateCreated },
    ]);
    expect(await gateway.keyWorks(sub.sid, key.sid, key.secret)).toBe(true);
    await gateway.deleteKey(sub.sid, key.sid);
    expect(await gateway.keyWorks(sub.sid, key.sid, key.secret)).toBe(false);
    expect(emulator.requestLog().every((entry) => entry.status !== 401 || entry.route === 'balance')).toBe(
      true,
    );
  });
});

describe('secrets', () => {
  it('no error raised in these tests, nor any request log, carries a token or a key secret', async () => {
    // This emulator's secrets too: stop it first.
    await stopEmulator();
    await startWith();
    expect(seenErrors.length).toBeGreaterThanOrEqual(25);
    expect(issued.size).toBeGreaterThan(20);
    for (const error of seenErrors) {
      const rendered = [
        (error as Error).message,
        JSON.stringify(error),
        JSON.stringify((error as Error).cause ?? null),
        inspect(error, { depth: 20 }),
      ].join();
      for (const secret of issued) expect(rendered).not.toContain(secret);
    }
    for (const log of requestLogs) for (const secret of issued) expect(log).not.toContain(secret);
  });
});
