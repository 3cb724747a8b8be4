/** The Keys resource: create, list, fetch, update, delete, its paging, limits and inspection. */
import { afterEach, describe, expect, it } from 'vitest';
import {
  startTwilioEmulator,
  type TwilioEmulator,
  TwilioEmulatorConfigError,
} from '../../../local/twilio-emulator/index.ts';
import { twilioErrorBodyErrors } from '../../helpers/openapi.ts';
import {
  balancePath,
  call,
  createKey,
  createSubaccount,
  type ErrorBody,
  type KeyBody,
  type KeyPageBody,
  keyAuth,
  keyPath,
  keysPath,
  mainAuth,
  manualClock,
  type NewKeyBody,
  type Reply,
} from './support.ts';

let emulator: TwilioEmulator;
afterEach(() => emulator?.close());

const RFC_2822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/;

const asMain = (method: string, path: string, form?: Record<string, string>) =>
  call<KeyBody & NewKeyBody & KeyPageBody & ErrorBody>(emulator, method, path, {
    auth: mainAuth(emulator),
    form,
  });

const list = (accountSid: string, query = ''): Promise<Reply<KeyPageBody & ErrorBody>> =>
  call<KeyPageBody & ErrorBody>(emulator, 'GET', `${keysPath(accountSid)}${query}`, {
    auth: mainAuth(emulator),
  });

const followNext = async (first: KeyPageBody): Promise<KeyPageBody[]> => {
  const pages = [first];
  let page = first;
  while (page.next_page_uri !== null) {
    const reply = await call<KeyPageBody>(emulator, 'GET', page.next_page_uri, { auth: mainAuth(emulator) });
    expect(reply.status).toBe(200);
    page = reply.body;
    pages.push(page);
  }
  return pages;
};

const sids = (pages: KeyPageBody[]): string[] => pages.flatMap((p) => p.keys.map((k) => k.sid));

const expectError = (reply: { status: number; body: unknown }, status: number, code: number): void => {
  expect(reply.status).toBe(status);
  expect(twilioErrorBodyErrors(reply.body)).toEqual([]);
  expect(reply.body).toMatchObject({
    status,
    code,
    more_info: `https://www.twilio.com/docs/api/errors/${code}`,
  });
};

describe('create', () => {
  it('answers 201 with the key, its one-time secret and RFC 2822 dates', async () => {
    const clock = manualClock('2026-11-27T09:00:00Z');
    emulator = await startTwilioEmulator({ now: clock.now });
    const reply = await asMain('POST', keysPath(emulator.accountSid), { FriendlyName: 'provisioner' });
    expect(reply.status).toBe(201);
    expect(Object.keys(reply.body).sort()).toEqual([
      'date_created',
      'date_updated',
      'friendly_name',
      'secret',
      'sid',
    ]);
    expect(reply.body).toMatchObject({
      friendly_name: 'provisioner',
      date_created: 'Fri, 27 Nov 2026 09:00:00 +0000',
      date_updated: 'Fri, 27 Nov 2026 09:00:00 +0000',
    });
    expect(reply.body.sid).toMatch(/^SK[0-9a-f]{32}$/);
    expect(reply.body.secret).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(emulator.issuedSecrets()).toContain(reply.body.secret);
  });

  it('takes FriendlyName as optional (null when omitted or empty) and gives every key its own SID and secret', async () => {
    emulator = await startTwilioEmulator();
    const bare = await createKey(emulator);
    const empty = await createKey(emulator, emulator.accountSid, { friendlyName: '' });
    expect(bare.friendly_name).toBeNull();
    expect(empty.friendly_name).toBeNull();
    expect(bare.sid).not.toBe(empty.sid);
    expect(bare.secret).not.toBe(empty.secret);
  });

  it('accepts a FriendlyName of 64 characters and refuses 65 with 400, creating nothing', async () => {
    emulator = await startTwilioEmulator();
    const longest = 'é'.repeat(64);
    expect((await createKey(emulator, emulator.accountSid, { friendlyName: longest })).friendly_name).toBe(
      longest,
    );
    const refused = await asMain('POST', keysPath(emulator.accountSid), { FriendlyName: 'x'.repeat(65) });
    expectError(refused, 400, 21100);
    expect(emulator.keys()).toHaveLength(1);
  });

  it('creates a Standard key on a subaccount with the parent credentials', async () => {
    emulator = await startTwilioEmulator();
    const sub = await createSubaccount(emulator, 'tenant');
    const key = await createKey(emulator, sub.sid, { friendlyName: 'tenant key' });
    expect(emulator.keys(sub.sid)).toEqual([
      expect.objectContaining({ sid: key.sid, account_sid: sub.sid, type: 'Standard' }),
    ]);
    expect(emulator.keys(emulator.accountSid)).toEqual([]);
    const balance = await call(emulator, 'GET', balancePath(sub.sid), { auth: keyAuth(key) });
    expect(balance.status).toBe(200);
  });
});

