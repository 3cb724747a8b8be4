import { beforeEach, describe, expect, it } from 'vitest';
import { applyTenantEvent, type LifecycleDependencies } from '../../../shared/domain/apply-tenant-event.ts';
import {
  IllegalTransitionError,
  UnknownTenantError,
  UnresolvedCreateError,
} from '../../../shared/domain/errors.ts';
import { createFriendlyNameCodec } from '../../../shared/domain/friendly-name.ts';
import { tenantEvent } from '../../helpers/events.ts';
import {
  type InMemoryGateway,
  type InMemoryVault,
  inMemoryGateway,
  inMemoryVault,
} from '../../helpers/in-memory-lifecycle.ts';

let gateway: InMemoryGateway;
let vault: InMemoryVault;
let deps: LifecycleDependencies;

beforeEach(() => {
  gateway = inMemoryGateway();
  vault = inMemoryVault();
  deps = { gateway, vault, friendlyNames: createFriendlyNameCodec(), recoveryWindowDays: 30 };
});

const apply = (event: ReturnType<typeof tenantEvent>) => applyTenantEvent(event, deps);
const live = () => [...gateway.accounts.values()].filter((a) => a.status !== 'closed');

describe('tenant.created', () => {
  it('looks the subaccount up while it reads the watermark, not after', async () => {
    let describeStarted = false;
    let lookupStartedBeforeDescribeEnded = false;
    const describeSecret = vault.describe;
    vault.describe = async (tenantId) => {
      describeStarted = true;
      await new Promise((resolve) => setTimeout(resolve, 5));
      lookupStartedBeforeDescribeEnded = gateway.calls.includes('list');
      return describeSecret(tenantId);
    };
    await apply(tenantEvent('tenant.created', 'parallel', { at: 1 }));
    expect(describeStarted).toBe(true);
    expect(lookupStartedBeforeDescribeEnded).toBe(true);
    expect(gateway.calls).toEqual(['list', 'create']);
  });

  it('creates one active subaccount and stores its credentials with the watermark', async () => {
    const event = tenantEvent('tenant.created', 'acme', { at: 1 });
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
    expect(gateway.calls).toEqual(['list', 'create']);
    expect(vault.calls).toEqual(['describe', 'create']);
  });

  it('is a no-op on replay', async () => {
    const event = tenantEvent('tenant.created', 'acme', { at: 1 });
    await apply(event);
    gateway.calls = [];
    vault.calls = [];
    expect((await apply(event)).kind).toBe('noop');
    // Only reads: the FriendlyName lookup goes out alongside the watermark read for every created.
    expect(gateway.calls).toEqual(['list']);
    expect(vault.calls).toEqual(['describe']);
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

  it('hands an unresolved ambiguous create back for retry, and the retry creates exactly one', async () => {
    gateway.dropNextCreate = true;
    const event = tenantEvent('tenant.created', 'acme', { at: 1 });
    await expect(apply(event)).rejects.toBeInstanceOf(UnresolvedCreateError);
    expect(vault.secrets.size).toBe(0);
    expect((await apply(event)).kind).toBe('created');
    expect(live()).toHaveLength(1);
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
    expect(vault.secrets.get('acme')?.tags.lastEventAt).toBe(again.occurredAt);
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
  });
});

describe('tenant.churned', () => {
  it('closes the subaccount and retires the secret; a replay is a no-op', async () => {
    await apply(tenantEvent('tenant.created', 'acme', { at: 1 }));
    const churn = tenantEvent('tenant.churned', 'acme', { at: 2 });
    expect((await apply(churn)).kind).toBe('closed');
    expect(live()).toHaveLength(0);
    expect(vault.secrets.get('acme')?.tags).toMatchObject({ lifecycle: 'closed', retired: true });
    expect(vault.calls.slice(-3)).toEqual(['describe', 'tag', 'delete']);
    vault.calls = [];
    expect((await apply(churn)).kind).toBe('noop');
    expect(vault.calls).toEqual(['describe']);
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
    gateway.calls = [];
    expect((await apply(churn)).kind).toBe('closed');
    expect(gateway.calls).toEqual([]);
    expect(vault.secrets.get('acme')?.tags.retired).toBe(true);
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
