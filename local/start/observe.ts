/**
 * The final state of each tenant, read from the systems themselves: the tenant's secret
 * (DescribeSecret + GetSecretValue), its subaccounts on Twilio (as the main account) and its
 * dead-lettered messages. Nothing here looks at what the events were supposed to do.
 */
import { createFriendlyNameCodec, type FriendlyNameCodec } from '../../shared/domain/friendly-name.ts';
import type { CredentialVault } from '../../shared/domain/ports.ts';
import { createParentCredentialsSource } from '../../shared/secrets/parent-credentials.ts';
import { createSecretsManagerVault } from '../../shared/secrets/tenant-vault.ts';
import {
  type AccountStatus,
  createTwilioAccountsClient,
  type TwilioAccount,
  type TwilioAccountsApi,
} from '../../shared/twilio/index.ts';
import type { DeadLetter } from './dead-letters.ts';
import type { Target } from './target.ts';
import { storedTokenIsValid } from './token-check.ts';

export interface ObservedTenant {
  /** `null` for a dead-lettered message whose tenant cannot be read. */
  readonly tenantId: string | null;
  readonly accountSid: string | null;
  /** The current subaccount's status on Twilio. */
  readonly status: AccountStatus | null;
  /** A live secret (not scheduled for deletion) holds credentials. */
  readonly secretStored: boolean;
  /** `null` when there is no live secret to check. */
  readonly tokenValid: boolean | null;
  readonly deadLetters: readonly DeadLetter[];
  /** Subaccounts on Twilio with the tenant's FriendlyName, any status. */
  readonly subaccounts: number;
}

interface Readers {
  readonly vault: CredentialVault;
  readonly owner: TwilioAccountsApi;
  readonly friendlyNames: FriendlyNameCodec;
  readonly twilioBaseUrl: string;
}

const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
};

const newest = (accounts: readonly TwilioAccount[]): TwilioAccount | undefined =>
  [...accounts].sort((a, b) => a.dateCreated.getTime() - b.dateCreated.getTime()).at(-1);

const observeTenant = async (
  readers: Readers,
  tenantId: string,
  deadLetters: readonly DeadLetter[],
): Promise<ObservedTenant> => {
  const record = await readers.vault.describe(tenantId);
  const credentials = record?.retired === false ? await readers.vault.readCredentials(tenantId) : undefined;
  const accounts = await collect(
    readers.owner.listAccounts({ friendlyName: readers.friendlyNames.encode(tenantId) }),
  );
  // The secret names the current subaccount; without one, the newest subaccount is the tenant's.
  const accountSid = credentials?.accountSid ?? record?.accountSid ?? newest(accounts)?.sid;
  const account =
    accountSid === undefined
      ? undefined
      : (accounts.find((candidate) => candidate.sid === accountSid) ??
        (await readers.owner.fetchAccount(accountSid)));
  return {
    tenantId,
    accountSid: accountSid ?? null,
    status: account?.status ?? null,
    secretStored: credentials !== undefined,
    tokenValid:
      credentials === undefined
        ? null
        : await storedTokenIsValid(readers.twilioBaseUrl, credentials, account),
    deadLetters,
    subaccounts: accounts.length,
  };
};

const unattributed = (deadLetter: DeadLetter): ObservedTenant => ({
  tenantId: null,
  accountSid: null,
  status: null,
  secretStored: false,
  tokenValid: null,
  deadLetters: [deadLetter],
  subaccounts: 0,
});

const readersFor = (target: Target): Readers => ({
  vault: createSecretsManagerVault({ client: target.secretsClient, prefix: target.secretPrefix }),
  owner: createTwilioAccountsClient({
    credentials: createParentCredentialsSource({
      client: target.secretsClient,
      secretId: target.parentCredentialsSecret,
      ttlMs: 60_000,
    }),
    baseUrl: target.twilioBaseUrl,
  }),
  friendlyNames: createFriendlyNameCodec(target.friendlyNameTemplate),
  twilioBaseUrl: target.twilioBaseUrl,
});

/**
 * One row per tenant of `tenantIds` (in that order), then one per other tenant found in the DLQ,
 * then one per dead-lettered message with no readable tenant.
 */
export const observeTenants = async (
  target: Target,
  tenantIds: readonly string[],
  deadLetters: readonly DeadLetter[],
): Promise<ObservedTenant[]> => {
  const readers = readersFor(target);
  const named = [...new Set([...tenantIds, ...deadLetters.flatMap((entry) => entry.tenantId ?? [])])];
  const rows: ObservedTenant[] = [];
  // One tenant at a time: a handful of calls each, and gentle on Twilio's rate limits with --real.
  for (const tenantId of named) {
    const own = deadLetters.filter((entry) => entry.tenantId === tenantId);
    rows.push(await observeTenant(readers, tenantId, own));
  }
  return [...rows, ...deadLetters.filter((entry) => entry.tenantId === undefined).map(unattributed)];
};
