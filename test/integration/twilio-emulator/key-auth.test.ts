/**
 * Authentication with API keys: a key proves its own account only; a Standard key may use every
 * resource of it but Accounts and Keys (401 / 20003), a Main key all of them; the main account's
 * token and Main keys also manage the keys of its subaccounts. Keys of a closed account, and
 * deleted keys, stop working; a suspended account's keys are refused as its token is (10001).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTwilioEmulator, type TwilioEmulator } from '../../../local/twilio-emulator/index.ts';
import { twilioErrorBodyErrors } from '../../helpers/openapi.ts';
import {
  type AccountBody,
  accountPath,
  balancePath,
  call,
  createKey,
  createSubaccount,
  keyAuth,
  keyPath,
  keysPath,
  LIST,
  mainAuth,
  waitFor,
} from './support.ts';

let emulator: TwilioEmulator;
afterEach(() => emulator?.close());

type Auth = readonly [string, string];

const request = (method: string, path: string, auth: Auth, form?: Record<string, string>) =>
  call(emulator, method, path, { auth, form });

const expectError = (reply: { status: number; body: unknown }, status: number, code: number): void => {
  expect(reply.status).toBe(status);
  expect(twilioErrorBodyErrors(reply.body)).toEqual([]);
  expect(reply.body).toMatchObject({ status, code });
};

const expect401 = (reply: { status: number; headers: Headers; body: unknown }): void => {
  expectError(reply, 401, 20003);
  expect(reply.headers.get('www-authenticate')).toBe('Basic realm="Twilio API"');
};

/** Every request of the Accounts and Keys resources on `accountSid`. */
const accountsAndKeysRequests = (accountSid: string, someKeySid: string) => [
  ['GET', LIST],
  ['POST', LIST],
  ['GET', accountPath(accountSid)],
  ['POST', accountPath(accountSid)],
  ['GET', keysPath(accountSid)],
  ['POST', keysPath(accountSid)],
  ['GET', keyPath(accountSid, someKeySid)],
  ['POST', keyPath(accountSid, someKeySid)],
  ['DELETE', keyPath(accountSid, someKeySid)],
];

describe('a Standard key', () => {
  it('reads its own Balance, and is refused 401 / 20003 on every Accounts and Keys request, changing nothing', async () => {
    emulator = await startTwilioEmulator();
    const key = await createKey(emulator, emulator.accountSid, { friendlyName: 'standard' });
    const balance = await request('GET', balancePath(emulator.accountSid), keyAuth(key));
    expect(balance.status).toBe(200);
    expect(balance.body).toMatchObject({ account_sid: emulator.accountSid });

    for (const [method, path] of accountsAndKeysRequests(emulator.accountSid, key.sid)) {
      const form = method === 'POST' ? { FriendlyName: 'by standard key' } : undefined;
      expect401(await request(method as string, path as string, keyAuth(key), form));
    }
    expect(emulator.accounts()).toHaveLength(1);
    expect(emulator.keys()).toEqual([expect.objectContaining({ sid: key.sid, friendly_name: 'standard' })]);
    expect(emulator.accounts()[0]?.friendly_name).not.toBe('by standard key');
  });

  it("of a subaccount acts for it only: the main account's, a sibling's or an unknown Balance is 401", async () => {
    emulator = await startTwilioEmulator();
    const sub = await createSubaccount(emulator, 'tenant');
    const sibling = await createSubaccount(emulator, 'sibling');
    const key = await createKey(emulator, sub.sid);
    expect((await request('GET', balancePath(sub.sid), keyAuth(key))).body).toMatchObject({
      account_sid: sub.sid,
    });
    for (const sid of [emulator.accountSid, sibling.sid, `AC${'0'.repeat(32)}`, 'AC123']) {
      expect401(await request('GET', balancePath(sid), keyAuth(key)));
    }
  });

  it("of the main account does not reach its subaccounts' Balance", async () => {
    emulator = await startTwilioEmulator();
    const sub = await createSubaccount(emulator, 'tenant');
    const key = await createKey(emulator);
    expect401(await request('GET', balancePath(sub.sid), keyAuth(key)));
  });

  it('does not authenticate with a wrong secret, as the username of an Account SID, or once deleted', async () => {
    emulator = await startTwilioEmulator();
    const key = await createKey(emulator);
    const path = balancePath(emulator.accountSid);
    expect401(await request('GET', path, [key.sid, `${key.secret}x`]));
    expect401(await request('GET', path, [key.sid, emulator.authToken]));
    expect401(await request('GET', path, [emulator.accountSid, key.secret]));
    expect401(await request('GET', path, [`SK${'0'.repeat(32)}`, key.secret]));
    expect((await request('DELETE', keyPath(emulator.accountSid, key.sid), mainAuth(emulator))).status).toBe(
      204,
    );
    expect401(await request('GET', path, keyAuth(key)));
  });
});