describe('fetch, update, delete', () => {
  it('fetches without the secret, and never shows it again anywhere', async () => {
    emulator = await startTwilioEmulator();
    const key = await createKey(emulator, emulator.accountSid, { friendlyName: 'k' });
    const fetched = await asMain('GET', keyPath(emulator.accountSid, key.sid));
    expect(fetched.status).toBe(200);
    const { secret, ...withoutSecret } = key;
    expect(fetched.body).toEqual(withoutSecret);
    const listed = await list(emulator.accountSid);
    const updated = await asMain('POST', keyPath(emulator.accountSid, key.sid), { FriendlyName: 'k2' });
    for (const body of [fetched.body, listed.body, updated.body, emulator.keys()]) {
      expect(JSON.stringify(body)).not.toContain(secret);
    }
  });

  it('updates FriendlyName and date_updated only', async () => {
    const clock = manualClock('2026-11-27T09:00:00Z');
    emulator = await startTwilioEmulator({ now: clock.now });
    const key = await createKey(emulator, emulator.accountSid, { friendlyName: 'before' });
    clock.advance(90_000);
    const updated = await asMain('POST', keyPath(emulator.accountSid, key.sid), { FriendlyName: 'after' });
    expect(updated.status).toBe(200);
    expect(updated.body).toEqual({
      sid: key.sid,
      friendly_name: 'after',
      date_created: 'Fri, 27 Nov 2026 09:00:00 +0000',
      date_updated: 'Fri, 27 Nov 2026 09:01:30 +0000',
    });
    const untouched = await asMain('POST', keyPath(emulator.accountSid, key.sid));
    expect(untouched.body.friendly_name).toBe('after');
    expectError(
      await asMain('POST', keyPath(emulator.accountSid, key.sid), { FriendlyName: 'y'.repeat(65) }),
      400,
      21100,
    );
    expect(emulator.keys()[0]?.friendly_name).toBe('after');
    // The key still authenticates with the secret it was created with.
    expect(
      (await call(emulator, 'GET', balancePath(emulator.accountSid), { auth: keyAuth(key) })).status,
    ).toBe(200);
  });

  it('deletes with 204 and no body; the key stops working at once and is gone', async () => {
    emulator = await startTwilioEmulator();
    const key = await createKey(emulator);
    const keep = await createKey(emulator);
    const balance = () => call(emulator, 'GET', balancePath(emulator.accountSid), { auth: keyAuth(key) });
    expect((await balance()).status).toBe(200);

    const response = await fetch(`${emulator.url}${keyPath(emulator.accountSid, key.sid)}`, {
      method: 'DELETE',
      headers: {
        Authorization: `Basic ${Buffer.from(`${emulator.accountSid}:${emulator.authToken}`).toString('base64')}`,
      },
    });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(response.headers.get('content-type')).toBeNull();

    expectError(await balance(), 401, 20003);
    expectError(await asMain('GET', keyPath(emulator.accountSid, key.sid)), 404, 20404);
    expectError(await asMain('DELETE', keyPath(emulator.accountSid, key.sid)), 404, 20404);
    expect(sids([(await list(emulator.accountSid)).body])).toEqual([keep.sid]);
    expect(emulator.keys().map((k) => k.sid)).toEqual([keep.sid]);
    // Its secret stays among the issued ones, for leak checks.
    expect(emulator.issuedSecrets()).toContain(key.secret);
  });

  it('answers 404 / 20404 for an unknown, malformed or other account’s key SID', async () => {
    emulator = await startTwilioEmulator();
    const sub = await createSubaccount(emulator, 'tenant');
    const subKey = await createKey(emulator, sub.sid);
    const main = emulator.accountSid;
    const paths = [keyPath(main, `SK${'0'.repeat(32)}`), keyPath(main, 'SK123'), keyPath(main, subKey.sid)];
    for (const path of paths) {
      for (const method of ['GET', 'POST', 'DELETE']) {
        const reply = await asMain(method, path, method === 'POST' ? { FriendlyName: 'x' } : undefined);
        expectError(reply, 404, 20404);
        expect(reply.body.message).toBe(`The requested resource ${path} was not found`);
      }
    }
    expect(emulator.keys(sub.sid)).toHaveLength(1);
  });

  it('answers 405 / 20004 for other methods', async () => {
    emulator = await startTwilioEmulator();
    const key = await createKey(emulator);
    expectError(await asMain('DELETE', keysPath(emulator.accountSid)), 405, 20004);
    expectError(await asMain('PUT', keyPath(emulator.accountSid, key.sid)), 405, 20004);
    expectError(await asMain('POST', balancePath(emulator.accountSid)), 405, 20004);
  });
});

