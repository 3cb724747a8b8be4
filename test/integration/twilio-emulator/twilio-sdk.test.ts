import twilio from 'twilio';
import type BaseRequestClient from 'twilio/lib/base/RequestClient.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwilioEmulator, type TwilioEmulator } from '../../../local/twilio-emulator/index.ts';
import { waitFor } from './support.ts';

/** The official helper's own HTTP client, sent to the emulator instead of api.twilio.com. */
class EmulatorRequestClient extends twilio.RequestClient {
  constructor(private readonly baseUrl: string) {
    super();
  }

  override request<TData>(opts: BaseRequestClient.RequestOptions<TData>) {
    return super.request<TData>({
      ...opts,
      uri: opts.uri.replace(/^https:\/\/api\.twilio\.com/, this.baseUrl),
    });
  }
}

let emulator: TwilioEmulator;
let client: twilio.Twilio;
beforeAll(async () => {
  emulator = await startTwilioEmulator();
  client = twilio(emulator.accountSid, emulator.authToken, {
    httpClient: new EmulatorRequestClient(emulator.url),
  });
});
afterAll(() => emulator.close());

describe('the official Twilio Node helper against the emulator', () => {
  it('creates and fetches a subaccount', async () => {
    const created = await client.api.v2010.accounts.create({ friendlyName: 'sdk tenant' });
    expect(created.sid).toMatch(/^AC[0-9a-f]{32}$/);
    expect(created.friendlyName).toBe('sdk tenant');
    expect(created.ownerAccountSid).toBe(emulator.accountSid);
    expect(created.status).toBe('active');
    expect(created.dateCreated).toBeInstanceOf(Date);
    expect(Number.isNaN(created.dateCreated.getTime())).toBe(false);
    expect(created.subresourceUris).toHaveProperty('calls', `/2010-04-01/Accounts/${created.sid}/Calls.json`);

    const fetched = await client.api.v2010.accounts(created.sid).fetch();
    expect(fetched.sid).toBe(created.sid);
    expect(fetched.authToken).toBe(created.authToken);
    expect(fetched.dateCreated.getTime()).toBe(created.dateCreated.getTime());
  });

  it('lists across pages with list() and each()', async () => {
    while (emulator.accounts().length < 5) await client.api.v2010.accounts.create();
    const expected = emulator.accounts().map((a) => a.sid);
    emulator.resetStats();

    const listed = await client.api.v2010.accounts.list({ pageSize: 2 });
    expect(listed.map((a) => a.sid)).toEqual(expected);
    expect(emulator.stats().byRoute.list).toBe(Math.ceil(expected.length / 2));

    const seen: string[] = [];
    await client.api.v2010.accounts.each({ pageSize: 2 }, (account) => {
      seen.push(account.sid);
    });
    expect(seen).toEqual(expected);

    const named = await client.api.v2010.accounts.list({ friendlyName: 'sdk tenant', status: 'active' });
    expect(named.map((a) => a.friendlyName)).toEqual(['sdk tenant']);
  });

  it('updates status and name, and surfaces refusals as RestException', async () => {
    const sub = await client.api.v2010.accounts.create({ friendlyName: 'to close' });
    const suspended = await client.api.v2010.accounts(sub.sid).update({ status: 'suspended' });
    expect(suspended.status).toBe('suspended');
    const renamed = await client.api.v2010
      .accounts(sub.sid)
      .update({ friendlyName: 'closing', status: 'closed' });
    expect(renamed).toMatchObject({ friendlyName: 'closing', status: 'closed' });

    const refusal = await client.api.v2010
      .accounts(sub.sid)
      .update({ status: 'active' })
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(twilio.RestException);
    expect(refusal).toMatchObject({
      status: 400,
      code: 21479,
      moreInfo: 'https://www.twilio.com/docs/api/errors/21479',
    });

    const missing = await client.api.v2010
      .accounts(`AC${'0'.repeat(32)}`)
      .fetch()
      .catch((error: unknown) => error);
    expect(missing).toMatchObject({
      status: 404,
      code: 20404,
      moreInfo: 'https://www.twilio.com/docs/api/errors/20404',
    });
  });
});