describe('a Main key', () => {
  it('of the main account manages subaccounts, their keys and their Balance', async () => {
    emulator = await startTwilioEmulator();
    const main = keyAuth(emulator.createMainKey());
    const created = await request('POST', LIST, main, { FriendlyName: 'via main key' });
    expect(created.status).toBe(201);
    const sub = created.body as unknown as AccountBody;
    const subKey = await createKey(emulator, sub.sid, { auth: main, friendlyName: 'tenant key' });
    expect(emulator.keys(sub.sid)).toEqual([expect.objectContaining({ sid: subKey.sid, type: 'Standard' })]);
    expect((await request('GET', keysPath(sub.sid), main)).body).toMatchObject({
      keys: [{ sid: subKey.sid }],
    });
    expect((await request('GET', balancePath(sub.sid), main)).body).toMatchObject({ account_sid: sub.sid });
    const renamed = await request('POST', keyPath(sub.sid, subKey.sid), main, { FriendlyName: 'renamed' });
    expect(renamed.body).toMatchObject({ friendly_name: 'renamed' });
    expect((await request('DELETE', keyPath(sub.sid, subKey.sid), main)).status).toBe(204);
    expect((await request('GET', keysPath(emulator.accountSid), main)).status).toBe(200);
    expect((await request('GET', accountPath(sub.sid), main)).status).toBe(200);
  });

  it("of a subaccount has the subaccount's rights: its own keys, not its siblings' nor new subaccounts", async () => {
    emulator = await startTwilioEmulator();
    const sub = await createSubaccount(emulator, 'tenant');
    const sibling = await createSubaccount(emulator, 'sibling');
    const subMain = keyAuth(emulator.createMainKey({ accountSid: sub.sid }));
    expect((await request('POST', keysPath(sub.sid), subMain)).status).toBe(201);
    expect((await request('GET', accountPath(sub.sid), subMain)).status).toBe(200);
    expect401(await request('GET', keysPath(sibling.sid), subMain));
    expect401(await request('GET', keysPath(emulator.accountSid), subMain));
    expectError(await request('POST', LIST, subMain), 403, 21101);
    expectError(await request('GET', accountPath(sibling.sid), subMain), 403, 21100);
  });
});

describe('auth tokens and keys', () => {
  it("a subaccount's token manages its own keys, not the main account's or a sibling's (401)", async () => {
    emulator = await startTwilioEmulator();
    const sub = await createSubaccount(emulator, 'tenant');
    const sibling = await createSubaccount(emulator, 'sibling');
    const own: Auth = [sub.sid, sub.auth_token];
    const key = await createKey(emulator, sub.sid, { auth: own });
    expect((await request('GET', keyPath(sub.sid, key.sid), own)).status).toBe(200);
    for (const sid of [emulator.accountSid, sibling.sid, `AC${'0'.repeat(32)}`]) {
      expect401(await request('GET', keysPath(sid), own));
      expect401(await request('POST', keysPath(sid), own));
      expect401(await request('GET', balancePath(sid), own));
    }
    expect(emulator.keys().map((k) => k.account_sid)).toEqual([sub.sid]);
  });

  it("a Main key of subaccount A may not delete subaccount B's keys (401); on A's path B's key is 404", async () => {
    emulator = await startTwilioEmulator();
    const a = await createSubaccount(emulator, 'a');
    const b = await createSubaccount(emulator, 'b');
    const aMain = keyAuth(emulator.createMainKey({ accountSid: a.sid }));
    const bKey = await createKey(emulator, b.sid);
    expect401(await request('DELETE', keyPath(b.sid, bKey.sid), aMain));
    expect(emulator.keys(b.sid)).toHaveLength(1);
    // On its own account, another account's key SID is simply not there.
    expectError(await request('DELETE', keyPath(a.sid, bKey.sid), aMain), 404, 20404);
  });
});

