import { beforeEach, describe, expect, it } from 'vitest';
import {
  type Attempt,
  applyTenantEvent,
  type LifecycleDependencies,
} from '../../../../shared/domain/apply-tenant-event.ts';
import {
  CreateSettlingError,
  EventFromFutureError,
  IllegalTransitionError,
  LeaseLostError,
  TenantBusyError,
  UnknownTenantError,
  UnresolvedCreateError,
} from '../../../../shared/domain/errors.ts';
import type { TenantEvent } from '../../../../shared/domain/event.ts';
import { createFriendlyNameCodec } from '../../../../shared/domain/friendly-name.ts';
import { tenantEvent } from '../../../helpers/events.ts';
import {
  type InMemoryGateway,
  type InMemoryLedger,
  type InMemoryVault,
  inMemoryGateway,
  inMemoryLedger,
  inMemoryVault,
} from '../../../helpers/in-memory-lifecycle.ts';

let gateway: InMemoryGateway;
let vault: InMemoryVault;
let ledger: InMemoryLedger;
let deps: LifecycleDependencies;
/** The test's clock: just after the events' fixed origin (see helpers/events.ts). */
let clock: number;
let attempts = 0;

beforeEach(() => {
  gateway = inMemoryGateway();
  vault = inMemoryVault();
  ledger = inMemoryLedger();
  clock = Date.UTC(2026, 10, 2);
  deps = {
    gateway,
    vault,
    ledger,
    friendlyNames: createFriendlyNameCodec(),
    recoveryWindowDays: 30,
    createSettleMs: 60_000,
    maxClockSkewMs: 300_000,
    now: () => clock,
  };
});

const attempt = (): Attempt => ({ owner: `attempt-${++attempts}`, leaseExpiresAt: clock + 30_000 });
const apply = (event: TenantEvent, options: Attempt = attempt()) => applyTenantEvent(event, deps, options);
const stateOf = (tenantId: string) => ledger.items.get(tenantId)?.entry.state;
const live = () => [...gateway.accounts.values()].filter((a) => a.status !== 'closed');

