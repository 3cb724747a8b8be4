import { describe, expect, it } from 'vitest';
import { defaultFriendlyName, toRfc2822 } from '../../../local/twilio-emulator/format.ts';
import {
  startTwilioEmulator,
  TwilioEmulatorConfigError,
  type TwilioEmulatorOptions,
} from '../../../local/twilio-emulator/index.ts';
import { accountPath, call, createSubaccount, LIST, mainAuth } from './support.ts';

describe('formats', () => {
  it('writes RFC 2822 dates in GMT with a numeric offset', () => {
    expect(toRfc2822(new Date('2020-02-02T03:04:05Z'))).toBe('Sun, 02 Feb 2020 03:04:05 +0000');
    expect(Date.parse(toRfc2822(new Date('2015-07-30T20:00:00Z')))).toBe(Date.parse('2015-07-30T20:00:00Z'));
  });

  it('names subaccounts after their creation minute on a 12-hour clock', () => {
    expect(defaultFriendlyName(new Date('2015-07-30T23:59:59Z'))).toBe(
      'SubAccount Created at 2015-07-30 11:59 pm',
    );
    expect(defaultFriendlyName(new Date('2015-07-30T00:00:00Z'))).toBe(
      'SubAccount Created at 2015-07-30 12:00 am',
    );
  });
});

describe('options', () => {
  it.each<[string, TwilioEmulatorOptions]>([
    ['accountSid', { accountSid: 'AC-not-a-sid' }],
    ['authToken', { authToken: 'secret-but-malformed' }],
    ['port', { port: 70_000 }],
    ['port', { port: 1.5 }],
    ['type', { type: 'Premium' as 'Full' }],
    ['subaccountLimit', { subaccountLimit: -1 }],
    ['subaccountLimit', { subaccountLimit: 2.5 }],
    ['concurrencyLimit', { concurrencyLimit: 0 }],
    ['concurrencyLimit', { concurrencyLimit: 1.5 }],
    ['listLag', { listLag: { seconds: -1 } }],
    ['listLag', { listLag: { lookups: 0.5 } }],
    ['listLag', { listLag: {} as { lookups: number } }],
    ['mainAccountSuspended', { mainAccountSuspended: 'yes' as unknown as boolean }],
  ])('refuses an invalid %s, naming it without echoing its value', async (option, options) => {
    const error = await startTwilioEmulator(options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TwilioEmulatorConfigError);
    expect((error as TwilioEmulatorConfigError).message).toContain(option);
    expect((error as TwilioEmulatorConfigError).message).not.toContain('secret-but-malformed');
    expect((error as TwilioEmulatorConfigError).retryable).toBe(false);
  });

  it('uses the given main credentials', async () => {
    const accountSid = `AC${'12'.repeat(16)}`;
    const authToken = '34'.repeat(16);
    const emulator = await startTwilioEmulator({ accountSid, authToken });
    try {
      expect(emulator).toMatchObject({ accountSid, authToken });
      expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(
        (await call(emulator, 'GET', accountPath(accountSid), { auth: [accountSid, authToken] })).status,
      ).toBe(200);
    } finally {
      await emulator.close();
    }
  });

  it('honours a subaccountLimit of 0', async () => {
    const emulator = await startTwilioEmulator({ subaccountLimit: 0 });
    try {
      const refused = await call(emulator, 'POST', LIST, { auth: mainAuth(emulator) });
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe(21480);
      expect(emulator.accounts()).toHaveLength(1);
    } finally {
      await emulator.close();
    }
  });

  it('refuses invalid values at runtime as well, naming the setting', async () => {
    const emulator = await startTwilioEmulator();
    try {
      expect(() => emulator.setSubaccountLimit(-1)).toThrow(/subaccountLimit/);
      expect(() => emulator.setConcurrencyLimit(0)).toThrow(/concurrencyLimit/);
      expect(() => emulator.setListLag({ seconds: Number.NaN })).toThrow(/listLag/);
      expect(() => emulator.setSuspendedByTwilio(emulator.accountSid, true)).toThrow(
        TwilioEmulatorConfigError,
      );
      expect(() => emulator.setSuspendedByTwilio(`AC${'9'.repeat(32)}`, true)).toThrow(/sid/);
      expect(() => emulator.setAccountStatus(emulator.accountSid, 'gone' as 'closed')).toThrow(/status/);
    } finally {
      await emulator.close();
    }
  });

  it('logs one line per request and never a token', async () => {
    const lines: string[] = [];
    const emulator = await startTwilioEmulator({ log: (line) => lines.push(line) });
    try {
      const sub = await createSubaccount(emulator, 'logged');
      await call(emulator, 'GET', accountPath(sub.sid), { auth: [sub.sid, sub.auth_token] });
      await call(emulator, 'GET', LIST, { auth: [emulator.accountSid, sub.auth_token] });
      await call(emulator, 'GET', '/nowhere', { auth: mainAuth(emulator) });
      expect(lines).toHaveLength(4);
      expect(lines[0]).toContain('POST /2010-04-01/Accounts.json 201');
      for (const token of emulator.issuedAuthTokens()) {
        for (const line of lines) expect(line).not.toContain(token);
      }
    } finally {
      await emulator.close();
    }
  });
});
