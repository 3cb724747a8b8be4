import type { OutcomeType } from './outcome-event.ts';

/**
 * The three small interfaces the lifecycle use cases depend on. Adapters: `shared/twilio/`
 * (SubaccountGateway over undici), `shared/secrets/` (CredentialVault over the AWS SDK) and
 * `shared/ledger/` (TenantLedger over DynamoDB).
 */
/** A subaccount's status as Twilio names it; `closed` is final. */
export const SUBACCOUNT_STATUSES = ['active', 'suspended', 'closed'] as const;
export type SubaccountStatus = (typeof SUBACCOUNT_STATUSES)[number];

/** A Twilio account SID: `AC` and 32 hex digits. https://www.twilio.com/docs/glossary/what-is-a-sid */
export const ACCOUNT_SID_PATTERN = /^AC[0-9a-fA-F]{32}$/;

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
  /** Throws CreateOutcomeUnknownError when the create may or may not have been applied. */
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

/** A Standard API key on a subaccount. https://www.twilio.com/docs/iam/api-keys */
export interface ApiKey {
  readonly sid: string;
  readonly friendlyName: string;
  readonly dateCreated: Date;
}

/** A key as its create answers it: the only time its secret is ever shown. */
export interface CreatedApiKey extends ApiKey {
  /** Secret. Never log it. */
  readonly secret: string;
}

/**
 * The API keys of a tenant's subaccount, managed with the main account's credentials (a Standard
 * key cannot manage keys). Adapter: `shared/twilio/` over the Keys resource.
 */
export interface ApiKeyGateway {
  /** Throws CreateOutcomeUnknownError when the create may or may not have been applied. */
  createKey(accountSid: string, friendlyName: string, options?: GatewayCallOptions): Promise<CreatedApiKey>;
  /** The subaccount's keys whose FriendlyName is exactly `friendlyName`, oldest first. */
  findKeys(accountSid: string, friendlyName: string, options?: GatewayCallOptions): Promise<ApiKey[]>;
  /** Idempotent: a key that no longer exists counts as deleted. */
  deleteKey(accountSid: string, keySid: string, options?: GatewayCallOptions): Promise<void>;
  /**
   * Whether the key authenticates as its subaccount, by reading the subaccount's Balance with it
   * (a resource a Standard key may read; Accounts and Keys would refuse any Standard key).
   */
  keyWorks(
    accountSid: string,
    keySid: string,
    keySecret: string,
    options?: GatewayCallOptions,
  ): Promise<boolean>;
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
/** Which credentials a tenant's secret holds (`TENANT_CREDENTIALS`). */
export const TENANT_CREDENTIAL_KINDS = ['auth-token', 'api-key', 'both'] as const;
export type TenantCredentialKind = (typeof TENANT_CREDENTIAL_KINDS)[number];

export interface TenantCredentials {
  readonly tenantId: string;
  readonly accountSid: string;
  /** Secret. Never log it. Absent when the tenant's credential is an API key only. */
  readonly authToken?: string;
  /** The subaccount's Standard API key, when the tenant's credentials include one. */
  readonly apiKeySid?: string;
  /** Secret. Never log it. */
  readonly apiKeySecret?: string;
  readonly friendlyName: string;
  readonly provisionedAt: string;
  readonly provisionedByEventId: string;
  /** The rotation event that wrote these credentials, when one did. */
  readonly rotatedByEventId?: string;
}

export interface EventMark {
  readonly lifecycle: SubaccountStatus;
  readonly lastEventId: string;
  readonly lastEventAt: string;
  readonly accountSid?: string;
}

export interface CredentialVault {
  /** The secret's name, as outcome events report it (never its value). */
  secretName(tenantId: string): string;
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

/** What the ledger knows about a provisioned tenant: the authority for order and lifecycle. */
export interface LedgerState {
  readonly lifecycle: SubaccountStatus;
  readonly accountSid: string;
  readonly friendlyName: string;
  /** Canonical instant (see instant.ts) of the last applied event: the stale-event watermark. */
  readonly watermark: string;
  /** The eventIds applied at exactly the watermark instant: a redelivery of one is a replay. */
  readonly appliedAtWatermark: readonly string[];
  /** True once the tenant's secret is scheduled for deletion (after churn). */
  readonly secretRetired: boolean;
  /** Churned inside a grace period: the close is due at this ISO-8601 instant. */
  readonly closeDueAt?: string;
  /**
   * The outcome each event applied at the watermark instant published (by eventId), so that a
   * redelivery of it publishes the same outcome again; no entry for a no-op.
   */
  readonly outcomesAtWatermark?: Readonly<Record<string, OutcomeType>>;
  /** The tenant's API key this service stored, when it uses keys (its secret is only in the vault). */
  readonly apiKeySid?: string;
}

/** A create POST was (about to be) sent for this tenant by this event, at this time. */
export interface CreateIntent {
  readonly eventId: string;
  /** Epoch ms. */
  readonly startedAt: number;
}

export interface LedgerEntry {
  readonly tenantId: string;
  /** Bumped by every commit; a commit is fenced on the version its lease read. */
  readonly version: number;
  /** `undefined`: the ledger has never recorded this tenant (never provisioned, or pre-ledger). */
  readonly state?: LedgerState;
  readonly createIntent?: CreateIntent;
}

/** A held lease: the right to change one tenant until `expiresAt`, fenced on `version`. */
export interface Lease {
  readonly tenantId: string;
  readonly owner: string;
  readonly version: number;
  /** Epoch ms. */
  readonly expiresAt: number;
}

export type LeaseResult =
  | {
      readonly acquired: true;
      readonly lease: Lease;
      /** The entry as this acquire found it: `createIntent` is an earlier attempt's, never the one passed. */
      readonly entry: LedgerEntry;
      /** Whether the intent passed to `acquire` is now the tenant's (none was there before). */
      readonly intentRecorded: boolean;
    }
  /** `heldUntil` (epoch ms) when the store reports it. */
  | { readonly acquired: false; readonly heldUntil?: number };

export interface TenantLedger {
  /**
   * Takes the tenant's lease when it is free or expired at `now`, in one conditional write that
   * also returns the entry (creating an empty one for a new tenant). With `intent`, the same write
   * records it unless an earlier attempt's intent is there: the entry returned carries the intent
   * found (an earlier attempt's), and `intentRecorded` says whether `intent` is now the tenant's.
   */
  acquire(
    tenantId: string,
    owner: string,
    expiresAt: number,
    now: number,
    intent?: CreateIntent,
  ): Promise<LeaseResult>;
  /** Records a create intent; throws LeaseLostError when the lease is no longer this one. */
  recordCreateIntent(lease: Lease, intent: CreateIntent): Promise<void>;
  /**
   * Writes the new state, bumps the version, clears the intent and releases the lease, only while
   * still holding the lease at the version read; throws LeaseLostError otherwise.
   */
  commit(lease: Lease, state: LedgerState): Promise<void>;
  /**
   * Releases the lease without changing state; a no-op when it is no longer held. With
   * `dropIntent`, also removes that intent, recorded under this lease for a create never sent.
   */
  release(lease: Lease, dropIntent?: CreateIntent): Promise<void>;
  /** The entry, without taking the lease (reports and reconcile). */
  read(tenantId: string): Promise<LedgerEntry | undefined>;
  /** Writes the state of a tenant the ledger has never recorded; false when it already has one. */
  adopt(tenantId: string, state: LedgerState): Promise<boolean>;
}