describe('tenant.created', () => {
  it('reads the secret for adoption while it takes the lease, not after', async () => {
    let describedBeforeLeaseTaken = false;
    const acquire = ledger.acquire;
    ledger.acquire = async (...args) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      describedBeforeLeaseTaken = vault.calls.includes('describe');
      return acquire(...args);
    };
    await apply(tenantEvent('tenant.created', 'parallel-describe', { at: 1 }));
    expect(describedBeforeLeaseTaken).toBe(true);
    expect(vault.calls.filter((c) => c === 'describe')).toHaveLength(1);
  });

  it('looks the subaccount up while it takes the lease, not after', async () => {
    let lookupStartedBeforeLeaseTaken = false;
    const acquire = ledger.acquire;
    ledger.acquire = async (...args) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      lookupStartedBeforeLeaseTaken = gateway.calls.includes('list');
      return acquire(...args);
    };
    await apply(tenantEvent('tenant.created', 'parallel', { at: 1 }));
    expect(lookupStartedBeforeLeaseTaken).toBe(true);
    expect(gateway.calls).toEqual(['list', 'create']);
  });

  it('creates one active subaccount and stores its credentials with the watermark', async () => {
    const event = tenantEvent('tenant.created', 'acme', { at: 1 });
    const create = gateway.create;
    let intentAtCreate: unknown;
    gateway.create = async (...args) => {
      intentAtCreate = ledger.items.get('acme')?.entry.createIntent;
      return create(...args);
    };
    const outcome = await apply(event);
    expect(outcome.kind).toBe('created');
    const [account] = live();
    expect(account?.friendlyName).toBe('tenant:acme');
    const secret = vault.secrets.get('acme')!;
    expect(secret.credentials).toMatchObject({
      accountSid: account?.sid,
      authToken: account?.authToken,
      tenantId: 'acme',
    });
    expect(secret.tags).toMatchObject({
      lifecycle: 'active',
      lastEventId: event.eventId,
      lastEventAt: event.occurredAt,
    });
    expect(stateOf('acme')).toMatchObject({
      lifecycle: 'active',
      accountSid: account?.sid,
      watermark: '2026-11-01T00:01:00.000000000Z',
      appliedAtWatermark: [event.eventId],
      secretRetired: false,
    });
    expect(ledger.items.get('acme')?.entry.version).toBe(1);
    expect(ledger.items.get('acme')?.lease).toBeUndefined();
    expect(gateway.calls).toEqual(['list', 'create']);
    // The describe adopts a tenant provisioned before the ledger.
    expect(vault.calls).toEqual(['describe', 'create']);
    // The intent rides on the lease's write, so it is in the ledger before the create is sent.
    expect(ledger.calls).toEqual(['acquire', 'commit']);
    expect(intentAtCreate).toEqual({ eventId: event.eventId, startedAt: clock });
    expect(ledger.items.get('acme')?.entry.createIntent).toBeUndefined();
  });

  it('leaves no intent behind when it ends without sending a create', async () => {
    const event = tenantEvent('tenant.created', 'acme', { at: 1 });
    await apply(event);
    // A replay takes the lease with an intent, and releases both.
    expect(await apply(event)).toMatchObject({ kind: 'noop' });
    expect(ledger.items.get('acme')?.entry.createIntent).toBeUndefined();
    // A lookup that fails before the create: the retry may create at once, with no settle wait.
    const findByFriendlyName = gateway.findByFriendlyName;
    gateway.findByFriendlyName = async () => {
      throw Object.assign(new Error('Twilio unavailable'), { retryable: true });
    };
    const other = tenantEvent('tenant.created', 'globex', { at: 1 });
    await expect(apply(other)).rejects.toThrow('Twilio unavailable');
    expect(ledger.items.get('globex')?.entry.createIntent).toBeUndefined();
    gateway.findByFriendlyName = findByFriendlyName;
    expect((await apply(other)).kind).toBe('created');
  });

  it('is a no-op on replay', async () => {
    const event = tenantEvent('tenant.created', 'acme', { at: 1 });
    await apply(event);
    gateway.calls = [];
    vault.calls = [];
    ledger.calls = [];
    expect(await apply(event)).toMatchObject({ kind: 'noop', note: 'replay of an applied event' });
    // Only reads: the FriendlyName lookup and the adoption read go out alongside the lease for
    // every created.
    expect(gateway.calls).toEqual(['list']);
    expect(vault.calls).toEqual(['describe']);
    expect(ledger.calls).toEqual(['acquire', 'release']);
    expect(live()).toHaveLength(1);
  });

  it('adopts the subaccount of an attempt that died before storing the secret', async () => {
    await gateway.create('tenant:acme');
    const outcome = await apply(tenantEvent('tenant.created', 'acme', { at: 1 }));
    expect(outcome.accountSid).toBe(live()[0]?.sid);
    expect(live()).toHaveLength(1);
    expect(vault.secrets.get('acme')?.credentials.authToken).toBe(live()[0]?.authToken);
  });

  it('resolves a create whose answer was lost by looking it up, not by creating again', async () => {
    gateway.loseNextCreateAnswer = true;
    const outcome = await apply(tenantEvent('tenant.created', 'acme', { at: 1 }));
    expect(outcome.kind).toBe('created');
    expect(live()).toHaveLength(1);
    expect(gateway.calls).toEqual(['list', 'create', 'list']);
  });

  it('waits out the settle time after an unresolved create before creating again', async () => {
    gateway.dropNextCreate = true;
    const event = tenantEvent('tenant.created', 'acme', { at: 1 });
    await expect(apply(event)).rejects.toBeInstanceOf(UnresolvedCreateError);
    expect(vault.secrets.size).toBe(0);
    expect(ledger.items.get('acme')?.entry.createIntent).toEqual({
      eventId: event.eventId,
      startedAt: clock,
    });
    expect(ledger.items.get('acme')?.lease).toBeUndefined();

    clock += 59_000;
    gateway.calls = [];
    const settling = await apply(event).catch((e: unknown) => e);
    expect(settling).toBeInstanceOf(CreateSettlingError);
    expect((settling as CreateSettlingError).retryable).toBe(true);
    // The lookup that went out with the lease predates it; only the one made under it counts.
    expect(gateway.calls).toEqual(['list', 'list']);

    clock += 2_000;
    ledger.calls = [];
    expect((await apply(event)).kind).toBe('created');
    expect(live()).toHaveLength(1);
    // The settled intent was the first attempt's: this create records one of its own first.
    expect(ledger.calls).toEqual(['acquire', 'intent', 'commit']);
    expect(ledger.items.get('acme')?.entry.createIntent).toBeUndefined();
  });

  it('waits out the settle time after an attempt that died between its lease and its create', async () => {
    const event = tenantEvent('tenant.created', 'acme', { at: 1 });
    // The attempt took the lease with its intent and was killed: no release, no create, no commit.
    const died = await ledger.acquire('acme', 'killed-attempt', clock + 1_000, clock, {
      eventId: event.eventId,
      startedAt: clock,
    });
    expect(died).toMatchObject({ acquired: true, intentRecorded: true });
    clock += 2_000;
    // It may have sent the create just before it died: the redelivery cannot tell, so it waits.
    expect(await apply(event).catch((e: unknown) => e)).toBeInstanceOf(CreateSettlingError);
    expect(gateway.calls).not.toContain('create');
    clock += 60_000;
    expect((await apply(event)).kind).toBe('created');
    expect(live()).toHaveLength(1);
  });

  it('adopts a lost create that becomes visible during the settle time', async () => {
    gateway.loseNextCreateAnswer = true;
    const findByFriendlyName = gateway.findByFriendlyName;
    let lookups = 0;
    // The list lags: the first four lookups miss the account the lost create made.
    gateway.findByFriendlyName = async (name, options) =>
      ++lookups <= 4 ? [] : findByFriendlyName(name, options);
    const event = tenantEvent('tenant.created', 'acme', { at: 1 });
    await expect(apply(event)).rejects.toBeInstanceOf(UnresolvedCreateError);
    await expect(apply(event)).rejects.toBeInstanceOf(CreateSettlingError);
    expect((await apply(event)).kind).toBe('created');
    expect(gateway.accounts.size).toBe(1);
    expect(vault.secrets.get('acme')?.credentials.accountSid).toBe(live()[0]?.sid);
  });

  it("leaves the retired secret retired when the returning customer's create is refused", async () => {
    await apply(tenantEvent('tenant.created', 'acme', { at: 1 }));
    await apply(tenantEvent('tenant.churned', 'acme', { at: 2 }));
    const refusal = Object.assign(new Error('limit reached'), { retryable: false });
    gateway.create = async () => {
      throw refusal;
    };
    await expect(apply(tenantEvent('tenant.created', 'acme', { at: 3 }))).rejects.toBe(refusal);
    expect(vault.secrets.get('acme')?.tags.retired).toBe(true);
    expect(vault.calls).not.toContain('restore');
    expect(stateOf('acme')).toMatchObject({ lifecycle: 'closed', secretRetired: true });
  });

  it('provisions a fresh subaccount for a returning customer and restores the secret', async () => {
    await apply(tenantEvent('tenant.created', 'acme', { at: 1 }));
    await apply(tenantEvent('tenant.churned', 'acme', { at: 2 }));
    const first = [...gateway.accounts.keys()][0];
    expect(vault.secrets.get('acme')?.tags.retired).toBe(true);

    const back = tenantEvent('tenant.created', 'acme', { at: 3 });
    const outcome = await apply(back);
    expect(outcome.kind).toBe('created');
    expect(outcome.accountSid).not.toBe(first);
    expect(live()).toHaveLength(1);
    expect(gateway.accounts.get(first!)?.status).toBe('closed');
    const secret = vault.secrets.get('acme')!;
    expect(secret.tags).toMatchObject({
      retired: false,
      lifecycle: 'active',
      accountSid: outcome.accountSid,
    });
    expect(secret.credentials.accountSid).toBe(outcome.accountSid);
  });

  it('ignores a created older than the churn', async () => {
    await apply(tenantEvent('tenant.created', 'acme', { at: 1 }));
    await apply(tenantEvent('tenant.churned', 'acme', { at: 5 }));
    expect((await apply(tenantEvent('tenant.created', 'acme', { at: 4 }))).kind).toBe('ignored-stale');
    expect(live()).toHaveLength(0);
  });
});

