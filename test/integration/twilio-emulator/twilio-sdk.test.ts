import twilio from 'twilio';
import type BaseRequestClient from 'twilio/lib/base/RequestClient.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwilioEmulator, type TwilioEmulator } from '../../../local/twilio-emulator/index.ts';

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
    expect(refusal).toMatchObject({ status: 400, code: 21100 });

    const missing = await client.api.v2010
      .accounts(`AC${'0'.repeat(32)}`)
      .fetch()
      .catch((error: unknown) => error);
    expect(missing).toMatchObject({
      status: 404,
      code: 20404,
      moreInfo: 'https://www.twilio.com/docs/errors/20404',
    });
  });
});
