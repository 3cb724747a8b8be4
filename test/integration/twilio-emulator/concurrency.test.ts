/**
 * The concurrency-limit fault: more requests in flight than the limit, per authenticating
 * account, and the one too many is answered 429 / 20429 with Retry-After, never applied.
 * Requests are held in flight by latency rules, and the test waits until they are.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTwilioEmulator, type TwilioEmulator } from '../../../local/twilio-emulator/index.ts';
import { twilioErrorBodyErrors } from '../../helpers/openapi.ts';
import { accountPath, call, createSubaccount, type ErrorBody, LIST, mainAuth, waitFor } from './support.ts';

let emulator: TwilioEmulator;
afterEach(() => emulator?.close());

const create = (friendlyName: string, auth = mainAuth(emulator)) =>
  call<ErrorBody>(emulator, 'POST', LIST, { auth, form: { FriendlyName: friendlyName } });

const fetchAs = (sid: string, auth: readonly [string, string]) =>
  call<ErrorBody>(emulator, 'GET', accountPath(sid), { auth });

/** Long enough for the other requests of a test to be answered meanwhile, even on a loaded machine. */
const HOLD_MS = 1_500;

const holdNext = (route: 'create' | 'fetch' | '*', count: number, ms = HOLD_MS): void =>
  emulator.injectFault({ route, fault: { kind: 'latency', ms }, times: count });

const heldCount = (): number => emulator.stats().faultsInjected.latency ?? 0;

describe('concurrency limit', () => {
  it('answers the request past the limit with 429 / 20429 and Retry-After, and does not apply it', async () => {
    emulator = await startTwilioEmulator({ concurrencyLimit: 2 });
    holdNext('create', 2);
    const held = [create('first'), create('second')];
    await waitFor(() => heldCount() === 2);
    emulator.injectFault({ route: 'create', fault: { kind: 'server-error', status: 503 }, times: 1 });

    const third = await create('third');
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('1');
    expect(twilioErrorBodyErrors(third.body)).toEqual([]);
    expect(third.body).toEqual({
      code: 20429,
      message: 'Too Many Requests',
      more_info: 'https://www.twilio.com/docs/api/errors/20429',
      status: 429,
    });
    // Answered before any other fault rule is consulted: it spent none of their `times`.
    expect(emulator.stats().faultsInjected['server-error']).toBeUndefined();

    expect((await Promise.all(held)).map((reply) => reply.status)).toEqual([201, 201]);
    expect(emulator.accounts().map((a) => a.friendly_name)).toEqual([
      'My first Twilio account',
      'first',
      'second',
    ]);
    expect(emulator.stats().faultsInjected['concurrency-limit']).toBe(1);
    expect(emulator.requestLog().find((entry) => entry.status === 429)).toMatchObject({
      route: 'create',
      fault: 'concurrency-limit',
    });
    // The slots are free again once the held requests were answered; the 503 rule is still there.
    expect((await create('third')).status).toBe(503);
    expect((await create('third')).status).toBe(201);
  });

  it('counts per authenticating account: an API key counts for its account, a subaccount for itself', async () => {
    emulator = await startTwilioEmulator({ concurrencyLimit: 1 });
    const sub = await createSubaccount(emulator, 'own budget');
    const key = emulator.createApiKey();
    holdNext('fetch', 1);
    const held = fetchAs(emulator.accountSid, mainAuth(emulator));
    await waitFor(() => heldCount() === 1);

    expect((await fetchAs(sub.sid, [sub.sid, sub.auth_token])).status).toBe(200);
    expect((await fetchAs(emulator.accountSid, [key.sid, key.secret])).status).toBe(429);
    // Credentials that do not verify take no slot and are answered as such.
    expect((await call(emulator, 'GET', LIST)).status).toBe(401);
    expect((await held).status).toBe(200);
    expect((await fetchAs(emulator.accountSid, [key.sid, key.secret])).status).toBe(200);
  });

  it('is unlimited by default, and can be set and lifted at runtime', async () => {
    emulator = await startTwilioEmulator();
    holdNext('*', 2);
    const held = [create('a'), create('b')];
    await waitFor(() => heldCount() === 2);
    expect((await create('c')).status).toBe(201);

    emulator.setConcurrencyLimit(2);
    expect((await create('d')).status).toBe(429);
    emulator.setConcurrencyLimit(3);
    expect((await create('d')).status).toBe(201);
    emulator.setConcurrencyLimit(1);
    expect((await create('e')).status).toBe(429);
    emulator.setConcurrencyLimit(undefined);
    expect((await create('e')).status).toBe(201);
    expect((await Promise.all(held)).map((reply) => reply.status)).toEqual([201, 201]);
  });

  it('frees the slot of a request that was reset or whose caller left', async () => {
    emulator = await startTwilioEmulator({ concurrencyLimit: 1 });
    emulator.injectFault({ route: 'fetch', fault: { kind: 'reset-before' }, times: 1 });
    await expect(fetchAs(emulator.accountSid, mainAuth(emulator))).rejects.toThrow();
    expect((await fetchAs(emulator.accountSid, mainAuth(emulator))).status).toBe(200);

    holdNext('fetch', 1, 60_000);
    const abort = new AbortController();
    const left = fetch(`${emulator.url}${accountPath(emulator.accountSid)}`, {
      headers: { Authorization: `Basic ${Buffer.from(mainAuth(emulator).join(':')).toString('base64')}` },
      signal: abort.signal,
    }).catch((error: unknown) => error);
    await waitFor(() => heldCount() === 1);
    expect((await fetchAs(emulator.accountSid, mainAuth(emulator))).status).toBe(429);
    abort.abort();
    await left;
    await waitFor(() =>
      emulator.requestLog().some((entry) => entry.status === 'reset' && entry.fault === 'latency'),
    );
    expect((await fetchAs(emulator.accountSid, mainAuth(emulator))).status).toBe(200);
  });
});
