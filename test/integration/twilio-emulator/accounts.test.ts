import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startTwilioEmulator, type TwilioEmulator } from '../../../local/twilio-emulator/index.ts';
import { accountsOpenApiMissing, accountsOpenApiPath } from '../../helpers/openapi.ts';
import {
  type AccountBody,
  accountPath,
  call,
  createSubaccount,
  type ErrorBody,
  LIST,
  mainAuth,
  manualClock,
  type PageBody,
} from './support.ts';

let emulator: TwilioEmulator;
afterEach(() => emulator?.close());

/** The subresource_uris of the reference's example, with its placeholder SID. */
const exampleSubresources = (): Record<string, string> => {
  const spec = JSON.parse(readFileSync(accountsOpenApiPath!, 'utf8'));
  return spec.paths['/2010-04-01/Accounts.json'].post.responses['201'].content['application/json'].examples
    .create.value.subresource_uris;
};

const forSid = (uris: Record<string, string>, sid: string): Record<string, string> =>
  Object.fromEntries(
    Object.entries(uris).map(([k, v]) => [k, v.replace('ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', sid)]),
  );

const update = (sid: string, form: Record<string, string>, auth = mainAuth(emulator)) =>
  call<AccountBody & ErrorBody>(emulator, 'POST', accountPath(sid), { auth, form });

const fetchAs = (sid: string, auth = mainAuth(emulator)) =>
  call<AccountBody & ErrorBody>(emulator, 'GET', accountPath(sid), { auth });

describe('account properties', () => {
  it.skipIf(accountsOpenApiMissing !== undefined)(
    'creates a subaccount with every property of the reference',
    async () => {
      const clock = manualClock('2015-07-30T20:00:00Z');
      emulator = await startTwilioEmulator({ now: clock.now });
      const reply = await call<AccountBody>(emulator, 'POST', LIST, {
        auth: mainAuth(emulator),
        form: { FriendlyName: 'tenant-42' },
      });
      expect(reply.status).toBe(201);
      const account = reply.body;
      expect(account.sid).toMatch(/^AC[0-9a-f]{32}$/);
      expect(account.auth_token).toMatch(/^[0-9a-f]{32}$/);
      expect(account.auth_token).not.toBe(emulator.authToken);
      expect(account.friendly_name).toBe('tenant-42');
      expect(account.owner_account_sid).toBe(emulator.accountSid);
      expect(account.status).toBe('active');
      expect(account.type).toBe('Full');
      expect(account.date_created).toBe('Thu, 30 Jul 2015 20:00:00 +0000');
      expect(account.date_updated).toBe(account.date_created);
      expect(account.uri).toBe(`/2010-04-01/Accounts/${account.sid}.json`);
      const expected = forSid(exampleSubresources(), account.sid);
      expect(Object.keys(expected)).toHaveLength(20);
      expect(account.subresource_uris).toEqual(expected);
    },
  );

  it("gives the main account its own SID as owner, and subaccounts the main account's type", async () => {
    emulator = await startTwilioEmulator({ type: 'Trial' });
    const main = await fetchAs(emulator.accountSid);
    expect(main.status).toBe(200);
    expect(main.body.owner_account_sid).toBe(emulator.accountSid);
    expect(main.body.auth_token).toBe(emulator.authToken);
    expect(main.body.type).toBe('Trial');
    const sub = await createSubaccount(emulator, 'trial-sub');
    expect(sub.type).toBe('Trial');
  });

  it.each([
    ['2015-07-30T20:05:00Z', 'SubAccount Created at 2015-07-30 08:05 pm'],
    ['2021-01-02T00:30:00Z', 'SubAccount Created at 2021-01-02 12:30 am'],
    ['2021-01-02T12:00:00Z', 'SubAccount Created at 2021-01-02 12:00 pm'],
    ['2021-11-09T09:41:59Z', 'SubAccount Created at 2021-11-09 09:41 am'],
  ])('defaults FriendlyName from the creation time %s', async (iso, name) => {
    emulator = await startTwilioEmulator({ now: manualClock(iso).now });
    const account = await createSubaccount(emulator);
    expect(account.friendly_name).toBe(name);
  });
});

