/**
 * One drift check: reads both sides (in parallel: they are independent) and compares them.
 * Shared by the scheduled function and `tenants reconcile`.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { FriendlyNameCodec } from '../domain/friendly-name.ts';
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
}

export interface ReconcileReport {
  readonly findings: readonly DriftFinding[];
  readonly subaccountsChecked: number;
  readonly secretsChecked: number;
  readonly ignoredSubaccounts: number;
  readonly unmanagedSecrets: readonly UnmanagedSecret[];
}

export const runReconcile = async (
  deps: ReconcileDependencies,
  options?: CallOptions,
): Promise<ReconcileReport> => {
  const [subaccounts, listing] = await Promise.all([
    listSubaccounts(deps.twilio, options),
    listTenantSecrets(deps.secretsClient, deps.secretPrefix),
  ]);
  const { findings, ignoredSubaccounts } = findDrift(subaccounts, listing.secrets, deps.codec);
  return {
    findings,
    subaccountsChecked: subaccounts.length,
    secretsChecked: listing.secrets.length,
    ignoredSubaccounts,
    unmanagedSecrets: listing.unmanaged,
  };
};
