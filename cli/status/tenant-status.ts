/**
 * What `tenants status` knows about a tenant: Twilio's view (fetched live) next to the service's:
 * the tenant ledger (lifecycle, watermark, a scheduled close, the API key's SID) and the secret's
 * tags. The auth token and the API key secret are read only when asked for, and only from a live
 * secret; the ledger never holds either.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeSecretCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { FriendlyNameCodec } from '../../shared/domain/friendly-name.ts';
import type { LedgerEntry, TenantLedger } from '../../shared/domain/ports.ts';
import { stateOf, type TenantState } from '../../shared/domain/transitions.ts';
import { scanLedger } from '../../shared/ledger/scan-ledger.ts';
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

/** The tenant ledger's view of a provisioned tenant (the authority for lifecycle and order). */
export interface LedgerView {
  /** `closing`: churned, suspended, and closed at `closeDueAt` unless reinstated first. */
  readonly state: Exclude<TenantState, 'absent'>;
  /** The canonical instant of the last applied event: older events are ignored. */
  readonly watermark: string;
  readonly closeDueAt?: string;
}

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
  /** Absent when the ledger has not recorded the tenant (never provisioned, or from before it). */
  readonly ledger?: LedgerView;
  /** The tenant's API key (its SID only), when its credentials include one and it is not closed. */
  readonly apiKeySid?: string;
}

export interface StatusLedger {
  readonly port: TenantLedger;
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

export interface StatusSources {
  readonly twilio: TwilioAccountsApi;
  readonly secretsClient: SecretsManagerClient;
  readonly secretPrefix: string;
  readonly codec: FriendlyNameCodec;
  readonly recoveryWindowDays: number;
  readonly ledger: StatusLedger;
}

/** The ledger part of a status: nothing for an entry without state (a tenant never provisioned). */
const ledgerPart = (entry: LedgerEntry | undefined): Pick<TenantStatus, 'ledger' | 'apiKeySid'> => {
  const state = entry?.state;
  if (state === undefined) return {};
  const view = stateOf(state);
  if (view === 'absent') return {};
  return {
    ledger: {
      state: view,
      watermark: state.watermark,
      ...(view === 'closing' && state.closeDueAt !== undefined ? { closeDueAt: state.closeDueAt } : {}),
    },
    ...(state.apiKeySid !== undefined && view !== 'closed' ? { apiKeySid: state.apiKeySid } : {}),
  };
};

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
  const [described, entry] = await Promise.all([
    describeSecret(sources, tenantId),
    sources.ledger.port.read(tenantId),
  ]);
  const ledger = ledgerPart(entry);
  if (described !== undefined && 'secret' in described) {
    const status = await fetchStatus(sources.twilio, described.secret.accountSid);
    return { ...fromSecret(described.secret, status, sources.recoveryWindowDays), ...ledger };
  }
  const secret: SecretState = described === undefined ? 'absent' : 'unmanaged';
  // No secret of ours: the ledger names the subaccount, else Twilio finds it by its FriendlyName.
  const recordedSid = entry?.state?.accountSid;
  if (recordedSid !== undefined) {
    return {
      tenantId,
      accountSid: recordedSid,
      twilioStatus: await fetchStatus(sources.twilio, recordedSid),
      secret,
      ...ledger,
    };
  }
  const subaccount = await findByFriendlyName(sources, tenantId);
  return {
    tenantId,
    ...(subaccount === undefined ? {} : { accountSid: subaccount.sid }),
    twilioStatus: subaccount?.status ?? 'unknown',
    secret,
  };
};

/**
 * Every tenant under the secret prefix, and every tenant the ledger has provisioned whose secret
 * is gone (deleted for good, or by hand), by tenantId.
 */
export const allTenantStatuses = async (sources: StatusSources): Promise<TenantStatus[]> => {
  const [subaccounts, listing, entries] = await Promise.all([
    listSubaccounts(sources.twilio),
    listTenantSecrets(sources.secretsClient, sources.secretPrefix),
    scanLedger(sources.ledger.client, sources.ledger.tableName),
  ]);
  const statusOf = new Map(subaccounts.map((subaccount) => [subaccount.sid, subaccount.status]));
  const entryOf = new Map(entries.map((entry) => [entry.tenantId, entry]));
  const statuses = [
    ...listing.secrets.map((secret) => ({
      ...fromSecret(secret, statusOf.get(secret.accountSid) ?? 'missing', sources.recoveryWindowDays),
      ...ledgerPart(entryOf.get(secret.tenantId)),
    })),
    ...listing.unmanaged.map((unmanaged) => {
      const status = fromUnmanaged(unmanaged, sources.secretPrefix);
      return { ...status, ...ledgerPart(entryOf.get(status.tenantId)) };
    }),
  ];
  const listed = new Set(statuses.map((status) => status.tenantId));
  for (const entry of entries) {
    const accountSid = entry.state?.accountSid;
    if (listed.has(entry.tenantId) || accountSid === undefined) continue;
    statuses.push({
      tenantId: entry.tenantId,
      accountSid,
      twilioStatus: statusOf.get(accountSid) ?? 'missing',
      secret: 'absent',
      ...ledgerPart(entry),
    });
  }
  return statuses.sort((a, b) => a.tenantId.localeCompare(b.tenantId));
};
