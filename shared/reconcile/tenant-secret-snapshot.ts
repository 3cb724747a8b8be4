/**
 * Reads a tenant secret's metadata (a DescribeSecret answer or a ListSecrets entry: both carry
 * Name, Tags and DeletedDate, never the value) into what the drift check and `tenants status` use.
 */
import type { Tag } from '@aws-sdk/client-secrets-manager';
import { parseTenantTags } from '../secrets/tenant-tags.ts';
import type { TenantSecretSnapshot, UnmanagedSecret } from './types.ts';

export interface SecretMetadata {
  readonly Name?: string | undefined;
  readonly Tags?: Tag[] | undefined;
  readonly DeletedDate?: Date | undefined;
}

export const toTenantSecretSnapshot = (
  metadata: SecretMetadata,
): { secret: TenantSecretSnapshot } | { unmanaged: UnmanagedSecret } => {
  const secretName = metadata.Name ?? '';
  const parsed = parseTenantTags(metadata.Tags);
  if ('missing' in parsed) return { unmanaged: { secretName, missingTags: parsed.missing } };
  const retired = metadata.DeletedDate !== undefined;
  return {
    secret: {
      ...parsed.record,
      secretName,
      retired,
      ...(retired ? { deletedDate: metadata.DeletedDate } : {}),
    },
  };
};
