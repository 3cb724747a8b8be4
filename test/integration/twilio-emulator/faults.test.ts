import { type IncomingHttpHeaders, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startTwilioEmulator,
  type TwilioEmulator,
  TwilioEmulatorConfigError,
  type TwilioFaultRule,
} from '../../../local/twilio-emulator/index.ts';
import { twilioErrorBodyErrors } from '../../helpers/openapi.ts';
import { accountPath, basic, LIST, waitFor } from './support.ts';

type Outcome =
  | { readonly status: number; readonly headers: IncomingHttpHeaders; readonly body: Record<string, unknown> }
  | { readonly error: Error };

let emulator: TwilioEmulator;
afterEach(() => emulator?.close());

/** A single request on its own connection, which the test may cut at any time. */
const startRequest = (method: string, path: string, form?: Record<string, string>) => {
  const url = new URL(emulator.url);
  const body = form ? new URLSearchParams(form).toString() : '';
  let cut = (): void => {};
  const done = new Promise<Outcome>((resolve) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        agent: false,
        headers: {
          Authorization: basic(emulator.accountSid, emulator.authToken),
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: JSON.parse(Buffer.concat(chunks).toString() || '{}'),
          }),
        );
      },
    );
    req.on('error', (error) => resolve({ error }));
    cut = () => req.destroy();
    req.end(body);
  });
  return { done, cut: () => cut() };
};

const send = (method: string, path: string, form?: Record<string, string>) =>
  startRequest(method, path, form).done;

const statusOf = (outcome: Outcome): number | 'error' => ('error' in outcome ? 'error' : outcome.status);

