/**
 * The two small interfaces the lifecycle use cases depend on. Adapters: `shared/twilio/`
 * (SubaccountGateway over undici) and `shared/secrets/` (CredentialVault over the AWS SDK).
 */
import type { AccountStatus } from '../twilio/types.ts';

export type SubaccountStatus = AccountStatus;

export interface Subaccount {
  readonly sid: string;
  readonly friendlyName: string;
  readonly status: SubaccountStatus;
  /** Secret. Never log it. */
  readonly authToken: string;
  readonly dateCreated: Date;
}

export interface GatewayCallOptions {
  /** Absolute epoch-ms time after which no retry is started (the Lambda's remaining time). */
  readonly deadline?: number;
}

export interface SubaccountGateway {
  /** Throws an error with `ambiguous === true` when the create may or may not have been applied. */
  create(friendlyName: string, options?: GatewayCallOptions): Promise<Subaccount>;
  /** Every subaccount whose FriendlyName is exactly `friendlyName`, any status, oldest first. */
  findByFriendlyName(friendlyName: string, options?: GatewayCallOptions): Promise<Subaccount[]>;
  /** `undefined` when Twilio answers 404. */
  fetch(sid: string, options?: GatewayCallOptions): Promise<Subaccount | undefined>;
  /**
   * Idempotent. When Twilio refuses because the subaccount is already closed (closed is
   * irreversible), resolves with the closed subaccount instead of throwing.
   */
  setStatus(sid: string, status: SubaccountStatus, options?: GatewayCallOptions): Promise<Subaccount>;
}

/** What the vault remembers about a tenant between events (secret tags, readable even when retired). */
export interface TenantRecord {
  readonly tenantId: string;
  readonly accountSid: string;
  readonly friendlyName: string;
  /** The subaccount status as last applied by this service (Twilio stays the source of truth). */
  readonly lifecycle: SubaccountStatus;
  readonly lastEventId: string;
  /** ISO-8601 `occurredAt` of the last applied event: the stale-event watermark. */
  readonly lastEventAt: string;
  /** True while the secret is scheduled for deletion (after churn). */
  readonly retired: boolean;
}

/** The JSON document stored as the secret value. */
export interface TenantCredentials {
  readonly tenantId: string;
  readonly accountSid: string;
  /** Secret. Never log it. */
  readonly authToken: string;
  readonly friendlyName: string;
  readonly provisionedAt: string;
  readonly provisionedByEventId: string;
}

export interface EventMark {
  readonly lifecycle: SubaccountStatus;
  readonly lastEventId: string;
  readonly lastEventAt: string;
  readonly accountSid?: string;
}

export interface CredentialVault {
  /** `undefined` when the tenant has no secret at all (never provisioned, or deleted for good). */
  describe(tenantId: string): Promise<TenantRecord | undefined>;
  /** Creates the secret with value and tags in one call; idempotent for the same `requestToken`. */
  create(credentials: TenantCredentials, mark: EventMark, requestToken: string): Promise<void>;
  /** Replaces the secret value (new AWSCURRENT version); idempotent for the same `requestToken`. */
  replaceCredentials(credentials: TenantCredentials, requestToken: string): Promise<void>;
  /** Moves the watermark and the lifecycle tags. */
  mark(tenantId: string, mark: EventMark): Promise<void>;
  /** Schedules the secret for deletion after `recoveryWindowDays` (7..30). */
  retire(tenantId: string, recoveryWindowDays: number): Promise<void>;
  /** Cancels a scheduled deletion. */
  restore(tenantId: string): Promise<void>;
  /** The stored credentials, or `undefined` when absent or retired. */
  readCredentials(tenantId: string): Promise<TenantCredentials | undefined>;
}