describe('account standing', () => {
  it("a closed account's keys stop working (401), Main and Standard alike", async () => {
    emulator = await startTwilioEmulator();
    const sub = await createSubaccount(emulator, 'churned');
    const standard = await createKey(emulator, sub.sid);
    const main = emulator.createMainKey({ accountSid: sub.sid });
    expect((await request('GET', balancePath(sub.sid), keyAuth(standard))).status).toBe(200);
    await request('POST', accountPath(sub.sid), mainAuth(emulator), { Status: 'closed' });
    expect401(await request('GET', balancePath(sub.sid), keyAuth(standard)));
    expect401(await request('GET', keysPath(sub.sid), keyAuth(main)));
    expect401(await request('GET', balancePath(sub.sid), [sub.sid, sub.auth_token]));
  });

  it("a suspended subaccount's keys are refused 403 / 10001 as its token is, and work again once reactivated", async () => {
    emulator = await startTwilioEmulator();
    const sub = await createSubaccount(emulator, 'late payer');
    const standard = await createKey(emulator, sub.sid);
    const main = keyAuth(emulator.createMainKey({ accountSid: sub.sid }));
    await request('POST', accountPath(sub.sid), mainAuth(emulator), { Status: 'suspended' });
    expectError(await request('GET', balancePath(sub.sid), keyAuth(standard)), 403, 10001);
    expectError(await request('GET', keysPath(sub.sid), main), 403, 10001);
    expectError(await request('GET', balancePath(sub.sid), [sub.sid, sub.auth_token]), 403, 10001);
    // A Standard key is refused the Keys resource before its account's standing is looked at.
    expect401(await request('GET', keysPath(sub.sid), keyAuth(standard)));
    // The parent, in good standing, still manages the suspended subaccount's keys.
    expect((await request('GET', keysPath(sub.sid), mainAuth(emulator))).status).toBe(200);
    expect((await request('GET', balancePath(sub.sid), mainAuth(emulator))).status).toBe(200);
    await request('POST', accountPath(sub.sid), mainAuth(emulator), { Status: 'active' });
    expect((await request('GET', balancePath(sub.sid), keyAuth(standard))).status).toBe(200);
  });

  it('a suspended main account: its keys and its subaccounts’ keys answer 403 / 10001', async () => {
    emulator = await startTwilioEmulator();
    const sub = await createSubaccount(emulator, 'tenant');
    const mainStandard = await createKey(emulator);
    const subStandard = await createKey(emulator, sub.sid);
    const mainMain = keyAuth(emulator.createMainKey());
    emulator.setMainAccountSuspended(true);
    try {
      expectError(await request('GET', balancePath(emulator.accountSid), keyAuth(mainStandard)), 403, 10001);
      expectError(await request('GET', balancePath(sub.sid), keyAuth(subStandard)), 403, 10001);
      expectError(await request('POST', keysPath(sub.sid), mainMain), 403, 10001);
      expectError(await request('GET', keysPath(sub.sid), mainAuth(emulator)), 403, 10001);
      expect(emulator.keys()).toHaveLength(3);
    } finally {
      emulator.setMainAccountSuspended(false);
    }
    expect((await request('GET', balancePath(sub.sid), keyAuth(subStandard))).status).toBe(200);
  });
});

describe('concurrency limit', () => {
  it('counts a key for its own account', async () => {
    emulator = await startTwilioEmulator({ concurrencyLimit: 1 });
    const sub = await createSubaccount(emulator, 'own budget');
    const subKey = await createKey(emulator, sub.sid);
    const mainKey = await createKey(emulator);
    emulator.injectFault({ route: 'balance', fault: { kind: 'latency', ms: 1_000 }, times: 1 });
    const held = request('GET', balancePath(emulator.accountSid), mainAuth(emulator));
    await waitFor(() => emulator.stats().faultsInjected.latency === 1);
    expect((await request('GET', balancePath(sub.sid), keyAuth(subKey))).status).toBe(200);
    expectError(await request('GET', balancePath(emulator.accountSid), keyAuth(mainKey)), 429, 20429);
    expect((await held).status).toBe(200);
  });
});