describe('list', () => {
  it('lists keys (Main keys too) in creation order with the documented paging defaults', async () => {
    emulator = await startTwilioEmulator();
    const empty = await list(emulator.accountSid);
    const base = `/2010-04-01/Accounts/${emulator.accountSid}/Keys.json?PageSize=50&Page=0`;
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({
      keys: [],
      first_page_uri: base,
      end: 0,
      previous_page_uri: null,
      uri: base,
      page_size: 50,
      start: 0,
      next_page_uri: null,
      page: 0,
    });
    const main = emulator.createMainKey({ friendlyName: 'console' });
    const a = await createKey(emulator);
    const b = await createKey(emulator);
    const reply = await list(emulator.accountSid);
    expect(sids([reply.body])).toEqual([main.sid, a.sid, b.sid]);
    expect(reply.body).toMatchObject({ start: 0, end: 2, next_page_uri: null, previous_page_uri: null });
    expect(reply.body.keys[0]).toEqual({
      sid: main.sid,
      friendly_name: 'console',
      date_created: expect.stringMatching(RFC_2822),
      date_updated: expect.stringMatching(RFC_2822),
    });
  });

  it('shows only the keys of the account in the path', async () => {
    emulator = await startTwilioEmulator();
    const sub = await createSubaccount(emulator, 'tenant');
    const mainKey = await createKey(emulator);
    const subKey = await createKey(emulator, sub.sid);
    expect(sids([(await list(emulator.accountSid)).body])).toEqual([mainKey.sid]);
    expect(sids([(await list(sub.sid)).body])).toEqual([subKey.sid]);
  });

  it('pages by PageSize with next and previous links, like the Accounts list', async () => {
    emulator = await startTwilioEmulator();
    const created: string[] = [];
    for (let i = 0; i < 5; i += 1) created.push((await createKey(emulator)).sid);
    const pages = await followNext((await list(emulator.accountSid, '?PageSize=2')).body);
    expect(pages.map((p) => p.keys.length)).toEqual([2, 2, 1]);
    expect(sids(pages)).toEqual(created);
    expect(pages.map((p) => [p.page, p.start, p.end])).toEqual([
      [0, 0, 1],
      [1, 2, 3],
      [2, 4, 4],
    ]);
    const base = `/2010-04-01/Accounts/${emulator.accountSid}/Keys.json`;
    for (const page of pages) expect(page.first_page_uri).toBe(`${base}?PageSize=2&Page=0`);
    expect(pages[1]?.uri).toBe(pages[0]?.next_page_uri);
    expect(pages[0]?.next_page_uri).toBe(`${base}?PageSize=2&Page=1&PageToken=PA${created[1]}`);
    const back = await call<KeyPageBody>(emulator, 'GET', pages[2]?.previous_page_uri as string, {
      auth: mainAuth(emulator),
    });
    expect(back.body.page).toBe(1);
    expect(sids([back.body])).toEqual(created.slice(2, 4));
    expect(sids([(await list(emulator.accountSid, '?PageSize=2&Page=1')).body])).toEqual(created.slice(2, 4));
  });

  it('neither skips nor repeats keys created or deleted between page fetches', async () => {
    emulator = await startTwilioEmulator();
    const created: string[] = [];
    for (let i = 0; i < 4; i += 1) created.push((await createKey(emulator)).sid);
    const first = (await list(emulator.accountSid, '?PageSize=2')).body;
    // The key the next PageToken names is deleted, another one is created.
    await asMain('DELETE', keyPath(emulator.accountSid, created[1] as string));
    const late = await createKey(emulator);
    const seen = sids(await followNext(first));
    expect(seen).toEqual([created[0], created[1], created[2], created[3], late.sid]);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it.each([
    ['?PageSize=1000', 200],
    ['?PageSize=0', 400],
    ['?PageSize=1001', 400],
    ['?PageSize=x', 400],
    ['?Page=-1', 400],
    ['?PageToken=nonsense', 400],
    [`?PageToken=PA${'SK'}${'1'.repeat(32)}`, 400],
    [`?PageToken=PA${'AC'}${'1'.repeat(32)}`, 400],
  ])('validates %s', async (query, status) => {
    emulator = await startTwilioEmulator();
    const reply = await list(emulator.accountSid, query);
    expect(reply.status).toBe(status);
    if (status === 400) expectError(reply, 400, 21100);
  });

  it("refuses a PageToken naming another account's key", async () => {
    emulator = await startTwilioEmulator();
    const sub = await createSubaccount(emulator, 'tenant');
    const subKey = await createKey(emulator, sub.sid);
    expectError(await list(emulator.accountSid, `?PageToken=PA${subKey.sid}`), 400, 21100);
  });
});

describe('the Keys and Balance of accounts that cannot have any', () => {
  it('answers 404 to the parent for an unknown, malformed or closed account, and creates nothing', async () => {
    emulator = await startTwilioEmulator();
    const sub = await createSubaccount(emulator, 'churned');
    const key = await createKey(emulator, sub.sid);
    await call(emulator, 'POST', `/2010-04-01/Accounts/${sub.sid}.json`, {
      auth: mainAuth(emulator),
      form: { Status: 'closed' },
    });
    for (const sid of [`AC${'0'.repeat(32)}`, 'AC123', sub.sid]) {
      expectError(await asMain('GET', keysPath(sid)), 404, 20404);
      expectError(await asMain('POST', keysPath(sid)), 404, 20404);
      expectError(await asMain('GET', balancePath(sid)), 404, 20404);
    }
    expectError(await asMain('DELETE', keyPath(sub.sid, key.sid)), 404, 20404);
    expect(emulator.keys().map((k) => k.sid)).toEqual([key.sid]);
  });
});

describe('inspection', () => {
  it('keys() lists live keys with account and type, never a secret', async () => {
    emulator = await startTwilioEmulator();
    const sub = await createSubaccount(emulator, 'tenant');
    const main = emulator.createMainKey();
    const standard = await createKey(emulator, sub.sid, { friendlyName: 'std' });
    const subMain = emulator.createMainKey({ accountSid: sub.sid, friendlyName: 'sub main' });
    expect(emulator.keys()).toEqual([
      {
        sid: main.sid,
        friendly_name: null,
        date_created: expect.stringMatching(RFC_2822),
        date_updated: expect.stringMatching(RFC_2822),
        account_sid: emulator.accountSid,
        type: 'Main',
      },
      expect.objectContaining({
        sid: standard.sid,
        friendly_name: 'std',
        account_sid: sub.sid,
        type: 'Standard',
      }),
      expect.objectContaining({
        sid: subMain.sid,
        friendly_name: 'sub main',
        account_sid: sub.sid,
        type: 'Main',
      }),
    ]);
    expect(emulator.keys(sub.sid).map((k) => k.sid)).toEqual([standard.sid, subMain.sid]);
    expect(emulator.keys(`AC${'0'.repeat(32)}`)).toEqual([]);
    const secrets = emulator.issuedSecrets();
    for (const secret of [main.secret, standard.secret, subMain.secret]) {
      expect(secrets).toContain(secret);
      expect(JSON.stringify(emulator.keys())).not.toContain(secret);
    }
    expect(secrets).toEqual(expect.arrayContaining([emulator.authToken, sub.auth_token]));
  });

  it('createMainKey() refuses unknown and closed accounts and long names, naming the option', async () => {
    emulator = await startTwilioEmulator();
    const sub = await createSubaccount(emulator, 'tenant');
    emulator.setAccountStatus(sub.sid, 'closed');
    for (const accountSid of [sub.sid, `AC${'0'.repeat(32)}`]) {
      expect(() => emulator.createMainKey({ accountSid })).toThrow(TwilioEmulatorConfigError);
      expect(() => emulator.createMainKey({ accountSid })).toThrow('accountSid');
    }
    expect(() => emulator.createMainKey({ friendlyName: 'z'.repeat(65) })).toThrow('friendlyName');
    expect(emulator.keys()).toEqual([]);
    // createApiKey() is the older name of createMainKey().
    const legacy = emulator.createApiKey();
    expect(emulator.keys()).toEqual([expect.objectContaining({ sid: legacy.sid, type: 'Main' })]);
  });

  it('counts the new routes in stats and the request log, and logs no secret', async () => {
    const lines: string[] = [];
    emulator = await startTwilioEmulator({ log: (line) => lines.push(line) });
    const key = await createKey(emulator, emulator.accountSid, { friendlyName: 'logged' });
    await list(emulator.accountSid);
    await asMain('GET', keyPath(emulator.accountSid, key.sid));
    await asMain('POST', keyPath(emulator.accountSid, key.sid), { FriendlyName: 'renamed' });
    await call(emulator, 'GET', balancePath(emulator.accountSid), { auth: keyAuth(key) });
    await call(emulator, 'GET', keysPath(emulator.accountSid), { auth: keyAuth(key) });
    await call(emulator, 'GET', balancePath(emulator.accountSid), { auth: [key.sid, 'wrong'] });
    await asMain('DELETE', keyPath(emulator.accountSid, key.sid));
    expect(emulator.stats().byRoute).toMatchObject({
      'key-create': 1,
      'key-list': 2,
      'key-fetch': 1,
      'key-update': 1,
      'key-delete': 1,
      balance: 2,
      create: 0,
    });
    expect(emulator.requestLog().map((e) => [e.route, e.method, e.status])).toEqual([
      ['key-create', 'POST', 201],
      ['key-list', 'GET', 200],
      ['key-fetch', 'GET', 200],
      ['key-update', 'POST', 200],
      ['balance', 'GET', 200],
      ['key-list', 'GET', 401],
      ['balance', 'GET', 401],
      ['key-delete', 'DELETE', 204],
    ]);
    expect(lines).toHaveLength(8);
    for (const secret of emulator.issuedSecrets()) {
      for (const line of lines) expect(line).not.toContain(secret);
    }
  });
});
