/**
 * The DynamoDB tenant ledger against dynalite behind its fault proxy, with the real SDK client:
 * the lease, the fence, lost answers and throttling; then the lifecycle use case with every real
 * adapter (Twilio emulator, Secrets Manager emulator, dynalite) when a lease expires mid-flight.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../local/cloud.ts';
import { applyTenantEvent, type LifecycleDependencies } from '../../../shared/domain/apply-tenant-event.ts';
import { LeaseLostError } from '../../../shared/domain/errors.ts';
import { createFriendlyNameCodec } from '../../../shared/domain/friendly-name.ts';
import type { LedgerState, TenantLedger } from '../../../shared/domain/ports.ts';
import { createDynamoDbLedger } from '../../../shared/ledger/dynamodb-ledger.ts';
import { LedgerCallError } from '../../../shared/ledger/errors.ts';
import { createSecretsManagerVault } from '../../../shared/secrets/tenant-vault.ts';
import { createTwilioAccountsClient } from '../../../shared/twilio/client.ts';
import { createTwilioSubaccountGateway } from '../../../shared/twilio/subaccount-gateway.ts';
import { tenantEvent } from '../../helpers/events.ts';

let cloud: LocalCloud;
let ledger: TenantLedger;

beforeAll(async () => {
  cloud = await startLocalCloud();
  ledger = createDynamoDbLedger({ client: cloud.dynamodb.client, tableName: cloud.dynamodb.tableName });
}, 60_000);
afterAll(() => cloud?.stop());

const T0 = Date.UTC(2026, 10, 2);

const state = (overrides: Partial<LedgerState> = {}): LedgerState => ({
  lifecycle: 'active',
  accountSid: `AC${'1'.repeat(32)}`,
  friendlyName: 'tenant:x',
  watermark: '2026-11-01T00:00:00.000000000Z',
  appliedAtWatermark: ['evt-1'],
  secretRetired: false,
  ...overrides,
});

describe('the lease and the fence', () => {
  it('creates an empty entry on the first lease and returns it in the same write', async () => {
    const taken = await ledger.acquire('lease-new', 'owner-a', T0 + 30_000, T0);
    expect(taken).toMatchObject({ acquired: true, entry: { tenantId: 'lease-new', version: 0 } });
    expect(taken.acquired && taken.entry.state).toBeUndefined();
  });

  it('refuses a held lease, and hands an expired one over', async () => {
    await ledger.acquire('lease-held', 'owner-a', T0 + 30_000, T0);
    expect((await ledger.acquire('lease-held', 'owner-b', T0 + 60_000, T0 + 29_999)).acquired).toBe(false);
    expect((await ledger.acquire('lease-held', 'owner-b', T0 + 60_000, T0 + 30_001)).acquired).toBe(true);
  });

  it('commits once: version + 1, lease released; a stale holder is refused and writes nothing', async () => {
    const first = await ledger.acquire('fence', 'owner-a', T0 + 30_000, T0);
    if (!first.acquired) throw new Error('expected the lease');
    await ledger.recordCreateIntent(first.lease, { eventId: 'evt-1', startedAt: T0 });
    const second = await ledger.acquire('fence', 'owner-b', T0 + 90_000, T0 + 31_000);
    if (!second.acquired) throw new Error('expected the expired lease to be taken over');
    expect(second.entry.createIntent).toEqual({ eventId: 'evt-1', startedAt: T0 });
    await ledger.commit(second.lease, state({ lifecycle: 'suspended' }));
    await expect(ledger.commit(first.lease, state({ lifecycle: 'active' }))).rejects.toBeInstanceOf(
      LeaseLostError,
    );
    await expect(
      ledger.recordCreateIntent(first.lease, { eventId: 'x', startedAt: T0 }),
    ).rejects.toBeInstanceOf(LeaseLostError);
    const entry = await ledger.read('fence');
    expect(entry).toMatchObject({ version: 1, state: { lifecycle: 'suspended' } });
    expect(entry?.createIntent).toBeUndefined();
    // Released: anyone may take it now.
    expect((await ledger.acquire('fence', 'owner-c', T0 + 99_000, T0 + 32_000)).acquired).toBe(true);
  });

  it('turns a commit whose answer was lost into LeaseLostError, with the state committed', async () => {
    const taken = await ledger.acquire('lost-answer', 'owner-a', T0 + 30_000, T0);
    if (!taken.acquired) throw new Error('expected the lease');
    cloud.dynamodb.faults.loseNextAnswers(1, 'UpdateItem');
    // The SDK resends the commit; the resend finds the lease already released by the first one.
    await expect(ledger.commit(taken.lease, state())).rejects.toBeInstanceOf(LeaseLostError);
    expect(await ledger.read('lost-answer')).toMatchObject({ version: 1, state: { lifecycle: 'active' } });
  });

  it('hands its own lease back to an acquire whose answer was lost and that the SDK resent', async () => {
    cloud.dynamodb.faults.loseNextAnswers(1, 'UpdateItem');
    const taken = await ledger.acquire('lost-acquire', 'owner-a', T0 + 30_000, T0);
    expect(taken.acquired).toBe(true);
    expect(cloud.dynamodb.stats().faultsInjected['lost-answer']).toBeGreaterThan(0);
    expect((await ledger.acquire('lost-acquire', 'owner-b', T0 + 30_000, T0)).acquired).toBe(false);
  });

  it("records a signup's create intent with the lease, and keeps an earlier attempt's", async () => {
    const mine = { eventId: 'evt-signup', startedAt: T0 };
    const first = await ledger.acquire('intent-with-lease', 'owner-a', T0 + 30_000, T0, mine);
    expect(first).toMatchObject({ acquired: true, intentRecorded: true });
    expect(first.acquired && first.entry.createIntent).toBeUndefined();
    expect((await ledger.read('intent-with-lease'))?.createIntent).toEqual(mine);
    // The first attempt died after its create POST (the intent stays); its lease lapses.
    const later = { eventId: 'evt-signup', startedAt: T0 + 31_000 };
    const second = await ledger.acquire('intent-with-lease', 'owner-b', T0 + 61_000, T0 + 31_000, later);
    expect(second).toMatchObject({ acquired: true, intentRecorded: false, entry: { createIntent: mine } });
    expect((await ledger.read('intent-with-lease'))?.createIntent).toEqual(mine);
  });

  it('knows its own intent in an acquire the SDK resent after a lost answer', async () => {
    const mine = { eventId: 'evt-resent', startedAt: T0 };
    cloud.dynamodb.faults.loseNextAnswers(1, 'UpdateItem');
    const taken = await ledger.acquire('intent-resent', 'owner-a', T0 + 30_000, T0, mine);
    expect(cloud.dynamodb.stats().faultsInjected['lost-answer']).toBeGreaterThan(0);
    expect(taken).toMatchObject({ acquired: true, intentRecorded: true });
    expect(taken.acquired && taken.entry.createIntent).toBeUndefined();
  });

  it("takes an identical intent left by another owner for an earlier attempt's", async () => {
    const intent = { eventId: 'evt-same-ms', startedAt: T0 };
    await ledger.acquire('intent-same-ms', 'owner-a', T0, T0, intent);
    const again = await ledger.acquire('intent-same-ms', 'owner-b', T0 + 30_000, T0 + 1, intent);
    expect(again).toMatchObject({ acquired: true, intentRecorded: false, entry: { createIntent: intent } });
  });

  it('drops, on release, the intent of a create never sent, and only that one', async () => {
    const mine = { eventId: 'evt-unsent', startedAt: T0 };
    const taken = await ledger.acquire('intent-dropped', 'owner-a', T0 + 30_000, T0, mine);
    if (!taken.acquired) throw new Error('expected the lease');
    await ledger.release(taken.lease, { ...mine, startedAt: T0 + 1 });
    // Not the intent recorded: the lease stays held and the intent with it.
    expect((await ledger.read('intent-dropped'))?.createIntent).toEqual(mine);
    await ledger.release(taken.lease, mine);
    expect((await ledger.read('intent-dropped'))?.createIntent).toBeUndefined();
    expect((await ledger.acquire('intent-dropped', 'owner-b', T0 + 30_000, T0)).acquired).toBe(true);
  });

  it('survives throttling through the SDK retries, and reports it retryable when they run out', async () => {
    cloud.dynamodb.faults.throttleNext(1, 'UpdateItem');
    expect((await ledger.acquire('throttled', 'owner-a', T0 + 30_000, T0)).acquired).toBe(true);
    const impatient = createDynamoDbLedger({
      client: cloud.dynamodb.createClient({ maxAttempts: 1 }),
      tableName: cloud.dynamodb.tableName,
    });
    cloud.dynamodb.faults.throttleNext(1, 'UpdateItem');
    const error = await impatient.acquire('throttled-2', 'owner-a', T0 + 30_000, T0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerCallError);
    expect(error).toMatchObject({ retryable: true, awsErrorName: 'ProvisionedThroughputExceededException' });
  });

  it('adopts only a tenant it has no state for', async () => {
    expect(await ledger.adopt('adopted', state())).toBe(true);
    expect(await ledger.adopt('adopted', state({ lifecycle: 'closed' }))).toBe(false);
    expect((await ledger.read('adopted'))?.state?.lifecycle).toBe('active');
  });
});

describe('the use case with every real adapter', () => {
  it("refuses the commit of an invocation whose lease expired mid-flight; the takeover's state stands", async () => {
    const twilio = createTwilioAccountsClient({
      credentials: {
        current: () => ({ accountSid: cloud.twilio.accountSid, authToken: cloud.twilio.authToken }),
      },
      baseUrl: cloud.twilio.url,
    });
    let clock = Date.now();
    const deps: LifecycleDependencies = {
      gateway: createTwilioSubaccountGateway(twilio),
      vault: createSecretsManagerVault({ client: cloud.secretsClient, prefix: 'tenants' }),
      ledger,
      friendlyNames: createFriendlyNameCodec(),
      recoveryWindowDays: 7,
      createSettleMs: 60_000,
      maxClockSkewMs: 300_000,
      now: () => clock,
    };
    const attempt = (owner: string) => ({ owner, leaseExpiresAt: clock + 1_000 });
    await applyTenantEvent(tenantEvent('tenant.created', 'takeover', { at: 1 }), deps, attempt('creator'));

    // The first invocation's suspend is slow at Twilio; meanwhile its lease runs out.
    cloud.twilio.injectFault({ route: 'update', fault: { kind: 'latency', ms: 400 }, times: 1 });
    const slow = applyTenantEvent(
      tenantEvent('tenant.delinquent', 'takeover', { at: 2 }),
      deps,
      attempt('slow'),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    clock += 2_000;
    const churn = tenantEvent('tenant.churned', 'takeover', { at: 3 });
    expect((await applyTenantEvent(churn, deps, attempt('takeover'))).kind).toBe('closed');
    expect(await slow.catch((e: unknown) => e)).toBeInstanceOf(LeaseLostError);

    const entry = await ledger.read('takeover');
    expect(entry?.state).toMatchObject({
      lifecycle: 'closed',
      secretRetired: true,
      watermark: '2026-11-01T00:03:00.000000000Z',
      appliedAtWatermark: [churn.eventId],
    });
    expect(cloud.twilio.accounts().find((a) => a.friendly_name === 'tenant:takeover')?.status).toBe('closed');
  });
});
