/** The drift rules, one case per finding kind, plus the states that must stay silent. */
import { describe, expect, it } from 'vitest';
import { createFriendlyNameCodec } from '../../../../shared/domain/friendly-name.ts';
import { findDrift } from '../../../../shared/reconcile/find-drift.ts';
import type { SubaccountSnapshot, TenantSecretSnapshot } from '../../../../shared/reconcile/types.ts';

const codec = createFriendlyNameCodec();
let sidCounter = 0;
const newSid = () => `AC${(++sidCounter).toString(16).padStart(32, '0')}`;

const subaccount = (tenantId: string, overrides: Partial<SubaccountSnapshot> = {}): SubaccountSnapshot => ({
  sid: newSid(),
  friendlyName: codec.encode(tenantId),
  status: 'active',
  ...overrides,
});

const secretFor = (
  tenantId: string,
  account: SubaccountSnapshot,
  overrides: Partial<TenantSecretSnapshot> = {},
): TenantSecretSnapshot => ({
  tenantId,
  accountSid: account.sid,
  friendlyName: codec.encode(tenantId),
  lifecycle: account.status,
  lastEventId: `evt-${tenantId}`,
  lastEventAt: '2026-11-01T00:00:00.000Z',
  retired: false,
  secretName: `tenants/${tenantId}`,
  ...overrides,
});

describe('findDrift', () => {
  it('reports nothing when every subaccount has its matching live secret', () => {
    const active = subaccount('acme');
    const suspended = subaccount('globex', { status: 'suspended' });
    const result = findDrift(
      [active, suspended],
      [secretFor('acme', active), secretFor('globex', suspended)],
      codec,
    );
    expect(result).toEqual({ findings: [], ignoredSubaccounts: 0 });
  });

  it('treats a retired secret of a closed subaccount as the normal end of a tenant', () => {
    const closed = subaccount('gone', { status: 'closed' });
    const result = findDrift([closed], [secretFor('gone', closed, { retired: true })], codec);
    expect(result.findings).toEqual([]);
  });

  it('ignores closed subaccounts of ours whose secret is already deleted for good', () => {
    expect(findDrift([subaccount('old', { status: 'closed' })], [], codec).findings).toEqual([]);
  });

  it('reports a non-closed subaccount of ours that no live secret points to', () => {
    const orphan = subaccount('orphan', { status: 'suspended' });
    const { findings } = findDrift([orphan], [], codec);
    expect(findings).toEqual([
      {
        kind: 'subaccount-without-secret',
        tenantId: 'orphan',
        accountSid: orphan.sid,
        detail: expect.stringContaining('no secret'),
      },
    ]);
  });

  it('reports a duplicate subaccount when the tenant secret points to another one', () => {
    const kept = subaccount('acme');
    const duplicate = subaccount('acme');
    const { findings } = findDrift([kept, duplicate], [secretFor('acme', kept)], codec);
    expect(findings.map((f) => [f.kind, f.accountSid])).toEqual([
      ['subaccount-without-secret', duplicate.sid],
    ]);
    expect(findings[0]?.detail).toContain(kept.sid);
  });

  it('reports a live secret whose subaccount is closed on Twilio, once', () => {
    const closed = subaccount('churned', { status: 'closed' });
    const { findings } = findDrift([closed], [secretFor('churned', closed, { lifecycle: 'active' })], codec);
    expect(findings.map((f) => f.kind)).toEqual(['secret-subaccount-closed']);
    expect(findings[0]).toMatchObject({ tenantId: 'churned', accountSid: closed.sid });
  });

  it('reports a secret (live or retired) whose subaccount Twilio does not list', () => {
    const vanished = subaccount('vanished');
    const retiredVanished = subaccount('retired-vanished', { status: 'closed' });
    const { findings } = findDrift(
      [],
      [secretFor('vanished', vanished), secretFor('retired-vanished', retiredVanished, { retired: true })],
      codec,
    );
    expect(findings.map((f) => [f.kind, f.tenantId])).toEqual([
      ['secret-subaccount-missing', 'retired-vanished'],
      ['secret-subaccount-missing', 'vanished'],
    ]);
  });

  it('reports a lifecycle tag that differs from the Twilio status', () => {
    const account = subaccount('late', { status: 'suspended' });
    const { findings } = findDrift([account], [secretFor('late', account, { lifecycle: 'active' })], codec);
    expect(findings).toEqual([
      {
        kind: 'status-mismatch',
        tenantId: 'late',
        accountSid: account.sid,
        detail: 'secret lifecycle tag is "active" but Twilio status is "suspended"',
      },
    ]);
  });

  it('reports a retired secret of a subaccount that is still open as a mismatch and an orphan', () => {
    const account = subaccount('half-churned');
    const { findings } = findDrift(
      [account],
      [secretFor('half-churned', account, { lifecycle: 'closed', retired: true })],
      codec,
    );
    expect(findings.map((f) => f.kind)).toEqual(['subaccount-without-secret', 'status-mismatch']);
  });

  it('reports a FriendlyName that is not the encoding of the tenant id', () => {
    const renamed = subaccount('acme', { friendlyName: 'Acme Corp (renamed by hand)' });
    const { findings, ignoredSubaccounts } = findDrift([renamed], [secretFor('acme', renamed)], codec);
    expect(findings).toEqual([
      {
        kind: 'friendly-name-mismatch',
        tenantId: 'acme',
        accountSid: renamed.sid,
        detail: 'Twilio FriendlyName is "Acme Corp (renamed by hand)", expected "tenant:acme"',
      },
    ]);
    // Ours by its secret, so not counted among the foreign ones.
    expect(ignoredSubaccounts).toBe(0);
  });

  it('uses the configured template both ways', () => {
    const custom = createFriendlyNameCodec('{tenantId} @prod');
    const account = subaccount('acme', { friendlyName: 'acme @prod' });
    const orphan = subaccount('x', { friendlyName: 'orphan @prod' });
    const { findings } = findDrift([account, orphan], [secretFor('acme', account)], custom);
    expect(findings.map((f) => [f.kind, f.tenantId])).toEqual([['subaccount-without-secret', 'orphan']]);
  });

  it('ignores subaccounts whose FriendlyName is not ours, and counts them', () => {
    const foreign = [
      subaccount('x', { friendlyName: 'Marketing sandbox' }),
      subaccount('y', { friendlyName: 'legacy', status: 'closed' }),
    ];
    expect(findDrift(foreign, [], codec)).toEqual({ findings: [], ignoredSubaccounts: 2 });
  });

  it('orders findings by kind, then tenant', () => {
    const a = subaccount('b-tenant', { status: 'suspended' });
    const b = subaccount('a-tenant', { status: 'suspended' });
    const { findings } = findDrift(
      [a, b],
      [secretFor('b-tenant', a, { lifecycle: 'active' }), secretFor('a-tenant', b, { lifecycle: 'active' })],
      codec,
    );
    expect(findings.map((f) => f.tenantId)).toEqual(['a-tenant', 'b-tenant']);
  });
});
