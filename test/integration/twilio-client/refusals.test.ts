/**
 * The refusals Twilio documents a code of its own for, and the emulator faults around them, as
 * the Accounts client and the subaccount gateway decide on them: each code's class, stable code,
 * retry decision and message, what was sent, and what Twilio's state is afterwards.
 */
import { inspect } from 'node:util';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTwilioEmulator, type TwilioEmulator } from '../../../local/twilio-emulator/index.ts';
import type { SubaccountGateway } from '../../../shared/domain/ports.ts';
import {
  createTwilioAccountsClient,
  type TwilioAccountsApi,
  type TwilioAccountsClientOptions,
  TwilioApiError,
  TwilioMainAccountSuspendedError,
  TwilioParentIsSubaccountError,
  TwilioRateLimitError,
  TwilioSubaccountClosedError,
  TwilioSubaccountLimitError,
  TwilioSubaccountSuspendedByTwilioError,
} from '../../../shared/twilio/index.ts';
import { createTwilioSubaccountGateway } from '../../../shared/twilio/subaccount-gateway.ts';
import { manualClock, waitFor } from '../twilio-emulator/support.ts';
import { failureOf, testClientOptions } from './support.ts';

const agent = new Agent({ connect: { timeout: 1000 } });
let emulator: TwilioEmulator;
let sleeps: number[];
let client: TwilioAccountsApi;
let gateway: SubaccountGateway;
const seenErrors: unknown[] = [];
/** Every token and key secret of every emulator of this file. */
const issued = new Set<string>();

const makeClient = (overrides: Partial<TwilioAccountsClientOptions> = {}): TwilioAccountsApi =>
  createTwilioAccountsClient({
    credentials: { current: () => ({ accountSid: emulator.accountSid, authToken: emulator.authToken }) },
    baseUrl: emulator.url,
    dispatcher: agent,
    ...testClientOptions((ms) => sleeps.push(ms)),
    ...overrides,
  });

const stopEmulator = async (): Promise<void> => {
  if (emulator === undefined) return;
  for (const secret of emulator.issuedSecrets()) issued.add(secret);
  await emulator.close();
};

const startWith = async (options: Parameters<typeof startTwilioEmulator>[0] = {}): Promise<void> => {
  await stopEmulator();
  emulator = await startTwilioEmulator(options);
  client = makeClient();
  gateway = createTwilioSubaccountGateway(client);
};

beforeEach(async () => {
  sleeps = [];
  await startWith();
});
afterEach(() => stopEmulator());
afterAll(async () => {
  await agent.close();
});

const failure = failureOf(seenErrors);

/** Method and status of every request the emulator answered, in order. */
const exchanges = (): string[] => emulator.requestLog().map((entry) => `${entry.route} ${entry.status}`);

describe('21479: a closed subaccount', () => {
  it('setStatus resolves with the closed subaccount, confirmed by a fetch, for any status asked', async () => {
    const { sid } = await gateway.create('tenant:closed-elsewhere');
    emulator.setAccountStatus(sid, 'closed');
    emulator.resetStats();
    for (const status of ['active', 'suspended'] as const) {
      expect(await gateway.setStatus(sid, status)).toMatchObject({ sid, status: 'closed' });
    }
    expect(exchanges()).toEqual(['update 400', 'fetch 200', 'update 400', 'fetch 200']);
    expect(await gateway.setStatus(sid, 'closed')).toMatchObject({ sid, status: 'closed' });
    expect(sleeps).toEqual([]);
  });

  it('the client throws it as a permanent error naming the subaccount', async () => {
    const { sid } = await client.createSubaccount({ friendlyName: 'tenant:closed' });
    await client.updateAccount(sid, { status: 'closed' });
    const error = await failure(client.updateAccount(sid, { status: 'active' }));
    expect(error).toBeInstanceOf(TwilioSubaccountClosedError);
    expect(error).toBeInstanceOf(TwilioApiError);
    expect(error).toMatchObject({
      code: 'SUBACCOUNT_CLOSED',
      retryable: false,
      status: 400,
      twilioCode: 21479,
      moreInfo: 'https://www.twilio.com/docs/api/errors/21479',
    });
    expect((error as Error).message).toMatch(new RegExp(`^Subaccount ${sid} is closed`));
  });
});

