/**
 * One drift check: reads the three sides (in parallel: they are independent) and compares them.
 * Shared by the scheduled function and `tenants reconcile`. With `repair`, tenants that have a
 * secret but no ledger item (provisioned before the ledger, or the item lost) get one rebuilt
 * from the secret and Twilio, with a conditional write that never overwrites a ledger state.
 * Nothing is ever deleted: subaccounts no tenant owns are only reported.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { FriendlyNameCodec } from '../domain/friendly-name.ts';
import { canonicalInstant } from '../domain/instant.ts';
import type { LedgerState, TenantLedger } from '../domain/ports.ts';
import { scanLedger } from '../ledger/scan-ledger.ts';
import type { CallOptions, TwilioAccountsApi } from '../twilio/types.ts';
import { findDrift } from './find-drift.ts';
import { listSubaccounts } from './list-subaccounts.ts';
import { listTenantSecrets } from './list-tenant-secrets.ts';
import type { DriftFinding, UnmanagedSecret } from './types.ts';

export interface ReconcileDependencies {
  readonly twilio: TwilioAccountsApi;
  readonly secretsClient: SecretsManagerClient;
  readonly secretPrefix: string;
  readonly codec: FriendlyNameCodec;
  /** The tenant ledger: scanned through the client, repaired through the port. */
  readonly ledger?: {
    readonly client: DynamoDBClient;
    readonly tableName: string;
    readonly port: TenantLedger;
  };
}

export interface ReconcileOptions extends CallOptions {
  /** Rebuild missing ledger items from the secret and Twilio. */
  readonly repair?: boolean;
}

export interface ReconcileReport {
  readonly findings: readonly DriftFinding[];
  readonly subaccountsChecked: number;
  /** Non-closed subaccounts of the main account (ours or not): what counts toward Twilio's limit. */
  readonly liveSubaccounts: number;
  readonly secretsChecked: number;
  readonly ignoredSubaccounts: number;
  readonly unmanagedSecrets: readonly UnmanagedSecret[];
  /** Ledger items read; `undefined` when the ledger was not checked. */
  readonly ledgerItemsChecked?: number;
  /** Tenants whose ledger item `repair` rebuilt. */
  readonly repaired: readonly string[];
}

export const runReconcile = async (
  deps: ReconcileDependencies,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> => {
  const { repair = false, ...call } = options;
  const [subaccounts, listing, ledger] = await Promise.all([
    listSubaccounts(deps.twilio, call),
    listTenantSecrets(deps.secretsClient, deps.secretPrefix),
    deps.ledger === undefined ? undefined : scanLedger(deps.ledger.client, deps.ledger.tableName),
  ]);
  let { findings, ignoredSubaccounts } = findDrift(subaccounts, listing.secrets, deps.codec, ledger);
  const repaired: string[] = [];
  if (repair && deps.ledger !== undefined) {
    const statusOf = new Map(subaccounts.map((subaccount) => [subaccount.sid, subaccount.status]));
    for (const finding of findings.filter((f) => f.kind === 'ledger-missing')) {
      const secret = listing.secrets.find((s) => s.tenantId === finding.tenantId)!;
      const state: LedgerState = {
        // Twilio is the source of truth for status; the tags say what was last applied.
        lifecycle: statusOf.get(secret.accountSid) ?? secret.lifecycle,
        accountSid: secret.accountSid,
        friendlyName: secret.friendlyName,
        watermark: canonicalInstant(secret.lastEventAt),
        appliedAtWatermark: [secret.lastEventId],
        secretRetired: secret.retired,
      };
      if (await deps.ledger.port.adopt(secret.tenantId, state)) repaired.push(secret.tenantId);
    }
    findings = findings.filter((f) => !(f.kind === 'ledger-missing' && repaired.includes(f.tenantId ?? '')));
  }
  return {
    findings,
    subaccountsChecked: subaccounts.length,
    liveSubaccounts: subaccounts.filter((subaccount) => subaccount.status !== 'closed').length,
    secretsChecked: listing.secrets.length,
    ignoredSubaccounts,
    unmanagedSecrets: listing.unmanaged,
    ...(ledger === undefined ? {} : { ledgerItemsChecked: ledger.length }),
    repaired,
  };
};