describe('tenant.delinquent and tenant.reinstated', () => {
  beforeEach(async () => {
    await apply(tenantEvent('tenant.created', 'acme', { at: 1 }));
  });

  it('suspends, then reactivates', async () => {
    expect((await apply(tenantEvent('tenant.delinquent', 'acme', { at: 2 }))).kind).toBe('suspended');
    expect(live()[0]?.status).toBe('suspended');
    expect(vault.secrets.get('acme')?.tags.lifecycle).toBe('suspended');
    expect((await apply(tenantEvent('tenant.reinstated', 'acme', { at: 3 }))).kind).toBe('reactivated');
    expect(live()[0]?.status).toBe('active');
  });

  it('treats an already suspended tenant as a no-op that still moves the watermark', async () => {
    await apply(tenantEvent('tenant.delinquent', 'acme', { at: 2 }));
    gateway.calls = [];
    const again = tenantEvent('tenant.delinquent', 'acme', { at: 4 });
    expect((await apply(again)).kind).toBe('noop');
    expect(gateway.calls).toEqual([]);
    expect(stateOf('acme')?.watermark).toBe('2026-11-01T00:04:00.000000000Z');
    expect((await apply(tenantEvent('tenant.reinstated', 'acme', { at: 3 }))).kind).toBe('ignored-stale');
    expect(live()[0]?.status).toBe('suspended');
  });

  it('treats reinstating an active tenant as a no-op', async () => {
    expect((await apply(tenantEvent('tenant.reinstated', 'acme', { at: 2 }))).kind).toBe('noop');
  });

  it('is a logged no-op to suspend a closed tenant, and illegal to reinstate it', async () => {
    await apply(tenantEvent('tenant.churned', 'acme', { at: 2 }));
    const noop = await apply(tenantEvent('tenant.delinquent', 'acme', { at: 3 }));
    expect(noop).toMatchObject({ kind: 'noop', note: 'subaccount is closed' });
    const error = await apply(tenantEvent('tenant.reinstated', 'acme', { at: 4 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect((error as Error).message).toBe('closed subaccounts cannot be reopened');
  });

  it('notices a subaccount closed outside the service', async () => {
    const sid = live()[0]!.sid;
    gateway.accounts.get(sid)!.status = 'closed';
    expect((await apply(tenantEvent('tenant.delinquent', 'acme', { at: 2 }))).note).toBe(
      'subaccount is closed on Twilio',
    );
    expect(vault.secrets.get('acme')?.tags.lifecycle).toBe('closed');
    expect(stateOf('acme')).toMatchObject({ lifecycle: 'closed', secretRetired: false });
  });

  it('retires the secret on the churn of a subaccount closed outside the service', async () => {
    const sid = live()[0]!.sid;
    gateway.accounts.get(sid)!.status = 'closed';
    await apply(tenantEvent('tenant.delinquent', 'acme', { at: 2 }));
    expect((await apply(tenantEvent('tenant.churned', 'acme', { at: 3 }))).kind).toBe('closed');
    expect(vault.secrets.get('acme')?.tags.retired).toBe(true);
  });
});

describe('tenant.churned', () => {
  it('closes the subaccount and retires the secret; a replay is a no-op', async () => {
    await apply(tenantEvent('tenant.created', 'acme', { at: 1 }));
    const churn = tenantEvent('tenant.churned', 'acme', { at: 2 });
    expect((await apply(churn)).kind).toBe('closed');
    expect(live()).toHaveLength(0);
    expect(vault.secrets.get('acme')?.tags).toMatchObject({ lifecycle: 'closed', retired: true });
    expect(vault.calls.slice(-2)).toEqual(['tag', 'delete']);
    vault.calls = [];
    expect((await apply(churn)).kind).toBe('noop');
    expect(vault.calls).toEqual([]);
  });

  it('finishes a churn that died between marking and retiring', async () => {
    await apply(tenantEvent('tenant.created', 'acme', { at: 1 }));
    const churn = tenantEvent('tenant.churned', 'acme', { at: 2 });
    const retire = vault.retire;
    vault.retire = async () => {
      throw Object.assign(new Error('crash'), { retryable: true });
    };
    await expect(apply(churn)).rejects.toThrow('crash');
    vault.retire = retire;
    expect((await apply(churn)).kind).toBe('closed');
    expect(vault.secrets.get('acme')?.tags.retired).toBe(true);
    expect(stateOf('acme')).toMatchObject({ lifecycle: 'closed', secretRetired: true });
  });
});

describe('events for unknown tenants', () => {
  it.each(['tenant.delinquent', 'tenant.reinstated', 'tenant.churned'] as const)(
    '%s is a permanent failure',
    async (type) => {
      const error = await apply(tenantEvent(type, 'ghost')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnknownTenantError);
      expect((error as UnknownTenantError).retryable).toBe(false);
      expect(gateway.calls).toEqual([]);
    },
  );
});

describe("order, against the ledger's watermark", () => {
  beforeEach(async () => {
    await apply(tenantEvent('tenant.created', 'acme', { at: 1 }));
  });

  it('applies a second event at the watermark instant, and ignores a redelivery of the first', async () => {
    const at = '2026-11-01T00:10:00Z';
    const suspend = { ...tenantEvent('tenant.delinquent', 'acme'), eventId: 'A', occurredAt: at };
    const reinstate = { ...tenantEvent('tenant.reinstated', 'acme'), eventId: 'B', occurredAt: at };
    expect((await apply(suspend)).kind).toBe('suspended');
    expect((await apply(reinstate)).kind).toBe('reactivated');
    expect(stateOf('acme')?.appliedAtWatermark).toEqual(['A', 'B']);
    expect(await apply(suspend)).toMatchObject({ kind: 'noop', note: 'replay of an applied event' });
    expect(live()[0]?.status).toBe('active');
  });

  it('compares every fractional digit, whatever the offset', async () => {
    const newer = {
      ...tenantEvent('tenant.delinquent', 'acme'),
      occurredAt: '2026-11-01T01:10:00.0009+01:00',
    };
    const older = { ...tenantEvent('tenant.reinstated', 'acme'), occurredAt: '2026-11-01T00:10:00.0001Z' };
    expect((await apply(newer)).kind).toBe('suspended');
    expect(stateOf('acme')?.watermark).toBe('2026-11-01T00:10:00.000900000Z');
    expect((await apply(older)).kind).toBe('ignored-stale');
    expect(live()[0]?.status).toBe('suspended');
  });

  it('treats 9 fractional digits and 3 as the same instant only when they are', async () => {
    const first = { ...tenantEvent('tenant.delinquent', 'acme'), occurredAt: '2026-11-01T00:10:00.100Z' };
    const same = {
      ...tenantEvent('tenant.reinstated', 'acme'),
      occurredAt: '2026-11-01T00:10:00.100000000Z',
    };
    await apply(first);
    expect((await apply(same)).kind).toBe('reactivated');
    expect(stateOf('acme')?.appliedAtWatermark).toEqual([first.eventId, same.eventId]);
  });

  it('refuses an event from further in the future than the allowed skew, leaving no state', async () => {
    const before = structuredClone(ledger.items.get('acme'));
    const future = { ...tenantEvent('tenant.delinquent', 'acme'), occurredAt: '9999-12-31T00:00:00Z' };
    const error = await apply(future).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventFromFutureError);
    expect(error).toMatchObject({ code: 'EVENT_FROM_FUTURE', retryable: false });
    expect((error as Error).message).toContain('allowed clock skew of 300 s');
    expect(ledger.items.get('acme')).toEqual(before);
    // A real event afterwards still applies: the tenant is not frozen.
    expect((await apply(tenantEvent('tenant.delinquent', 'acme', { at: 5 }))).kind).toBe('suspended');
  });

  it('applies an event inside the allowed skew', async () => {
    const soon = {
      ...tenantEvent('tenant.delinquent', 'acme'),
      occurredAt: new Date(clock + 299_000).toISOString(),
    };
    expect((await apply(soon)).kind).toBe('suspended');
  });
});

describe('the lease', () => {
  beforeEach(async () => {
    await apply(tenantEvent('tenant.created', 'acme', { at: 1 }));
  });

  it('makes a second attempt for a busy tenant retry later, with no Twilio call', async () => {
    const taken = await ledger.acquire('acme', 'someone-else', clock + 30_000, clock);
    expect(taken.acquired).toBe(true);
    gateway.calls = [];
    const error = await apply(tenantEvent('tenant.delinquent', 'acme', { at: 2 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TenantBusyError);
    expect(error).toMatchObject({ code: 'TENANT_BUSY', retryable: true });
    expect(gateway.calls).toEqual([]);
  });

  it("can be taken over once expired, and the first holder's commit is then refused", async () => {
    const first = attempt();
    let resume: () => void = () => {};
    const setStatus = gateway.setStatus;
    gateway.setStatus = async (sid, status, options) => {
      if (status === 'suspended') await new Promise<void>((resolve) => (resume = resolve));
      return setStatus(sid, status, options);
    };
    const slow = apply(tenantEvent('tenant.delinquent', 'acme', { at: 2 }), first).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 1));
    clock = first.leaseExpiresAt + 1;
    gateway.setStatus = setStatus;
    expect((await apply(tenantEvent('tenant.churned', 'acme', { at: 3 }))).kind).toBe('closed');
    resume();
    expect(await slow).toBeInstanceOf(LeaseLostError);
    expect(stateOf('acme')).toMatchObject({ lifecycle: 'closed', secretRetired: true });
    expect(stateOf('acme')?.watermark).toBe('2026-11-01T00:03:00.000000000Z');
  });

  it('is released when the attempt fails, so the redelivery need not wait', async () => {
    gateway.setStatus = async () => {
      throw Object.assign(new Error('Twilio 503'), { retryable: true });
    };
    await expect(apply(tenantEvent('tenant.delinquent', 'acme', { at: 2 }))).rejects.toThrow('Twilio 503');
    expect(ledger.items.get('acme')?.lease).toBeUndefined();
  });
});

describe('tenants provisioned before the ledger', () => {
  it('are committed to the ledger by a replay, which publishes the outcome that never went out', async () => {
    const created = tenantEvent('tenant.created', 'acme', { at: 1 });
    // The attempt dies after its secret writes, before the commit.
    const commit = ledger.commit;
    ledger.commit = async () => {
      throw Object.assign(new Error('killed'), { retryable: true });
    };
    await expect(apply(created)).rejects.toThrow('killed');
    ledger.commit = commit;
    expect(stateOf('acme')).toBeUndefined();
    const outcome = await apply(created);
    expect(outcome).toMatchObject({ kind: 'noop', publish: { type: 'tenant.provisioned' } });
    expect(stateOf('acme')).toMatchObject({ lifecycle: 'active', accountSid: live()[0]?.sid });
    expect(live()).toHaveLength(1);
  });

  it('are committed to the ledger by a stale event too', async () => {
    await apply(tenantEvent('tenant.created', 'acme', { at: 1 }));
    await apply(tenantEvent('tenant.delinquent', 'acme', { at: 5 }));
    ledger.items.clear();
    expect((await apply(tenantEvent('tenant.reinstated', 'acme', { at: 4 }))).kind).toBe('ignored-stale');
    expect(stateOf('acme')).toMatchObject({ lifecycle: 'suspended' });
  });

  it('are adopted from the secret: order and lifecycle carry over', async () => {
    await apply(tenantEvent('tenant.created', 'acme', { at: 1 }));
    await apply(tenantEvent('tenant.delinquent', 'acme', { at: 5 }));
    ledger.items.clear();
    expect((await apply(tenantEvent('tenant.reinstated', 'acme', { at: 4 }))).kind).toBe('ignored-stale');
    expect((await apply(tenantEvent('tenant.reinstated', 'acme', { at: 6 }))).kind).toBe('reactivated');
    expect(stateOf('acme')).toMatchObject({ lifecycle: 'active', accountSid: live()[0]?.sid });
  });
});
