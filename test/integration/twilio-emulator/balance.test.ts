/** The Balance resource: who may read it, and what it answers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwilioEmulator, type TwilioEmulator } from '../../../local/twilio-emulator/index.ts';
import { twilioErrorBodyErrors } from '../../helpers/openapi.ts';
import {
  type AccountBody,
  type BalanceBody,
  balancePath,
  call,
  createKey,
  createSubaccount,
  keyAuth,
  mainAuth,
  type NewKeyBody,
} from './support.ts';

let emulator: TwilioEmulator;
let sub: AccountBody;
let subKey: NewKeyBody;
beforeAll(async () => {
  emulator = await startTwilioEmulator();
  sub = await createSubaccount(emulator, 'tenant');
  subKey = await createKey(emulator, sub.sid);
});
afterAll(() => emulator.close());

const balance = (sid: string, auth: readonly [string, string]) =>
  call<BalanceBody>(emulator, 'GET', balancePath(sid), { auth });

describe('GET Accounts/{AccountSid}/Balance.json', () => {
  it('answers account_sid, balance and currency, and nothing else', async () => {
    const reply = await balance(emulator.accountSid, mainAuth(emulator));
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    expect(reply.body).toEqual({ account_sid: emulator.accountSid, balance: '20.00', currency: 'USD' });
  });

  it('is readable by the account token, a Standard key, a Main key, and the parent for a subaccount', async () => {
    const subMain = emulator.createMainKey({ accountSid: sub.sid });
    const parentMain = emulator.createMainKey();
    const readers: Array<readonly [string, string]> = [
      [sub.sid, sub.auth_token],
      keyAuth(subKey),
      keyAuth(subMain),
      mainAuth(emulator),
      keyAuth(parentMain),
    ];
    for (const auth of readers) {
      const reply = await balance(sub.sid, auth);
      expect(reply.status).toBe(200);
      // A subaccount draws on its main account's funds.
      expect(reply.body).toEqual({ account_sid: sub.sid, balance: '20.00', currency: 'USD' });
    }
  });

  it('answers 404 / 20404 to the main account for an unknown account', async () => {
    const unknown = `AC${'0'.repeat(32)}`;
    const reply = await balance(unknown, mainAuth(emulator));
    expect(reply.status).toBe(404);
    expect(twilioErrorBodyErrors(reply.body)).toEqual([]);
    expect(reply.body).toMatchObject({
      code: 20404,
      message: `The requested resource ${balancePath(unknown)} was not found`,
    });
  });

  it('answers 401 / 20003 without credentials', async () => {
    const reply = await call(emulator, 'GET', balancePath(emulator.accountSid));
    expect(reply.status).toBe(401);
    expect(reply.body).toMatchObject({ code: 20003 });
  });
});
