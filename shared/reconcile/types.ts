/**
 * What the drift check compares: Twilio's view of the subaccounts, the tenant ledger (the
 * authority for lifecycle and order) and the tenant secrets with their mirror tags. No shape holds
 * an auth token, so findings and logs cannot leak one.
 */
import type { SubaccountStatus, TenantRecord } from '../domain/ports.ts';

export interface SubaccountSnapshot {
  readonly sid: string;
  readonly friendlyName: string;
  readonly status: SubaccountStatus;
}

export interface TenantSecretSnapshot extends TenantRecord {
  readonly secretName: string;
  /** When the secret was scheduled for deletion (set only while `retired`). */
  readonly deletedDate?: Date;
}

/** A secret under the prefix that lacks this service's tags: listed, never judged. */
export interface UnmanagedSecret {
  readonly secretName: string;
  readonly missingTags: readonly string[];
}

export const DRIFT_KINDS = [
  'subaccount-without-secret',
  'secret-subaccount-closed',
  'secret-subaccount-missing',
  'status-mismatch',
  'friendly-name-mismatch',
  'ledger-missing',
  'ledger-status-mismatch',
  'ledger-account-mismatch',
  'ledger-without-secret',
] as const;

export type DriftKind = (typeof DRIFT_KINDS)[number];

export interface DriftFinding {
  readonly kind: DriftKind;
  readonly tenantId?: string;
  readonly accountSid?: string;
  readonly detail: string;
}

export interface DriftResult {
  readonly findings: readonly DriftFinding[];
  /** Subaccounts whose FriendlyName is not one of ours and that no tenant secret points to. */
  readonly ignoredSubaccounts: number;
}