describe('fetch', () => {
  it('returns the stored account, and 404 20404 for an unknown SID', async () => {
    emulator = await startTwilioEmulator();
    const created = await createSubaccount(emulator, 'fetch-me');
    const fetched = await fetchAs(created.sid);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(created);

    const unknown = `AC${'0'.repeat(32)}`;
    const missing = await fetchAs(unknown);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      code: 20404,
      message: expect.stringContaining(unknown),
      more_info: 'https://www.twilio.com/docs/api/errors/20404',
      status: 404,
    });
  });
});

describe('update', () => {
  it('renames and moves date_updated but not date_created', async () => {
    const clock = manualClock('2020-01-01T10:00:00Z');
    emulator = await startTwilioEmulator({ now: clock.now });
    const created = await createSubaccount(emulator, 'before');
    clock.advance(65_000);
    const renamed = await update(created.sid, { FriendlyName: 'after' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.friendly_name).toBe('after');
    expect(renamed.body.date_created).toBe(created.date_created);
    expect(renamed.body.date_updated).toBe('Wed, 01 Jan 2020 10:01:05 +0000');
    expect((await fetchAs(created.sid)).body.friendly_name).toBe('after');
  });

  it('suspends, reactivates and closes; closed is irreversible (21479)', async () => {
    emulator = await startTwilioEmulator();
    const { sid } = await createSubaccount(emulator, 'lifecycle');
    expect((await update(sid, { Status: 'suspended' })).body.status).toBe('suspended');
    expect((await update(sid, { Status: 'active' })).body.status).toBe('active');
    expect((await update(sid, { Status: 'suspended' })).body.status).toBe('suspended');
    expect((await update(sid, { Status: 'closed' })).body.status).toBe('closed');
    expect((await update(sid, { Status: 'closed' })).status).toBe(200);

    for (const status of ['active', 'suspended']) {
      const refused = await update(sid, { Status: status, FriendlyName: 'reopened?' });
      expect(refused.status).toBe(400);
      expect(refused.body).toEqual({
        code: 21479,
        message: 'Unable to update Status for subaccount, subaccount has been closed',
        more_info: 'https://www.twilio.com/docs/api/errors/21479',
        status: 400,
      });
    }
    const after = await fetchAs(sid);
    expect(after.body.status).toBe('closed');
    expect(after.body.friendly_name).toBe('lifecycle');
  });

  it("refuses to change the main account's status", async () => {
    emulator = await startTwilioEmulator();
    const refused = await update(emulator.accountSid, { Status: 'closed' });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe(21100);
    expect((await fetchAs(emulator.accountSid)).body.status).toBe('active');
  });
});

describe('subaccount limit', () => {
  it('allows one open subaccount on a Trial account by default; closed ones do not count', async () => {
    emulator = await startTwilioEmulator({ type: 'Trial' });
    const first = await createSubaccount(emulator, 'one');
    const second = await call<ErrorBody>(emulator, 'POST', LIST, { auth: mainAuth(emulator) });
    expect(second.status).toBe(400);
    expect(second.body.code).toBe(21480);
    await update(first.sid, { Status: 'closed' });
    const third = await call(emulator, 'POST', LIST, { auth: mainAuth(emulator) });
    expect(third.status).toBe(201);
  });

  it('counts suspended subaccounts and honours the subaccountLimit option', async () => {
    emulator = await startTwilioEmulator({ subaccountLimit: 2 });
    await createSubaccount(emulator, 'a');
    const b = await createSubaccount(emulator, 'b');
    await update(b.sid, { Status: 'suspended' });
    const refused = await call<ErrorBody>(emulator, 'POST', LIST, { auth: mainAuth(emulator) });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe(21480);
    expect(emulator.accounts()).toHaveLength(3);
  });
});

describe('credentials', () => {
  it('lets a subaccount fetch, rename and list only itself', async () => {
    emulator = await startTwilioEmulator();
    const mine = await createSubaccount(emulator, 'mine');
    const sibling = await createSubaccount(emulator, 'sibling');
    const auth = [mine.sid, mine.auth_token] as const;

    expect((await fetchAs(mine.sid, auth)).status).toBe(200);
    const renamed = await update(mine.sid, { FriendlyName: 'mine-renamed' }, auth);
    expect(renamed.status).toBe(200);
    expect(renamed.body.friendly_name).toBe('mine-renamed');

    const listed = await call<PageBody>(emulator, 'GET', LIST, { auth });
    expect(listed.body.accounts.map((a) => a.sid)).toEqual([mine.sid]);

    const unknown = `AC${'f'.repeat(32)}`;
    for (const target of [sibling.sid, emulator.accountSid, unknown]) {
      const denied = await fetchAs(target, auth);
      expect(denied.status).toBe(403);
      expect(denied.body.code).toBe(21100);
      expect((await update(target, { FriendlyName: 'x' }, auth)).status).toBe(403);
    }
    expect((await fetchAs(sibling.sid)).body.friendly_name).toBe('sibling');
  });

  it('refuses subaccount credentials for create (21101) and for Status changes', async () => {
    emulator = await startTwilioEmulator();
    const mine = await createSubaccount(emulator, 'mine');
    const auth = [mine.sid, mine.auth_token] as const;
    const create = await call<ErrorBody>(emulator, 'POST', LIST, { auth, form: { FriendlyName: 'nested' } });
    expect(create.status).toBe(403);
    expect(create.body).toEqual({
      code: 21101,
      message: 'Subaccounts cannot contain subaccounts',
      more_info: 'https://www.twilio.com/docs/api/errors/21101',
      status: 403,
    });
    const close = await update(mine.sid, { Status: 'closed' }, auth);
    expect(close.status).toBe(403);
    expect(emulator.accounts()).toHaveLength(2);
    expect((await fetchAs(mine.sid)).body.status).toBe('active');
  });

  it('refuses a suspended subaccount with 10001 and stops authenticating a closed one', async () => {
    emulator = await startTwilioEmulator();
    const sub = await createSubaccount(emulator, 'sleepy');
    const auth = [sub.sid, sub.auth_token] as const;
    await update(sub.sid, { Status: 'suspended' });
    const suspended = await fetchAs(sub.sid, auth);
    expect(suspended.status).toBe(403);
    expect(suspended.body).toMatchObject({ code: 10001, message: 'Account is not active' });
    expect((await update(sub.sid, { FriendlyName: 'renamed' }, auth)).body.code).toBe(10001);
    await update(sub.sid, { Status: 'active' });
    expect((await fetchAs(sub.sid, auth)).status).toBe(200);
    await update(sub.sid, { Status: 'closed' });
    const closed = await fetchAs(sub.sid, auth);
    expect(closed.status).toBe(401);
    expect(closed.body.code).toBe(20003);
    expect((await fetchAs(sub.sid)).body.friendly_name).toBe('sleepy');
  });

  it('accepts a Main API key and rejects a wrong secret', async () => {
    emulator = await startTwilioEmulator();
    const key = emulator.createApiKey();
    expect(key.sid).toMatch(/^SK[0-9a-f]{32}$/);
    const created = await call<AccountBody>(emulator, 'POST', LIST, {
      auth: [key.sid, key.secret],
      form: { FriendlyName: 'via-key' },
    });
    expect(created.status).toBe(201);
    expect(created.body.owner_account_sid).toBe(emulator.accountSid);
    expect((await fetchAs(created.body.sid, [key.sid, emulator.authToken])).status).toBe(401);
    expect(emulator.issuedSecrets()).toContain(key.secret);
  });

  it('rotates the main token: the old one stops working', async () => {
    emulator = await startTwilioEmulator();
    const old = emulator.authToken;
    const fresh = emulator.rotateAuthToken();
    expect(fresh).not.toBe(old);
    expect(emulator.authToken).toBe(fresh);
    expect((await fetchAs(emulator.accountSid, [emulator.accountSid, old])).status).toBe(401);
    expect((await fetchAs(emulator.accountSid, [emulator.accountSid, fresh])).status).toBe(200);
    expect(emulator.issuedAuthTokens()).toEqual([old, fresh]);
  });
});

describe('inspection', () => {
  it('exposes every account and every token ever issued', async () => {
    emulator = await startTwilioEmulator();
    const a = await createSubaccount(emulator, 'a');
    const b = await createSubaccount(emulator, 'b');
    await update(b.sid, { Status: 'closed' });
    expect(emulator.issuedAuthTokens()).toEqual([emulator.authToken, a.auth_token, b.auth_token]);
    const accounts = emulator.accounts();
    expect(accounts.map((x) => x.sid)).toEqual([emulator.accountSid, a.sid, b.sid]);
    expect(accounts[2]?.status).toBe('closed');
    expect(accounts[1]).toEqual(a);
  });
});
