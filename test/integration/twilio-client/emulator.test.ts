/**
 * Every operation of the Accounts client against the local Twilio emulator, and the emulator's
 * fault classes: how each is retried or surfaced, and what Twilio's state is afterwards.
 */
import { inspect } from 'node:util';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTwilioEmulator, type TwilioEmulator } from '../../../local/twilio-emulator/index.ts';
import {
  createTwilioAccountsClient,
  type TwilioAccountsApi,
  type TwilioAccountsClientOptions,
  TwilioAmbiguousCreateError,
  TwilioApiError,
  TwilioAuthError,
  TwilioNotFoundError,
  TwilioRateLimitError,
  TwilioSubaccountClosedError,
} from '../../../shared/twilio/index.ts';
import { drain, failureOf, testClientOptions } from './support.ts';

const agent = new Agent({ connect: { timeout: 1000 } });
let emulator: TwilioEmulator;
let sleeps: number[];
let client: TwilioAccountsApi;
const seenErrors: unknown[] = [];

const makeClient = (overrides: Partial<TwilioAccountsClientOptions> = {}): TwilioAccountsApi =>
  createTwilioAccountsClient({
    credentials: { current: () => ({ accountSid: emulator.accountSid, authToken: emulator.authToken }) },
    baseUrl: emulator.url,
    dispatcher: agent,
    ...testClientOptions((ms) => sleeps.push(ms)),
    ...overrides,
  });

beforeEach(async () => {
  emulator = await startTwilioEmulator();
  sleeps = [];
  client = makeClient();
});
afterEach(() => emulator.close());
afterAll(async () => {
  await agent.close();
});

const failure = failureOf(seenErrors);

const unknownSid = (): string => `AC${'0'.repeat(31)}9`;

describe('operations', () => {
  it('creates a subaccount owned by the main account, with parsed dates', async () => {
    const account = await client.createSubaccount({ friendlyName: 'tenant-create' });
    expect(account).toMatchObject({
      friendlyName: 'tenant-create',
      ownerAccountSid: emulator.accountSid,
      status: 'active',
      type: 'Full',
      uri: `/2010-04-01/Accounts/${account.sid}.json`,
    });
    expect(account.sid).toMatch(/^AC[0-9a-f]{32}$/);
    expect(account.dateCreated).toBeInstanceOf(Date);
    expect(Number.isNaN(account.dateCreated.getTime())).toBe(false);
    const stored = emulator.accounts().find((a) => a.sid === account.sid);
    expect(stored?.auth_token).toBe(account.authToken);
    expect(emulator.stats().byRoute.create).toBe(1);
  });

  it('creates with the default FriendlyName when none is given', async () => {
    const account = await client.createSubaccount();
    expect(account.friendlyName).toMatch(/^SubAccount Created at /);
  });

  it('fetches an account', async () => {
    const created = await client.createSubaccount({ friendlyName: 'tenant-fetch' });
    expect(await client.fetchAccount(created.sid)).toEqual(created);
  });

  it('lists every account across several pages, following next_page_uri', async () => {
    const created: string[] = [];
    for (let i = 0; i < 7; i += 1)
      created.push((await client.createSubaccount({ friendlyName: `t-${i}` })).sid);
    emulator.resetStats();
    const listed = await drain(client.listAccounts({ pageSize: 3 }));
    expect(listed.map((a) => a.sid)).toEqual([emulator.accountSid, ...created]);
    expect(emulator.stats().byRoute.list).toBe(3);
  });

  it('lists with the FriendlyName and Status filters', async () => {
    const a = await client.createSubaccount({ friendlyName: 'shared-name' });
    const b = await client.createSubaccount({ friendlyName: 'shared-name' });
    await client.createSubaccount({ friendlyName: 'other-name' });
    await client.updateAccount(b.sid, { status: 'suspended' });
    const byName = await drain(client.listAccounts({ friendlyName: 'shared-name', pageSize: 1 }));
    expect(byName.map((x) => x.sid)).toEqual([a.sid, b.sid]);
    const suspended = await drain(client.listAccounts({ status: 'suspended' }));
    expect(suspended.map((x) => x.sid)).toEqual([b.sid]);
    expect(await drain(client.listAccounts({ friendlyName: 'nobody' }))).toEqual([]);
  });

  it('suspends, reactivates and renames a subaccount', async () => {
    const { sid } = await client.createSubaccount({ friendlyName: 'tenant-update' });
    expect((await client.updateAccount(sid, { status: 'suspended' })).status).toBe('suspended');
    expect((await client.updateAccount(sid, { status: 'active' })).status).toBe('active');
    const renamed = await client.updateAccount(sid, { friendlyName: 'tenant-renamed' });
    expect(renamed).toMatchObject({ friendlyName: 'tenant-renamed', status: 'active' });
    expect(emulator.accounts().find((a) => a.sid === sid)?.friendly_name).toBe('tenant-renamed');
  });

  it('refuses to reopen a closed subaccount with a permanent 21479 error', async () => {
    const { sid } = await client.createSubaccount({ friendlyName: 'tenant-close' });
    expect((await client.updateAccount(sid, { status: 'closed' })).status).toBe('closed');
    emulator.resetStats();
    const error = await failure(client.updateAccount(sid, { status: 'active' }));
    expect(error).toBeInstanceOf(TwilioSubaccountClosedError);
    expect(error).toBeInstanceOf(TwilioApiError);
    expect(error).toMatchObject({
      status: 400,
      twilioCode: 21479,
      retryable: false,
      code: 'SUBACCOUNT_CLOSED',
    });
    expect(emulator.stats().byRoute.update).toBe(1);
    expect(emulator.accounts().find((a) => a.sid === sid)?.status).toBe('closed');
  });

  it('answers an unknown SID with a not-found error', async () => {
    const error = await failure(client.fetchAccount(unknownSid()));
    expect(error).toBeInstanceOf(TwilioNotFoundError);
    expect(error).toMatchObject({ status: 404, twilioCode: 20404, retryable: false, kind: 'not-found' });
  });

  it('answers wrong credentials with an auth error', async () => {
    const wrong = makeClient({
      credentials: { current: () => ({ accountSid: emulator.accountSid, authToken: 'f'.repeat(32) }) },
    });
    const error = await failure(wrong.fetchAccount(emulator.accountSid));
    expect(error).toBeInstanceOf(TwilioAuthError);
    expect(error).toMatchObject({ status: 401, twilioCode: 20003, retryable: false });
    expect(emulator.stats().total).toBe(1);
  });

  it('picks up a rotated main token through refresh()', async () => {
    const stale = emulator.authToken;
    const rotated = emulator.rotateAuthToken();
    const refreshing = makeClient({
      credentials: {
        current: () => ({ accountSid: emulator.accountSid, authToken: stale }),
        refresh: async () => ({ accountSid: emulator.accountSid, authToken: rotated }),
      },
    });
    expect((await refreshing.createSubaccount({ friendlyName: 'after-rotation' })).friendlyName).toBe(
      'after-rotation',
    );
    expect(emulator.requestLog().map((entry) => entry.status)).toEqual([401, 201]);
  });

  it('authenticates with an API key', async () => {
    const key = emulator.createApiKey();
    const viaKey = makeClient({
      credentials: {
        current: () => ({ accountSid: emulator.accountSid, apiKeySid: key.sid, apiKeySecret: key.secret }),
      },
    });
    expect((await viaKey.fetchAccount(emulator.accountSid)).sid).toBe(emulator.accountSid);
  });
});