describe('Twilio codes surfaced by the official helper as RestException', () => {
  const refusalOf = (promise: Promise<unknown>): Promise<unknown> =>
    promise.then(
      () => {
        throw new Error('expected a refusal');
      },
      (error: unknown) => error,
    );

  const expectRestException = (error: unknown, status: number, code: number): void => {
    expect(error).toBeInstanceOf(twilio.RestException);
    expect(error).toMatchObject({
      status,
      code,
      moreInfo: `https://www.twilio.com/docs/api/errors/${code}`,
    });
  };

  const clientFor = (sid: string, token: string) =>
    twilio(sid, token, { httpClient: new EmulatorRequestClient(emulator.url) });

  it('21480 past the subaccount limit', async () => {
    emulator.setSubaccountLimit(0);
    try {
      expectRestException(await refusalOf(client.api.v2010.accounts.create()), 400, 21480);
    } finally {
      emulator.setSubaccountLimit(1000);
    }
  });

  it('21101 when a subaccount creates a subaccount', async () => {
    const sub = await client.api.v2010.accounts.create({ friendlyName: 'sdk parent?' });
    const asSub = clientFor(sub.sid, sub.authToken);
    expectRestException(await refusalOf(asSub.api.v2010.accounts.create()), 403, 21101);
  });

  it('21478 when reactivating a subaccount suspended by Twilio', async () => {
    const sub = await client.api.v2010.accounts.create({ friendlyName: 'sdk flagged' });
    emulator.setSuspendedByTwilio(sub.sid, true);
    const refusal = await refusalOf(client.api.v2010.accounts(sub.sid).update({ status: 'active' }));
    expectRestException(refusal, 400, 21478);
    emulator.setSuspendedByTwilio(sub.sid, false);
  });

  it('21476 for a status change and 10001 for other requests while the main account is suspended', async () => {
    const sub = await client.api.v2010.accounts.create({ friendlyName: 'sdk parent suspended' });
    emulator.setMainAccountSuspended(true);
    try {
      const update = client.api.v2010.accounts(sub.sid).update({ status: 'suspended' });
      expectRestException(await refusalOf(update), 400, 21476);
      expectRestException(await refusalOf(client.api.v2010.accounts(sub.sid).fetch()), 403, 10001);
      expectRestException(await refusalOf(client.api.v2010.accounts.list()), 403, 10001);
    } finally {
      emulator.setMainAccountSuspended(false);
    }
    expect((await client.api.v2010.accounts(sub.sid).fetch()).status).toBe('active');
  });

  it('20429 past the concurrency limit', async () => {
    emulator.setConcurrencyLimit(1);
    emulator.injectFault({ route: 'fetch', fault: { kind: 'latency', ms: 1_500 }, times: 1 });
    try {
      const held = client.api.v2010.accounts(emulator.accountSid).fetch();
      await waitFor(() => emulator.stats().faultsInjected.latency === 1);
      const refusal = await refusalOf(client.api.v2010.accounts(emulator.accountSid).fetch());
      expectRestException(refusal, 429, 20429);
      expect((await held).sid).toBe(emulator.accountSid);
    } finally {
      emulator.setConcurrencyLimit(undefined);
    }
  });
});

describe('Keys and Balance through the official Twilio Node helper', () => {
  const keyClient = (sid: string, secret: string, accountSid: string) =>
    twilio(sid, secret, { accountSid, httpClient: new EmulatorRequestClient(emulator.url) });

  it('creates, lists across pages, fetches, updates and removes keys of a subaccount', async () => {
    const sub = await client.api.v2010.accounts.create({ friendlyName: 'sdk keys tenant' });
    const created = [];
    for (const friendlyName of ['k1', 'k2', 'k3']) {
      created.push(await client.api.v2010.accounts(sub.sid).newKeys.create({ friendlyName }));
    }
    const first = created[0]!;
    expect(first.sid).toMatch(/^SK[0-9a-f]{32}$/);
    expect(first.secret).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(first.friendlyName).toBe('k1');
    expect(first.dateCreated).toBeInstanceOf(Date);
    expect(Number.isNaN(first.dateCreated.getTime())).toBe(false);

    emulator.resetStats();
    const listed = await client.api.v2010.accounts(sub.sid).keys.list({ pageSize: 2 });
    expect(listed.map((k) => k.sid)).toEqual(created.map((k) => k.sid));
    expect(emulator.stats().byRoute['key-list']).toBe(2);
    for (const secret of created.map((k) => k.secret)) {
      expect(JSON.stringify(listed.map((k) => k.toJSON()))).not.toContain(secret);
    }

    const fetched = await client.api.v2010.accounts(sub.sid).keys(first.sid).fetch();
    expect(fetched).toMatchObject({ sid: first.sid, friendlyName: 'k1' });
    const renamed = await client.api.v2010.accounts(sub.sid).keys(first.sid).update({ friendlyName: 'k1b' });
    expect(renamed.friendlyName).toBe('k1b');
    expect(await client.api.v2010.accounts(sub.sid).keys(first.sid).remove()).toBe(true);
    expect(emulator.keys(sub.sid).map((k) => k.sid)).toEqual(created.slice(1).map((k) => k.sid));
  });

  it('authenticates with a Standard key: Balance works, Accounts and Keys are 401 / 20003', async () => {
    const sub = await client.api.v2010.accounts.create({ friendlyName: 'sdk standard key' });
    const key = await client.api.v2010.accounts(sub.sid).newKeys.create({ friendlyName: 'service' });
    const asKey = keyClient(key.sid, key.secret, sub.sid);
    const balance = await asKey.api.v2010.accounts(sub.sid).balance.fetch();
    expect(balance).toMatchObject({ accountSid: sub.sid, balance: '20.00', currency: 'USD' });
    for (const refused of [
      asKey.api.v2010.accounts(sub.sid).fetch(),
      asKey.api.v2010.accounts.list(),
      asKey.api.v2010.accounts(sub.sid).keys.list(),
      asKey.api.v2010.accounts(sub.sid).newKeys.create(),
    ]) {
      const error = await refused.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(twilio.RestException);
      expect(error).toMatchObject({ status: 401, code: 20003 });
    }
    await client.api.v2010.accounts(sub.sid).keys(key.sid).remove();
    const afterDelete = await asKey.api.v2010
      .accounts(sub.sid)
      .balance.fetch()
      .catch((e: unknown) => e);
    expect(afterDelete).toMatchObject({ status: 401, code: 20003 });
  });

  it('authenticates with a Main key, which may create subaccounts and their keys', async () => {
    const main = emulator.createMainKey();
    const asMain = keyClient(main.sid, main.secret, emulator.accountSid);
    const sub = await asMain.api.v2010.accounts.create({ friendlyName: 'sdk main key' });
    const key = await asMain.api.v2010.accounts(sub.sid).newKeys.create();
    expect(key.friendlyName).toBeNull();
    expect((await asMain.api.v2010.accounts(sub.sid).balance.fetch()).accountSid).toBe(sub.sid);
    expect((await asMain.api.v2010.accounts(sub.sid).keys.list()).map((k) => k.sid)).toEqual([key.sid]);
  });
});
