/**
 * A tenant's Standard API key, exactly once. Twilio shows a key's secret only in its create
 * answer, so a key whose secret was never stored (the answer was lost, or the process died before
 * the secret write) can never be used: it is deleted, and a new one created. Keys of this service
 * carry a FriendlyName derived from the tenant, so they can be told from keys made by hand.
 * https://www.twilio.com/docs/iam/api-keys
 */
import { CreateOutcomeUnknownError, KeyCreateUnresolvedError } from './errors.ts';
import type { ApiKeyGateway, CreatedApiKey, GatewayCallOptions, TenantCredentials } from './ports.ts';

/** The FriendlyName of the tenant's key on its own subaccount (at most 60 characters). */
export const apiKeyFriendlyName = (tenantId: string): string => `provisioner:${tenantId}`;

export interface StoredKey {
  readonly sid: string;
  /** Secret. Never log it. */
  readonly secret: string;
}

/** The key the stored credentials hold for this subaccount, if any. */
export const storedKeyOf = (
  stored: TenantCredentials | undefined,
  accountSid: string,
): StoredKey | undefined =>
  stored?.accountSid === accountSid && stored.apiKeySid !== undefined && stored.apiKeySecret !== undefined
    ? { sid: stored.apiKeySid, secret: stored.apiKeySecret }
    : undefined;

/** Deletes every key of this service on the subaccount but `keep`: their secrets are nowhere. */
export const deleteOrphanKeys = async (
  keys: ApiKeyGateway,
  accountSid: string,
  tenantId: string,
  keep: string | undefined,
  call: GatewayCallOptions,
): Promise<void> => {
  const ours = await keys.findKeys(accountSid, apiKeyFriendlyName(tenantId), call);
  for (const key of ours) if (key.sid !== keep) await keys.deleteKey(accountSid, key.sid, call);
};

/**
 * A new key, after every orphan is gone, so the tenant never has two live keys of this service
 * but for the moment a rotation overlaps old and new. A create with no answer leaves a key whose
 * secret is lost: the next attempt deletes it and creates again.
 */
export const createKey = async (
  keys: ApiKeyGateway,
  accountSid: string,
  tenantId: string,
  keep: string | undefined,
  call: GatewayCallOptions,
): Promise<CreatedApiKey> => {
  await deleteOrphanKeys(keys, accountSid, tenantId, keep, call);
  try {
    return await keys.createKey(accountSid, apiKeyFriendlyName(tenantId), call);
  } catch (error) {
    if (error instanceof CreateOutcomeUnknownError) throw new KeyCreateUnresolvedError(tenantId, error);
    throw error;
  }
};
