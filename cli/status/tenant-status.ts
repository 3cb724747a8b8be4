/**
 * What `tenants status` knows about a tenant: Twilio's view (fetched live) next to the service's
 * (the secret's tags). The auth token is read only when asked for, and only from a live secret.
 */
import { DescribeSecretCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { FriendlyNameCodec } from '../../shared/domain/friendly-name.ts';
import { listSubaccounts } from '../../shared/reconcile/list-subaccounts.ts';
import { listTenantSecrets } from '../../shared/reconcile/list-tenant-secrets.ts';
import { toTenantSecretSnapshot } from '../../shared/reconcile/tenant-secret-snapshot.ts';
import type {
  SubaccountSnapshot,
  TenantSecretSnapshot,
  UnmanagedSecret,
} from '../../shared/reconcile/types.ts';
import { SecretsManagerCallError } from '../../shared/secrets/errors.ts';
import { tenantSecretName } from '../../shared/secrets/tenant-vault.ts';
import { TwilioNotFoundError } from '../../shared/twilio/errors.ts';
import { createTwilioSubaccountGateway } from '../../shared/twilio/subaccount-gateway.ts';
import type { AccountStatus, TwilioAccountsApi } from '../../shared/twilio/types.ts';

const DAY_MS = 86_400_000;

export type SecretState = 'stored' | 'retired' | 'absent' | 'unmanaged';

export interface TenantStatus {
  readonly tenantId: string;
  readonly accountSid?: string;
  /** `missing`: the secret points to a SID Twilio does not know; `unknown`: no subaccount found. */
  readonly twilioStatus: AccountStatus | 'missing' | 'unknown';
  readonly secret: SecretState;
  readonly lifecycle?: string;
  readonly retiredAt?: string;
  /** retiredAt + the recovery window: when Secrets Manager deletes the secret for good. */
  readonly deletionAfter?: string;
  readonly lastEventId?: string;
  readonly lastEventAt?: string;
}

export interface StatusSources {
  readonly twilio: TwilioAccountsApi;
  readonly secretsClient: SecretsManagerClient;
  readonly secretPrefix: string;
  readonly codec: FriendlyNameCodec;
  readonly recoveryWindowDays: number;
}

const fromSecret = (
  secret: TenantSecretSnapshot,
  twilioStatus: TenantStatus['twilioStatus'],
  recoveryWindowDays: number,
): TenantStatus => ({
  tenantId: secret.tenantId,
  accountSid: secret.accountSid,
  twilioStatus,
  secret: secret.retired ? 'retired' : 'stored',
  lifecycle: secret.lifecycle,
  lastEventId: secret.lastEventId,
  lastEventAt: secret.lastEventAt,
  ...(secret.deletedDate === undefined
    ? {}
    : {
        retiredAt: secret.deletedDate.toISOString(),
        deletionAfter: new Date(secret.deletedDate.getTime() + recoveryWindowDays * DAY_MS).toISOString(),
      }),
});

const fromUnmanaged = (unmanaged: UnmanagedSecret, prefix: string): TenantStatus => ({
  tenantId: unmanaged.secretName.slice(prefix.length + 1),
  twilioStatus: 'unknown',
  secret: 'unmanaged',
});

const describeSecret = async (
  sources: StatusSources,
  tenantId: string,
): Promise<ReturnType<typeof toTenantSecretSnapshot> | undefined> => {
  const name = tenantSecretName(sources.secretPrefix, tenantId);
  try {
    return toTenantSecretSnapshot(
      await sources.secretsClient.send(new DescribeSecretCommand({ SecretId: name })),
    );
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
    throw new SecretsManagerCallError('DescribeSecret', name, error);
  }
};

const fetchStatus = async (twilio: TwilioAccountsApi, sid: string): Promise<TenantStatus['twilioStatus']> => {
  try {
    return (await twilio.fetchAccount(sid)).status;
  } catch (error) {
    if (error instanceof TwilioNotFoundError) return 'missing';
    throw error;
  }
};

/** Without a secret, the subaccount is found by its FriendlyName: the newest open one wins. */
const findByFriendlyName = async (
  sources: StatusSources,
  tenantId: string,
): Promise<SubaccountSnapshot | undefined> => {
  const found = await createTwilioSubaccountGateway(sources.twilio).findByFriendlyName(
    sources.codec.encode(tenantId),
  );
  const account = found.findLast((candidate) => candidate.status !== 'closed') ?? found.at(-1);
  return account === undefined
    ? undefined
    : { sid: account.sid, friendlyName: account.friendlyName, status: account.status };
};

export const tenantStatus = async (sources: StatusSources, tenantId: string): Promise<TenantStatus> => {
  const described = await describeSecret(sources, tenantId);
  if (described !== undefined && 'secret' in described) {
    const status = await fetchStatus(sources.twilio, described.secret.accountSid);
    return fromSecret(described.secret, status, sources.recoveryWindowDays);
  }
  const subaccount = await findByFriendlyName(sources, tenantId);
  return {
    tenantId,
    ...(subaccount === undefined ? {} : { accountSid: subaccount.sid }),
    twilioStatus: subaccount?.status ?? 'unknown',
    secret: described === undefined ? 'absent' : 'unmanaged',
  };
};

export const allTenantStatuses = async (sources: StatusSources): Promise<TenantStatus[]> => {
  const [subaccounts, listing] = await Promise.all([
    listSubaccounts(sources.twilio),
    listTenantSecrets(sources.secretsClient, sources.secretPrefix),
  ]);
  const statusOf = new Map(subaccounts.map((subaccount) => [subaccount.sid, subaccount.status]));
  return [
    ...listing.secrets.map((secret) =>
      fromSecret(secret, statusOf.get(secret.accountSid) ?? 'missing', sources.recoveryWindowDays),
    ),
    ...listing.unmanaged.map((unmanaged) => fromUnmanaged(unmanaged, sources.secretPrefix)),
  ].sort((a, b) => a.tenantId.localeCompare(b.tenantId));
};
