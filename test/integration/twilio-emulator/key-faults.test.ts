/** Fault rules on the Keys and Balance routes: a lost key-create answer, resets, throttling, latency. */
import { afterEach, describe, expect, it } from 'vitest';
import {
  startTwilioEmulator,
  type TwilioEmulator,
  TwilioEmulatorConfigError,
  type TwilioRoute,
} from '../../../local/twilio-emulator/index.ts';
import { balancePath, call, createKey, keyAuth, keyPath, keysPath, mainAuth, waitFor } from './support.ts';

let emulator: TwilioEmulator;
afterEach(() => emulator?.close());

/** fetch() rejects when the connection ends without an answer. */
const outcome = async (method: string, path: string, form?: Record<string, string>) => {
  try {
    return (await call(emulator, method, path, { auth: mainAuth(emulator), form })).status;
  } catch {
    return 'reset' as const;
  }
};

describe('faults on the Keys and Balance routes', () => {
  it('reset-after on key-create: the key exists but its secret was never answered', async () => {
    emulator = await startTwilioEmulator();
    emulator.injectFault({ route: 'key-create', fault: { kind: 'reset-after' }, times: 1 });
    expect(await outcome('POST', keysPath(emulator.accountSid), { FriendlyName: 'lost' })).toBe('reset');
    const [lost] = emulator.keys();
    expect(lost).toMatchObject({ friendly_name: 'lost', type: 'Standard', account_sid: emulator.accountSid });
    // Listed without its secret; the secret is still among the issued ones, for leak checks.
    const listed = await call<{ keys: { sid: string }[] }>(emulator, 'GET', keysPath(emulator.accountSid), {
      auth: mainAuth(emulator),
    });
    expect(listed.body.keys.map((k) => k.sid)).toEqual([lost?.sid]);
    const tokens = emulator.issuedAuthTokens();
    expect(emulator.issuedSecrets().filter((s) => !tokens.includes(s))).toHaveLength(1);
    expect(emulator.requestLog()).toEqual([
      expect.objectContaining({ route: 'key-create', status: 'reset', fault: 'reset-after' }),
      expect.objectContaining({ route: 'key-list', status: 200 }),
    ]);
    // The next create is answered, with a new key.
    expect((await createKey(emulator)).sid).not.toBe(lost?.sid);
  });

  it('reset-before on key-create and key-delete: nothing is applied', async () => {
    emulator = await startTwilioEmulator();
    const key = await createKey(emulator);
    emulator.injectFault({ route: 'key-create', fault: { kind: 'reset-before' }, times: 1 });
    emulator.injectFault({ route: 'key-delete', fault: { kind: 'reset-before' }, times: 1 });
    expect(await outcome('POST', keysPath(emulator.accountSid))).toBe('reset');
    expect(await outcome('DELETE', keyPath(emulator.accountSid, key.sid))).toBe('reset');
    expect(emulator.keys().map((k) => k.sid)).toEqual([key.sid]);
    expect(await outcome('DELETE', keyPath(emulator.accountSid, key.sid))).toBe(204);
    expect(emulator.keys()).toEqual([]);
  });

  it('reset-after on key-delete: the key is gone though the caller never heard', async () => {
    emulator = await startTwilioEmulator();
    const key = await createKey(emulator);
    emulator.injectFault({ route: 'key-delete', fault: { kind: 'reset-after' }, times: 1 });
    expect(await outcome('DELETE', keyPath(emulator.accountSid, key.sid))).toBe('reset');
    expect(emulator.keys()).toEqual([]);
    // The retry finds nothing to delete.
    expect(await outcome('DELETE', keyPath(emulator.accountSid, key.sid))).toBe(404);
  });

  it('rate-limit and server-error on balance, key-fetch, key-update and key-list', async () => {
    emulator = await startTwilioEmulator();
    const key = await createKey(emulator);
    emulator.injectFault({ route: 'balance', fault: { kind: 'rate-limit', retryAfterSeconds: 3 }, times: 1 });
    const throttled = await call(emulator, 'GET', balancePath(emulator.accountSid), { auth: keyAuth(key) });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('3');
    expect(throttled.body).toMatchObject({ code: 20429 });
    const cases: Array<[TwilioRoute, string, string]> = [
      ['key-fetch', 'GET', keyPath(emulator.accountSid, key.sid)],
      ['key-update', 'POST', keyPath(emulator.accountSid, key.sid)],
      ['key-list', 'GET', keysPath(emulator.accountSid)],
    ];
    for (const [route, method, path] of cases) {
      emulator.injectFault({ route, fault: { kind: 'server-error', status: 503 }, times: 1 });
      expect(await outcome(method, path, method === 'POST' ? { FriendlyName: 'never' } : undefined)).toBe(
        503,
      );
      expect(await outcome(method, path)).toBe(200);
    }
    expect(emulator.keys()[0]?.friendly_name).toBeNull();
    expect(emulator.stats().faultsInjected).toEqual({ 'rate-limit': 1, 'server-error': 3 });
  });

  it('applies a rule only to its route, and * to the new routes too', async () => {
    emulator = await startTwilioEmulator();
    const key = await createKey(emulator);
    emulator.injectFault({ route: 'key-fetch', fault: { kind: 'server-error', status: 500 } });
    expect(await outcome('GET', balancePath(emulator.accountSid))).toBe(200);
    expect(await outcome('GET', keysPath(emulator.accountSid))).toBe(200);
    expect(await outcome('GET', keyPath(emulator.accountSid, key.sid))).toBe(500);
    emulator.clearFaults();
    emulator.injectFault({ route: '*', fault: { kind: 'server-error', status: 500 } });
    for (const [method, path] of [
      ['GET', balancePath(emulator.accountSid)],
      ['POST', keysPath(emulator.accountSid)],
      ['DELETE', keyPath(emulator.accountSid, key.sid)],
    ] as const) {
      expect(await outcome(method, path)).toBe(500);
    }
    expect(emulator.keys()).toHaveLength(1);
  });

  it('latency holds a key-create, which is not applied if the caller leaves meanwhile', async () => {
    emulator = await startTwilioEmulator();
    emulator.injectFault({ route: 'key-create', fault: { kind: 'latency', ms: 60_000 } });
    const controller = new AbortController();
    const pending = fetch(`${emulator.url}${keysPath(emulator.accountSid)}`, {
      method: 'POST',
      signal: controller.signal,
      headers: {
        Authorization: `Basic ${Buffer.from(`${emulator.accountSid}:${emulator.authToken}`).toString('base64')}`,
      },
    }).catch(() => 'aborted');
    await waitFor(() => emulator.stats().faultsInjected.latency === 1);
    controller.abort();
    expect(await pending).toBe('aborted');
    await waitFor(() => emulator.requestLog().length === 1);
    expect(emulator.requestLog()[0]).toMatchObject({
      route: 'key-create',
      status: 'reset',
      fault: 'latency',
    });
    expect(emulator.keys()).toEqual([]);
  });

  it('refuses a rule for a route that does not exist, listing the new ones', async () => {
    emulator = await startTwilioEmulator();
    const rule = { route: 'key-rotate' as TwilioRoute, fault: { kind: 'reset-after' as const } };
    expect(() => emulator.injectFault(rule)).toThrow(TwilioEmulatorConfigError);
    expect(() => emulator.injectFault(rule)).toThrow(/key-create.*key-delete, balance/);
  });
});
