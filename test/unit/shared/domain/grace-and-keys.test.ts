/** The grace period before close, per-tenant API keys and their rotation, on in-memory ports. */
import { beforeEach, describe, expect, it } from 'vitest';
import { apiKeyFriendlyName } from '../../../../shared/domain/api-keys.ts';
import {
  type Attempt,
  applyTenantEvent,
  type LifecycleDependencies,
} from '../../../../shared/domain/apply-tenant-event.ts';
import { KeyCreateUnresolvedError, RotationUnsupportedError } from '../../../../shared/domain/errors.ts';
import type { TenantEvent } from '../../../../shared/domain/event.ts';
import { createFriendlyNameCodec } from '../../../../shared/domain/friendly-name.ts';
import { dueCloses } from '../../../../shared/sweep/close-sweep.ts';
import { tenantEvent } from '../../../helpers/events.ts';
import {
  type InMemoryGateway,
  type InMemoryKeys,
  type InMemoryLedger,
  type InMemoryVault,
  inMemoryGateway,
  inMemoryKeys,
  inMemoryLedger,
  inMemoryVault,
} from '../../../helpers/in-memory-lifecycle.ts';

let gateway: InMemoryGateway;
let vault: InMemoryVault;
let ledger: InMemoryLedger;
let keys: InMemoryKeys;
let clock: number;
let attempts = 0;
const DAY = 86_400_000;

const depsWith = (overrides: Partial<LifecycleDependencies> = {}): LifecycleDependencies => ({
  gateway,
  vault,
  ledger,
  keys,
  friendlyNames: createFriendlyNameCodec(),
  recoveryWindowDays: 30,
  createSettleMs: 60_000,
  maxClockSkewMs: 300_000,
  now: () => clock,
  ...overrides,
});

beforeEach(() => {
  gateway = inMemoryGateway();
  vault = inMemoryVault();
  ledger = inMemoryLedger();
  keys = inMemoryKeys();
  clock = Date.UTC(2026, 10, 1, 1);
});

const attempt = (): Attempt => ({ owner: `attempt-${++attempts}`, leaseExpiresAt: clock + 30_000 });
const applyWith = (deps: LifecycleDependencies) => (event: TenantEvent) =>
  applyTenantEvent(event, deps, attempt());
const stateOf = (tenantId: string) => ledger.items.get(tenantId)?.entry.state;
const accountsOf = () => [...gateway.accounts.values()];

describe('a grace period before close', () => {
  const apply = (event: TenantEvent) => applyWith(depsWith({ churnGraceMs: 7 * DAY }))(event);

  beforeEach(async () => {
    await apply(tenantEvent('tenant.created', 'acme', { at: 1 }));
  });

  it('suspends at once, records when the close is due, and publishes close-scheduled', async () => {
    const churn = tenantEvent('tenant.churned', 'acme', { at: 2 });
    const outcome = await apply(churn);
    const due = new Date(Date.parse(churn.occurredAt) + 7 * DAY);
    expect(outcome).toMatchObject({
      kind: 'close-scheduled',
      publish: { type: 'tenant.close-scheduled', closeDueAt: due, status: 'suspended' },
    });
    expect(accountsOf()[0]?.status).toBe('suspended');
    expect(stateOf('acme')).toMatchObject({
      lifecycle: 'suspended',
      closeDueAt: due.toISOString(),
      secretRetired: false,
    });
    expect(vault.secrets.get('acme')?.tags.retired).toBe(false);
  });

  it.each(['tenant.reinstated', 'tenant.created'] as const)(
    '%s inside the window reactivates the same subaccount and cancels the close',
    async (type) => {
      await apply(tenantEvent('tenant.churned', 'acme', { at: 2 }));
      const sid = accountsOf()[0]!.sid;
      const outcome = await apply(tenantEvent(type, 'acme', { at: 3 }));
      expect(outcome).toMatchObject({ kind: 'reactivated', publish: { type: 'tenant.reactivated' } });
      expect(accountsOf()).toHaveLength(1);
      expect(accountsOf()[0]).toMatchObject({ sid, status: 'active' });
      expect(stateOf('acme')?.closeDueAt).toBeUndefined();
      expect(vault.secrets.get('acme')?.credentials.accountSid).toBe(sid);
      // The sweep has nothing left to close.
      expect(dueCloses([ledger.items.get('acme')!.entry], new Date(clock + 30 * DAY))).toEqual([]);
    },
  );

  it('closes once when the window has passed, however often the sweep runs', async () => {
    await apply(tenantEvent('tenant.churned', 'acme', { at: 2 }));
    const entry = () => ledger.items.get('acme')!.entry;
    expect(dueCloses([entry()], new Date(clock))).toEqual([]);
    const [first] = dueCloses([entry()], new Date(clock + 8 * DAY));
    const [second] = dueCloses([entry()], new Date(clock + 8 * DAY + 3_600_000));
    expect(first?.eventId).toBe(second?.eventId);
    clock += 8 * DAY + 3_600_000;
    expect(await apply(first!)).toMatchObject({ kind: 'closed', publish: { type: 'tenant.closed' } });
    expect(await apply(second!)).toMatchObject({ kind: 'noop' });
    expect(accountsOf()[0]?.status).toBe('closed');
    expect(gateway.calls.filter((c) => c === 'update:closed')).toHaveLength(1);
    expect(vault.secrets.get('acme')?.tags.retired).toBe(true);
    expect(stateOf('acme')).toMatchObject({ lifecycle: 'closed', secretRetired: true });
    expect(stateOf('acme')?.closeDueAt).toBeUndefined();
  });

  it('keeps one scheduled close when churned twice', async () => {
    await apply(tenantEvent('tenant.churned', 'acme', { at: 2 }));
    const due = stateOf('acme')?.closeDueAt;
    expect((await apply(tenantEvent('tenant.churned', 'acme', { at: 3 }))).kind).toBe('noop');
    expect(stateOf('acme')?.closeDueAt).toBe(due);
  });

  it('republishes close-scheduled on a redelivery of the churn', async () => {
    const churn = tenantEvent('tenant.churned', 'acme', { at: 2 });
    await apply(churn);
    expect(await apply(churn)).toMatchObject({ kind: 'noop', publish: { type: 'tenant.close-scheduled' } });
  });

  it('closes at once without a grace period, as before', async () => {
    const outcome = await applyWith(depsWith())(tenantEvent('tenant.churned', 'acme', { at: 2 }));
    expect(outcome.kind).toBe('closed');
  });
});

