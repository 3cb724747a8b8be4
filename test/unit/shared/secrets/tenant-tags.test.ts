/** The secret's tags: what they mirror of the ledger, and how a pre-ledger tenant is read back. */
import { describe, expect, it } from 'vitest';
import {
  identityTags,
  MANAGED_BY,
  markTags,
  parseTenantTags,
  TAG,
} from '../../../../shared/secrets/tenant-tags.ts';

const sid = `AC${'a'.repeat(32)}`;

describe('tenant secret tags', () => {
  it('round-trip an identity and a mark', () => {
    const tags = [
      ...identityTags('acme', 'tenant:acme'),
      ...markTags({
        lifecycle: 'suspended',
        lastEventId: 'evt-2',
        lastEventAt: '2026-11-01T00:02:00Z',
        accountSid: sid,
      }),
    ];
    expect(tags).toContainEqual({ Key: TAG.managedBy, Value: MANAGED_BY });
    expect(parseTenantTags(tags)).toEqual({
      record: {
        tenantId: 'acme',
        accountSid: sid,
        friendlyName: 'tenant:acme',
        lifecycle: 'suspended',
        lastEventId: 'evt-2',
        lastEventAt: '2026-11-01T00:02:00Z',
      },
    });
  });

  it('names every missing or malformed tag of a secret this service did not write', () => {
    expect(
      parseTenantTags([
        { Key: TAG.tenantId, Value: 'acme' },
        { Key: TAG.lifecycle, Value: 'paused' },
      ]),
    ).toEqual({
      missing: [TAG.accountSid, TAG.lastEventId, TAG.lastEventAt, TAG.lifecycle],
    });
    expect(parseTenantTags(undefined)).toEqual({
      missing: [TAG.tenantId, TAG.accountSid, TAG.lifecycle, TAG.lastEventId, TAG.lastEventAt],
    });
  });

  it('leaves the account tag alone when a mark carries no account', () => {
    const tags = markTags({ lifecycle: 'closed', lastEventId: 'e', lastEventAt: '2026-11-01T00:00:00Z' });
    expect(tags.map((tag) => tag.Key)).toEqual([TAG.lifecycle, TAG.lastEventId, TAG.lastEventAt]);
  });
});