/** mulberry32: a tiny seeded generator, replayed by the test to know which requests should fail. */
const seeded = (seed: number) => {
  let state = seed >>> 0;
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

describe('fault rules', () => {
  it('rate-limit answers 429 with Retry-After and code 20429, and creates nothing', async () => {
    emulator = await startTwilioEmulator();
    emulator.injectFault({ route: 'create', fault: { kind: 'rate-limit', retryAfterSeconds: 7 }, times: 1 });
    const throttled = await send('POST', LIST, { FriendlyName: 'x' });
    expect(statusOf(throttled)).toBe(429);
    if ('error' in throttled) throw throttled.error;
    expect(throttled.headers['retry-after']).toBe('7');
    expect(throttled.body).toMatchObject({ code: 20429, status: 429 });
    expect(twilioErrorBodyErrors(throttled.body)).toEqual([]);
    expect(emulator.accounts()).toHaveLength(1);
    expect(statusOf(await send('POST', LIST, { FriendlyName: 'x' }))).toBe(201);
    expect(emulator.stats().faultsInjected).toEqual({ 'rate-limit': 1 });
  });

  it('rate-limit without retryAfterSeconds still sends a Retry-After', async () => {
    emulator = await startTwilioEmulator();
    emulator.injectFault({ route: 'list', fault: { kind: 'rate-limit' } });
    const throttled = await send('GET', LIST);
    if ('error' in throttled) throw throttled.error;
    expect(throttled.headers['retry-after']).toMatch(/^\d+$/);
  });

  it.each([500, 503] as const)('server-error answers %i with a Twilio error body', async (status) => {
    emulator = await startTwilioEmulator();
    emulator.injectFault({ route: 'fetch', fault: { kind: 'server-error', status } });
    const reply = await send('GET', accountPath(emulator.accountSid));
    if ('error' in reply) throw reply.error;
    expect(reply.status).toBe(status);
    expect(reply.body).toMatchObject({ status, code: 20000 + status });
    expect(twilioErrorBodyErrors(reply.body)).toEqual([]);
  });

  it('applies a rule only to its route, and * to every route', async () => {
    emulator = await startTwilioEmulator();
    emulator.injectFault({ route: 'update', fault: { kind: 'server-error', status: 503 } });
    expect(statusOf(await send('GET', accountPath(emulator.accountSid)))).toBe(200);
    expect(statusOf(await send('POST', accountPath(emulator.accountSid), { FriendlyName: 'n' }))).toBe(503);
    emulator.clearFaults();
    emulator.injectFault({ route: '*', fault: { kind: 'server-error', status: 500 } });
    expect(statusOf(await send('GET', LIST))).toBe(500);
    expect(statusOf(await send('GET', accountPath(emulator.accountSid)))).toBe(500);
    emulator.clearFaults();
    expect(statusOf(await send('GET', LIST))).toBe(200);
  });

  it('counts firings against times and records each request', async () => {
    emulator = await startTwilioEmulator();
    emulator.injectFault({ route: 'fetch', fault: { kind: 'server-error', status: 503 }, times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i += 1)
      statuses.push(statusOf(await send('GET', accountPath(emulator.accountSid))));
    expect(statuses).toEqual([503, 503, 200]);
    expect(emulator.stats()).toMatchObject({
      total: 3,
      byRoute: { fetch: 3, list: 0 },
      faultsInjected: { 'server-error': 2 },
    });
    expect(emulator.requestLog().map((e) => [e.route, e.status, e.fault])).toEqual([
      ['fetch', 503, 'server-error'],
      ['fetch', 503, 'server-error'],
      ['fetch', 200, undefined],
    ]);
    emulator.resetStats();
    expect(emulator.stats()).toEqual({
      total: 0,
      byRoute: {
        create: 0,
        list: 0,
        fetch: 0,
        update: 0,
        'key-create': 0,
        'key-list': 0,
        'key-fetch': 0,
        'key-update': 0,
        'key-delete': 0,
        balance: 0,
      },
      faultsInjected: {},
    });
    expect(emulator.requestLog()).toEqual([]);
  });

  it('fires by probability using the seeded random source', async () => {
    const seed = 20_240_501;
    emulator = await startTwilioEmulator({ random: seeded(seed) });
    emulator.injectFault({ route: 'list', fault: { kind: 'server-error', status: 503 }, probability: 0.3 });
    const replay = seeded(seed);
    const expected = Array.from({ length: 30 }, () => (replay() < 0.3 ? 503 : 200));
    expect(expected).toContain(503);
    expect(expected).toContain(200);
    const actual = [];
    for (let i = 0; i < expected.length; i += 1) actual.push(statusOf(await send('GET', LIST)));
    expect(actual).toEqual(expected);
    expect(emulator.stats().faultsInjected['server-error']).toBe(expected.filter((s) => s === 503).length);
  });

  it('never fires a rule of probability 0', async () => {
    emulator = await startTwilioEmulator();
    emulator.injectFault({ route: '*', fault: { kind: 'reset-before' }, probability: 0 });
    for (let i = 0; i < 5; i += 1) expect(statusOf(await send('GET', LIST))).toBe(200);
  });

  it('reset-before drops the connection without applying the request', async () => {
    emulator = await startTwilioEmulator();
    emulator.injectFault({ route: 'create', fault: { kind: 'reset-before' }, times: 1 });
    expect(statusOf(await send('POST', LIST, { FriendlyName: 'lost' }))).toBe('error');
    expect(emulator.accounts()).toHaveLength(1);
    expect(emulator.requestLog()).toEqual([
      { route: 'create', method: 'POST', path: LIST, status: 'reset', fault: 'reset-before' },
    ]);
  });

  it('reset-after applies the create but never answers (an ambiguous create)', async () => {
    emulator = await startTwilioEmulator();
    emulator.injectFault({ route: 'create', fault: { kind: 'reset-after' }, times: 1 });
    expect(statusOf(await send('POST', LIST, { FriendlyName: 'ambiguous' }))).toBe('error');
    const accounts = emulator.accounts();
    expect(accounts).toHaveLength(2);
    expect(accounts[1]).toMatchObject({ friendly_name: 'ambiguous', status: 'active' });
    const found = await send('GET', `${LIST}?FriendlyName=ambiguous`);
    if ('error' in found) throw found.error;
    expect((found.body.accounts as unknown[]).length).toBe(1);
    expect(emulator.requestLog()[0]).toMatchObject({ status: 'reset', fault: 'reset-after' });
  });

  it('latency delays but still answers; every matching latency rule fires', async () => {
    emulator = await startTwilioEmulator();
    emulator.injectFault({ route: 'fetch', fault: { kind: 'latency', ms: 20 } });
    emulator.injectFault({ route: '*', fault: { kind: 'latency', ms: 10 } });
    emulator.injectFault({ route: 'fetch', fault: { kind: 'rate-limit' }, times: 1 });
    expect(statusOf(await send('GET', accountPath(emulator.accountSid)))).toBe(429);
    expect(statusOf(await send('GET', accountPath(emulator.accountSid)))).toBe(200);
    expect(emulator.stats().faultsInjected).toEqual({ latency: 4, 'rate-limit': 1 });
    expect(emulator.requestLog().map((e) => e.fault)).toEqual(['latency+rate-limit', 'latency']);
  });

  it('does not apply a request whose caller disconnected during the latency', async () => {
    emulator = await startTwilioEmulator();
    emulator.injectFault({ route: 'create', fault: { kind: 'latency', ms: 60_000 } });
    const pending = startRequest('POST', LIST, { FriendlyName: 'crashed caller' });
    await waitFor(() => emulator.stats().faultsInjected.latency === 1);
    pending.cut();
    expect(statusOf(await pending.done)).toBe('error');
    await waitFor(() => emulator.requestLog().length === 1);
    expect(emulator.requestLog()[0]).toMatchObject({ route: 'create', status: 'reset', fault: 'latency' });
    expect(emulator.accounts()).toHaveLength(1);
  });

  it('closes promptly while a request is held by latency', async () => {
    emulator = await startTwilioEmulator();
    emulator.injectFault({ route: 'list', fault: { kind: 'latency', ms: 600_000 } });
    const pending = startRequest('GET', LIST);
    await waitFor(() => emulator.stats().faultsInjected.latency === 1);
    await emulator.close();
    expect(statusOf(await pending.done)).toBe('error');
  });

  it.each<[string, TwilioFaultRule]>([
    ['fault.route', { route: 'delete' as 'list', fault: { kind: 'reset-before' } }],
    ['fault.fault', { route: 'list', fault: { kind: 'server-error', status: 502 as 500 } }],
    ['fault.fault', { route: 'list', fault: { kind: 'latency', ms: -1 } }],
    ['fault.fault', { route: 'list', fault: { kind: 'explode' } as unknown as TwilioFaultRule['fault'] }],
    ['fault.times', { route: 'list', fault: { kind: 'reset-after' }, times: 0 }],
    ['fault.probability', { route: 'list', fault: { kind: 'reset-after' }, probability: 1.5 }],
  ])('refuses an invalid rule, naming %s', async (field, rule) => {
    emulator = await startTwilioEmulator();
    expect(() => emulator.injectFault(rule)).toThrow(TwilioEmulatorConfigError);
    expect(() => emulator.injectFault(rule)).toThrow(field);
  });
});
