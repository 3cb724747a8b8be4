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