describe('faults', () => {
  it('retries rate limiting, waiting as Retry-After says', async () => {
    emulator.injectFault({ route: 'fetch', fault: { kind: 'rate-limit', retryAfterSeconds: 2 }, times: 2 });
    expect((await client.fetchAccount(emulator.accountSid)).sid).toBe(emulator.accountSid);
    expect(sleeps).toEqual([2000, 2000]);
    expect(emulator.stats().byRoute.fetch).toBe(3);
  });

  it('surfaces persistent rate limiting as a retryable error after maxAttempts', async () => {
    emulator.injectFault({ route: 'list', fault: { kind: 'rate-limit' } });
    const error = await failure(drain(client.listAccounts()));
    expect(error).toBeInstanceOf(TwilioRateLimitError);
    expect(error).toMatchObject({ status: 429, twilioCode: 20429, retryable: true, retryAfterMs: 1000 });
    expect(emulator.stats().byRoute.list).toBe(4);
  });

  it('retries a create that was rate limited: exactly one account results', async () => {
    emulator.injectFault({ route: 'create', fault: { kind: 'rate-limit' }, times: 1 });
    await client.createSubaccount({ friendlyName: 'throttled' });
    expect(emulator.accounts().filter((a) => a.friendly_name === 'throttled')).toHaveLength(1);
  });

  it.each([500, 503] as const)('retries server error %d on list and update', async (status) => {
    const { sid } = await client.createSubaccount({ friendlyName: 'flaky' });
    emulator.injectFault({ route: 'list', fault: { kind: 'server-error', status }, times: 1 });
    emulator.injectFault({ route: 'update', fault: { kind: 'server-error', status }, times: 1 });
    expect((await drain(client.listAccounts({ friendlyName: 'flaky' }))).map((a) => a.sid)).toEqual([sid]);
    expect((await client.updateAccount(sid, { status: 'suspended' })).status).toBe('suspended');
    expect(emulator.stats().faultsInjected['server-error']).toBe(2);
    expect(sleeps).toEqual([50, 50]);
  });

  it('surfaces a server error on create as ambiguous', async () => {
    emulator.injectFault({ route: 'create', fault: { kind: 'server-error', status: 503 }, times: 1 });
    const error = await failure(client.createSubaccount({ friendlyName: 'maybe' }));
    expect(error).toBeInstanceOf(TwilioAmbiguousCreateError);
    expect(error).toMatchObject({ status: 503, retryable: true, friendlyName: 'maybe' });
    expect(emulator.stats().byRoute.create).toBe(1);
  });

  it('retries fetch and update after a reset before the change', async () => {
    const { sid } = await client.createSubaccount({ friendlyName: 'reset-me' });
    emulator.injectFault({ route: 'fetch', fault: { kind: 'reset-before' }, times: 1 });
    emulator.injectFault({ route: 'update', fault: { kind: 'reset-before' }, times: 1 });
    expect((await client.fetchAccount(sid)).sid).toBe(sid);
    expect((await client.updateAccount(sid, { status: 'suspended' })).status).toBe('suspended');
    expect(emulator.stats().byRoute).toMatchObject({ fetch: 2, update: 2 });
  });

  it('retries an update reset after it was applied (setting a Status twice is harmless)', async () => {
    const { sid } = await client.createSubaccount({ friendlyName: 'reset-after-update' });
    emulator.injectFault({ route: 'update', fault: { kind: 'reset-after' }, times: 1 });
    expect((await client.updateAccount(sid, { status: 'suspended' })).status).toBe('suspended');
    expect(emulator.stats().byRoute.update).toBe(2);
  });

  it('a create reset before it was applied: ambiguous, nothing created, then created once safely', async () => {
    emulator.injectFault({ route: 'create', fault: { kind: 'reset-before' }, times: 1 });
    const error = await failure(client.createSubaccount({ friendlyName: 'reset-before' }));
    // On the wire a reset before and after applying look the same: the client cannot resend blindly.
    expect(error).toBeInstanceOf(TwilioAmbiguousCreateError);
    expect(emulator.stats().byRoute.create).toBe(1);
    expect(emulator.accounts().some((a) => a.friendly_name === 'reset-before')).toBe(false);
    // The caller's protocol: look it up by FriendlyName, create only when absent.
    expect(await drain(client.listAccounts({ friendlyName: 'reset-before' }))).toEqual([]);
    await client.createSubaccount({ friendlyName: 'reset-before' });
    expect(emulator.accounts().filter((a) => a.friendly_name === 'reset-before')).toHaveLength(1);
  });

  it('a create reset after it was applied: ambiguous, and the account exists to be found', async () => {
    emulator.injectFault({ route: 'create', fault: { kind: 'reset-after' }, times: 1 });
    const error = await failure(client.createSubaccount({ friendlyName: 'reset-after' }));
    expect(error).toBeInstanceOf(TwilioAmbiguousCreateError);
    expect(error).toMatchObject({ ambiguous: true, retryable: true, friendlyName: 'reset-after' });
    expect(emulator.stats().byRoute.create).toBe(1);
    const stored = emulator.accounts().filter((a) => a.friendly_name === 'reset-after');
    expect(stored).toHaveLength(1);
    const found = await drain(client.listAccounts({ friendlyName: 'reset-after' }));
    expect(found.map((a) => a.sid)).toEqual([stored[0]?.sid]);
  });

  it('retries a GET slowed past the headers timeout', async () => {
    const impatient = makeClient({ timeouts: { headersMs: 150 } });
    emulator.injectFault({ route: 'fetch', fault: { kind: 'latency', ms: 2000 }, times: 1 });
    expect((await impatient.fetchAccount(emulator.accountSid)).sid).toBe(emulator.accountSid);
    expect(emulator.stats().byRoute.fetch).toBe(2);
  });

  it('no error raised in these tests carries a token or API key secret', async () => {
    const key = emulator.createApiKey();
    const keyed = makeClient({
      credentials: {
        current: () => ({ accountSid: emulator.accountSid, apiKeySid: key.sid, apiKeySecret: key.secret }),
      },
    });
    emulator.injectFault({ route: 'create', fault: { kind: 'reset-after' }, times: 1 });
    await failure(keyed.createSubaccount({ friendlyName: 'leak-check' }));
    await failure(keyed.fetchAccount(unknownSid()));
    const secrets = emulator.issuedSecrets();
    expect(secrets.length).toBeGreaterThan(1);
    for (const error of seenErrors) {
      const rendered = [
        (error as Error).message,
        JSON.stringify(error),
        inspect(error, { depth: 20 }),
      ].join();
      for (const secret of secrets) expect(rendered).not.toContain(secret);
    }
  });
});