describe('21478: a subaccount suspended by Twilio', () => {
  it('setStatus throws a permanent SUBACCOUNT_SUSPENDED_BY_TWILIO error after one request', async () => {
    const { sid } = await gateway.create('tenant:flagged');
    emulator.setSuspendedByTwilio(sid, true);
    emulator.resetStats();
    for (const status of ['active', 'closed'] as const) {
      const error = await failure(gateway.setStatus(sid, status));
      expect(error).toBeInstanceOf(TwilioSubaccountSuspendedByTwilioError);
      expect(error).toBeInstanceOf(TwilioApiError);
      expect(error).toMatchObject({
        code: 'SUBACCOUNT_SUSPENDED_BY_TWILIO',
        retryable: false,
        status: 400,
        twilioCode: 21478,
        moreInfo: 'https://www.twilio.com/docs/api/errors/21478',
      });
      expect((error as Error).message).toContain(`Subaccount ${sid} was suspended by Twilio itself`);
      expect((error as Error).message).toContain('only Twilio support can change its status');
    }
    expect(exchanges()).toEqual(['update 400', 'update 400']);
    expect(emulator.accounts().find((a) => a.sid === sid)?.status).toBe('suspended');
    // Suspending it again asks for no change and succeeds.
    expect((await gateway.setStatus(sid, 'suspended')).status).toBe('suspended');
  });
});

describe('21476 and 10001: the main account is suspended', () => {
  it('every gateway operation throws a retryable MAIN_ACCOUNT_SUSPENDED error without retrying in the call', async () => {
    const { sid } = await gateway.create('tenant:parent-suspended');
    emulator.setMainAccountSuspended(true);
    emulator.resetStats();
    const attempts = [
      ['update', 21476, () => gateway.setStatus(sid, 'suspended')],
      ['create', 10001, () => gateway.create('tenant:new')],
      ['list', 10001, () => gateway.findByFriendlyName('tenant:parent-suspended')],
      ['fetch', 10001, () => gateway.fetch(sid)],
    ] as const;
    for (const [, twilioCode, attempt] of attempts) {
      const error = await failure(attempt());
      expect(error).toBeInstanceOf(TwilioMainAccountSuspendedError);
      expect(error).toBeInstanceOf(TwilioApiError);
      expect(error).toMatchObject({
        code: 'MAIN_ACCOUNT_SUSPENDED',
        retryable: true,
        retryLater: true,
        twilioCode,
        moreInfo: `https://www.twilio.com/docs/api/errors/${twilioCode}`,
      });
      expect((error as Error).message).toMatch(/^The main Twilio account is suspended/);
    }
    // One request each: a suspension is not cleared by retrying within seconds.
    expect(exchanges()).toEqual(['update 400', 'create 403', 'list 403', 'fetch 403']);
    expect(sleeps).toEqual([]);
    expect(emulator.accounts().map((a) => a.friendly_name)).not.toContain('tenant:new');

    emulator.setMainAccountSuspended(false);
    expect((await gateway.setStatus(sid, 'suspended')).status).toBe('suspended');
  });
});

describe('21480: the subaccount limit', () => {
  it('create throws a permanent SUBACCOUNT_LIMIT_REACHED error, not an ambiguous create', async () => {
    emulator.setSubaccountLimit(1);
    await gateway.create('tenant:first');
    emulator.resetStats();
    const error = await failure(gateway.create('tenant:second'));
    expect(error).toBeInstanceOf(TwilioSubaccountLimitError);
    expect(error).toBeInstanceOf(TwilioApiError);
    expect(error).toMatchObject({
      code: 'SUBACCOUNT_LIMIT_REACHED',
      retryable: false,
      mayHaveApplied: false,
      status: 400,
      twilioCode: 21480,
      moreInfo: 'https://www.twilio.com/docs/api/errors/21480',
    });
    expect((error as Error).message).toContain('reached its maximum number of subaccounts');
    expect((error as Error).message).toContain('HTTP 400');
    expect(exchanges()).toEqual(['create 400']);

    emulator.setSubaccountLimit(2);
    expect((await gateway.create('tenant:second')).friendlyName).toBe('tenant:second');
  });
});

describe('21101: parent credentials that belong to a subaccount', () => {
  it('create throws a permanent PARENT_IS_SUBACCOUNT error saying so', async () => {
    const sub = await client.createSubaccount({ friendlyName: 'tenant:used-as-parent' });
    const asSub = createTwilioSubaccountGateway(
      makeClient({ credentials: { current: () => ({ accountSid: sub.sid, authToken: sub.authToken }) } }),
    );
    emulator.resetStats();
    const error = await failure(asSub.create('tenant:grandchild'));
    expect(error).toBeInstanceOf(TwilioParentIsSubaccountError);
    expect(error).toBeInstanceOf(TwilioApiError);
    expect(error).toMatchObject({
      code: 'PARENT_IS_SUBACCOUNT',
      retryable: false,
      status: 403,
      twilioCode: 21101,
      moreInfo: 'https://www.twilio.com/docs/api/errors/21101',
    });
    expect((error as Error).message).toMatch(/^The parent credentials belong to a subaccount/);
    expect(exchanges()).toEqual(['create 403']);
    expect(emulator.accounts()).toHaveLength(2);
  });
});