describe('an API key per tenant', () => {
  const apply = (event: TenantEvent) => applyWith(depsWith({ credentials: 'api-key' }))(event);
  const liveKeys = () => [...keys.keys.values()];

  it('creates one Standard key on the new subaccount and stores it instead of the token', async () => {
    await apply(tenantEvent('tenant.created', 'acme', { at: 1 }));
    const account = accountsOf()[0]!;
    const credentials = vault.secrets.get('acme')!.credentials;
    expect(credentials.authToken).toBeUndefined();
    expect(liveKeys()).toEqual([
      { accountSid: account.sid, friendlyName: apiKeyFriendlyName('acme'), secret: credentials.apiKeySecret },
    ]);
    expect(stateOf('acme')?.apiKeySid).toBe(credentials.apiKeySid);
  });

  it('stores both with TENANT_CREDENTIALS=both', async () => {
    await applyWith(depsWith({ credentials: 'both' }))(tenantEvent('tenant.created', 'acme', { at: 1 }));
    const credentials = vault.secrets.get('acme')!.credentials;
    expect(credentials.authToken).toBe(accountsOf()[0]?.authToken);
    expect(credentials.apiKeySid).toMatch(/^SK/);
  });

  it('replaces a key whose create answer was lost: never two live keys, the stored one works', async () => {
    keys.loseNextCreateAnswer = true;
    const created = tenantEvent('tenant.created', 'acme', { at: 1 });
    await expect(apply(created)).rejects.toBeInstanceOf(KeyCreateUnresolvedError);
    expect(liveKeys()).toHaveLength(1);
    await apply(created);
    expect(liveKeys()).toHaveLength(1);
    const { apiKeySid, apiKeySecret, accountSid } = vault.secrets.get('acme')!.credentials;
    expect(await keys.keyWorks(accountSid, apiKeySid!, apiKeySecret!)).toBe(true);
  });

  it('replaces a key created by an attempt that died before the secret write', async () => {
    const createSecret = vault.create;
    vault.create = async () => {
      throw Object.assign(new Error('crash'), { retryable: true });
    };
    const created = tenantEvent('tenant.created', 'acme', { at: 1 });
    await expect(apply(created)).rejects.toThrow('crash');
    vault.create = createSecret;
    await apply(created);
    expect(liveKeys()).toHaveLength(1);
    expect(liveKeys()[0]?.secret).toBe(vault.secrets.get('acme')!.credentials.apiKeySecret);
  });

  it('rotates: a new key stored, then the old one deleted; a redelivery changes nothing', async () => {
    await apply(tenantEvent('tenant.created', 'acme', { at: 1 }));
    const before = vault.secrets.get('acme')!.credentials;
    const rotation = tenantEvent('tenant.credentials-rotation-requested', 'acme', { at: 2 });
    expect(await apply(rotation)).toMatchObject({
      kind: 'rotated',
      publish: { type: 'tenant.credentials-rotated' },
    });
    const after = vault.secrets.get('acme')!.credentials;
    expect(after.apiKeySid).not.toBe(before.apiKeySid);
    expect(await keys.keyWorks(after.accountSid, before.apiKeySid!, before.apiKeySecret!)).toBe(false);
    expect(await keys.keyWorks(after.accountSid, after.apiKeySid!, after.apiKeySecret!)).toBe(true);
    expect(liveKeys()).toHaveLength(1);
    expect((await apply(rotation)).kind).toBe('noop');
    expect(vault.secrets.get('acme')!.credentials.apiKeySid).toBe(after.apiKeySid);
  });

  it('finishes a rotation that died after storing the new key, without a third key', async () => {
    await apply(tenantEvent('tenant.created', 'acme', { at: 1 }));
    const deleteKey = keys.deleteKey;
    let deletes = 0;
    keys.deleteKey = async (...args) => {
      // Orphan clean-up before the create passes; the old key's delete after the store crashes.
      if (++deletes > 0 && keys.keys.size === 2) throw Object.assign(new Error('crash'), { retryable: true });
      return deleteKey(...args);
    };
    const rotation = tenantEvent('tenant.credentials-rotation-requested', 'acme', { at: 2 });
    await expect(apply(rotation)).rejects.toThrow('crash');
    keys.deleteKey = deleteKey;
    const stored = vault.secrets.get('acme')!.credentials;
    expect(await apply(rotation)).toMatchObject({ kind: 'rotated' });
    expect(liveKeys()).toHaveLength(1);
    expect(vault.secrets.get('acme')!.credentials.apiKeySid).toBe(stored.apiKeySid);
  });

  it('refuses rotation of an auth-token tenant with a clear reason', async () => {
    const tokens = applyWith(depsWith());
    await tokens(tenantEvent('tenant.created', 'acme', { at: 1 }));
    const error = await tokens(tenantEvent('tenant.credentials-rotation-requested', 'acme', { at: 2 })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RotationUnsupportedError);
    expect(error).toMatchObject({ code: 'ROTATION_NEEDS_API_KEYS', retryable: false });
  });
});
