/**
 * The tenant's lifecycle state lives in the secret's tags, not its value: DescribeSecret returns
 * tags even while a secret is scheduled for deletion, when its value can no longer be read, so a
 * returning customer's `tenant.created` can still be compared with the churn that retired it.
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DescribeSecret.html
 */
import type { Tag } from '@aws-sdk/client-secrets-manager';
import {
  type EventMark,
  SUBACCOUNT_STATUSES,
  type SubaccountStatus,
  type TenantRecord,
} from '../domain/ports.ts';

export const TAG = {
  managedBy: 'managed-by',
  tenantId: 'tenant-id',
  accountSid: 'account-sid',
  friendlyName: 'friendly-name',
  lifecycle: 'lifecycle',
  lastEventId: 'last-event-id',
  lastEventAt: 'last-event-at',
} as const;

export const MANAGED_BY = 'subaccount-provisioner';

const LIFECYCLES: readonly SubaccountStatus[] = SUBACCOUNT_STATUSES;
const REQUIRED = [TAG.tenantId, TAG.accountSid, TAG.lifecycle, TAG.lastEventId, TAG.lastEventAt] as const;

export const markTags = (mark: EventMark): Tag[] => [
  { Key: TAG.lifecycle, Value: mark.lifecycle },
  { Key: TAG.lastEventId, Value: mark.lastEventId },
  { Key: TAG.lastEventAt, Value: mark.lastEventAt },
  ...(mark.accountSid === undefined ? [] : [{ Key: TAG.accountSid, Value: mark.accountSid }]),
];

export const identityTags = (tenantId: string, friendlyName: string): Tag[] => [
  { Key: TAG.managedBy, Value: MANAGED_BY },
  { Key: TAG.tenantId, Value: tenantId },
  { Key: TAG.friendlyName, Value: friendlyName },
];

export type ParsedTags = { record: Omit<TenantRecord, 'retired'> } | { missing: string[] };

export const parseTenantTags = (tags: readonly Tag[] | undefined): ParsedTags => {
  const byKey = new Map((tags ?? []).map((tag) => [tag.Key, tag.Value ?? '']));
  const missing = REQUIRED.filter((key) => !byKey.get(key));
  const lifecycle = byKey.get(TAG.lifecycle) as SubaccountStatus;
  if (byKey.has(TAG.lifecycle) && !LIFECYCLES.includes(lifecycle)) missing.push(TAG.lifecycle);
  if (missing.length > 0) return { missing };
  return {
    record: {
      tenantId: byKey.get(TAG.tenantId)!,
      accountSid: byKey.get(TAG.accountSid)!,
      friendlyName: byKey.get(TAG.friendlyName) ?? '',
      lifecycle,
      lastEventId: byKey.get(TAG.lastEventId)!,
      lastEventAt: byKey.get(TAG.lastEventAt)!,
    },
  };
};