describe('concurrency limit (429 / 20429)', () => {
  it('of N + 1 concurrent requests one is refused, and the client retries it after Retry-After', async () => {
    await startWith({ concurrencyLimit: 2 });
    emulator.injectFault({ route: 'fetch', fault: { kind: 'latency', ms: 1_500 }, times: 2 });
    const answered = () => emulator.requestLog().filter((entry) => entry.status === 200).length;
    const waiting = makeClient({
      // Records the delay asked for, then waits until the held requests were answered (the
      // delay itself would be a real second).
      sleep: async (ms) => {
        sleeps.push(ms);
        await waitFor(() => answered() === 2);
      },
    });
    const calls = [0, 1, 2].map(async (i) => {
      if (i === 2) await waitFor(() => emulator.stats().faultsInjected.latency === 2);
      return waiting.fetchAccount(emulator.accountSid);
    });
    const accounts = await Promise.all(calls);
    expect(accounts.map((a) => a.sid)).toEqual([
      emulator.accountSid,
      emulator.accountSid,
      emulator.accountSid,
    ]);
    expect(sleeps).toEqual([1000]);
    expect(exchanges()).toEqual(['fetch 429', 'fetch 200', 'fetch 200', 'fetch 200']);
    expect(emulator.stats().faultsInjected['concurrency-limit']).toBe(1);
  });

  it('surfaces a limit that persists as a retryable rate-limit error carrying Retry-After', async () => {
    await startWith({ concurrencyLimit: 1 });
    emulator.injectFault({ route: 'fetch', fault: { kind: 'latency', ms: 1_500 }, times: 1 });
    const held = client.fetchAccount(emulator.accountSid);
    await waitFor(() => emulator.stats().faultsInjected.latency === 1);
    const error = await failure(client.fetchAccount(emulator.accountSid));
    expect(error).toBeInstanceOf(TwilioRateLimitError);
    expect(error).toMatchObject({ status: 429, twilioCode: 20429, retryable: true, retryAfterMs: 1000 });
    expect(sleeps).toEqual([1000, 1000, 1000]);
    expect((await held).sid).toBe(emulator.accountSid);
  });
});

describe('list lag', () => {
  it('by lookups: findByFriendlyName misses a new subaccount N times, fetch by SID finds it at once', async () => {
    emulator.setListLag({ lookups: 2 });
    const created = await gateway.create('tenant:lagged');
    expect(await gateway.fetch(created.sid)).toMatchObject({ sid: created.sid, status: 'active' });
    expect(await gateway.findByFriendlyName('tenant:lagged')).toEqual([]);
    expect(await gateway.findByFriendlyName('tenant:lagged')).toEqual([]);
    const found = await gateway.findByFriendlyName('tenant:lagged');
    expect(found.map((s) => s.sid)).toEqual([created.sid]);
    expect(found[0]?.authToken).toBe(created.authToken);
  });

  it('by seconds: findByFriendlyName misses a new subaccount until the lag has passed', async () => {
    const clock = manualClock('2026-03-01T09:00:00Z');
    await startWith({ now: clock.now, listLag: { seconds: 30 } });
    const created = await gateway.create('tenant:slow');
    expect(await gateway.findByFriendlyName('tenant:slow')).toEqual([]);
    clock.advance(29_000);
    expect(await gateway.findByFriendlyName('tenant:slow')).toEqual([]);
    clock.advance(1_000);
    expect((await gateway.findByFriendlyName('tenant:slow')).map((s) => s.sid)).toEqual([created.sid]);
  });
});

describe('secrets', () => {
  it('no refusal raised in these tests carries a token', async () => {
    expect(seenErrors.length).toBeGreaterThanOrEqual(10);
    expect(issued.size).toBeGreaterThan(5);
    for (const error of seenErrors) {
      const rendered = [
        (error as Error).message,
        JSON.stringify(error),
        inspect(error, { depth: 20 }),
      ].join();
      for (const secret of issued) expect(rendered).not.toContain(secret);
    }
  });
});
