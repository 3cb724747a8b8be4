/**
 * The lifecycle use case: apply one tenant event so that its effect happens exactly once, however
 * often and however concurrently the event is delivered, and wherever a previous attempt died.
 *
 * The tenant ledger is the mechanism (modelled on Powertools Idempotency's IN_PROGRESS record):
 * 1. a lease, taken with one conditional write that also returns the tenant's entry, so at most
 *    one invocation changes a tenant at a time, and a killed one holds it only a little longer
 *    than its own deadline;
 * 2. the ledger's watermark (exact instant plus the eventIds applied at it) decides stale, replay
 *    or new;
 * 3. a create intent, written with the lease of a `tenant.created` (before the lookup and the
 *    create POST), so a create whose answer was lost is never repeated before it had time to
 *    become visible by FriendlyName;
 * 4. the effects, each idempotent: Twilio first (the source of truth for status), then the secret
 *    value and its mirror tags;
 * 5. a fenced commit (new state, version + 1, lease released) that only succeeds while the lease
 *    is still held at the version read, so a late invocation never overwrites newer state.
 * A crash between any two steps leaves the ledger unchanged, and the next delivery redoes them.
 */
import { createKey, deleteOrphanKeys, type StoredKey, storedKeyOf } from './api-keys.ts';
import {
  CreateOutcomeUnknownError,
  CreateSettlingError,
  EventFromFutureError,
  IllegalTransitionError,
  RotationUnsupportedError,
  TenantBusyError,
  UnknownTenantError,
  UnresolvedCreateError,
} from './errors.ts';
import type { TenantEvent } from './event.ts';
import { eventKey, requestToken } from './event-key.ts';
import type { FriendlyNameCodec } from './friendly-name.ts';
import { canonicalInstant, compareInstants, instantMs, parseInstant } from './instant.ts';
import type { AppliedOutcome, OutcomeType } from './outcome-event.ts';
import type {
  ApiKeyGateway,
  CreateIntent,
  CredentialVault,
  EventMark,
  GatewayCallOptions,
  Lease,
  LedgerEntry,
  LedgerState,
  Subaccount,
  SubaccountGateway,
  SubaccountStatus,
  TenantCredentialKind,
  TenantCredentials,
  TenantLedger,
  TenantRecord,
} from './ports.ts';
import { type Action, decide } from './transitions.ts';

export type OutcomeKind =
  | 'created'
  | 'suspended'
  | 'reactivated'
  | 'close-scheduled'
  | 'closed'
  | 'rotated'
  | 'noop'
  | 'ignored-stale';

export interface Outcome {
  readonly kind: OutcomeKind;
  readonly accountSid?: string;
  /** Why nothing was done, for the log line. */
  readonly note?: string;
  /**
   * The outcome event to publish: for every applied change, and again for a redelivery of one
   * (so a crash between the commit and the publish is repaired); never for a no-op or stale event.
   */
  readonly publish?: AppliedOutcome;
}

export interface LifecycleDependencies {
  readonly gateway: SubaccountGateway;
  readonly vault: CredentialVault;
  readonly ledger: TenantLedger;
  /** The subaccounts' API keys; needed when `credentials` includes a key. */
  readonly keys?: ApiKeyGateway;
  /** What the tenant's secret holds. @default 'auth-token' */
  readonly credentials?: TenantCredentialKind;
  /** How long after a churn the subaccount is closed; 0 closes at once. @default 0 */
  readonly churnGraceMs?: number;
  readonly friendlyNames: FriendlyNameCodec;
  /** Days a churned tenant's secret stays recoverable (7..30). */
  readonly recoveryWindowDays: number;
  /** How long an unanswered create must age before another create is tried. */
  readonly createSettleMs: number;
  /** How far ahead of now an event's `occurredAt` may be (clock skew between systems). */
  readonly maxClockSkewMs: number;
  readonly now?: () => number;
}

/** One attempt at one event: who it is (the lease owner) and how long it may run. */
export interface Attempt extends GatewayCallOptions {
  /** Unique per attempt: the lease owner. */
  readonly owner: string;
  /** Epoch ms when the lease lapses: a little after the invocation can no longer be running. */
  readonly leaseExpiresAt: number;
}

interface Step {
  readonly event: TenantEvent;
  readonly entry: LedgerEntry;
  readonly state: LedgerState | undefined;
  readonly lease: Lease;
  readonly deps: LifecycleDependencies;
  readonly call: GatewayCallOptions;
  readonly now: () => number;
  /** The FriendlyName lookup, started alongside the lease (tenant.created only). */
  readonly lookup?: Promise<Subaccount | undefined>;
  /** The create intent the lease's write recorded for this attempt (tenant.created only). */
  readonly ownIntent?: CreateIntent;
  /** What this attempt has done that the ledger must keep a trace of. */
  readonly progress: { createSent: boolean };
}

/** What a performed action leaves behind: the outcome, and the tenant's new state. */
interface Performed {
  readonly outcome: Outcome;
  /** The state to commit, without the watermark (the use case sets it for every action). */ readonly state: Omit<
    LedgerState,
    'watermark' | 'appliedAtWatermark' | 'outcomesAtWatermark'
  >;
}

const findLive = async ({
  event,
  deps,
  call,
}: Pick<Step, 'event' | 'deps' | 'call'>): Promise<Subaccount | undefined> =>
  (await deps.gateway.findByFriendlyName(deps.friendlyNames.encode(event.tenantId), call)).find(
    (account) => account.status !== 'closed',
  );

/** The secret's tags mirror the ledger for people and tag-based access; they decide nothing. */
const markFor = (event: TenantEvent, lifecycle: SubaccountStatus, accountSid?: string): EventMark => ({
  lifecycle,
  lastEventId: eventKey(event.eventId),
  lastEventAt: event.occurredAt,
  ...(accountSid === undefined ? {} : { accountSid }),
});

const credentialKind = (deps: LifecycleDependencies): TenantCredentialKind =>
  deps.credentials ?? 'auth-token';

const usesKeys = (deps: LifecycleDependencies): boolean => credentialKind(deps) !== 'auth-token';

const keysOf = (deps: LifecycleDependencies): ApiKeyGateway => {
  if (deps.keys === undefined)
    throw new RangeError('an ApiKeyGateway is required when credentials include a key');
  return deps.keys;
};

const credentialsFor = (
  event: TenantEvent,
  account: Subaccount,
  key: StoredKey | undefined,
  deps: LifecycleDependencies,
): TenantCredentials => ({
  tenantId: event.tenantId,
  accountSid: account.sid,
  ...(credentialKind(deps) === 'api-key' ? {} : { authToken: account.authToken }),
  ...(key === undefined ? {} : { apiKeySid: key.sid, apiKeySecret: key.secret }),
  friendlyName: account.friendlyName,
  // Derived from the account and the event only, so a retried write carries the same value and
  // the ClientRequestToken makes it a no-op.
  provisionedAt: account.dateCreated.toISOString(),
  provisionedByEventId: event.eventId,
});

/**
 * The key the tenant's credentials carry: the one already stored for this subaccount (an earlier
 * attempt of this event stored it and died before the commit), else a new one.
 */
const keyFor = async (step: Step, account: Subaccount): Promise<StoredKey | undefined> => {
  const { event, deps, call } = step;
  if (!usesKeys(deps)) return undefined;
  const stored = storedKeyOf(await deps.vault.readCredentials(event.tenantId), account.sid);
  if (stored !== undefined) {
    await deleteOrphanKeys(keysOf(deps), account.sid, event.tenantId, stored.sid, call);
    return stored;
  }
  const created = await createKey(keysOf(deps), account.sid, event.tenantId, undefined, call);
  return { sid: created.sid, secret: created.secret };
};

/**
 * The tenant's live (non-closed) subaccount: adopted when a previous attempt created it, else
 * created. A create with no answer is resolved by looking it up, never by creating again at once:
 * its intent stays in the ledger, and another create is only tried once it is older than the
 * settle time (Twilio documents no consistency guarantee for the FriendlyName list).
 */
const liveSubaccount = async (step: Step): Promise<Subaccount> => {
  const { event, deps, call, entry, lease } = step;
  const friendlyName = deps.friendlyNames.encode(event.tenantId);
  const earlier = entry.createIntent;
  // Without an earlier attempt's intent, no create was ever tried under a lease, so the lookup
  // that started with the lease is as good as a fresh one. With one, only a lookup made under this
  // lease counts.
  const existing = await (earlier === undefined && step.lookup !== undefined ? step.lookup : findLive(step));
  if (existing !== undefined) return existing;
  if (earlier !== undefined) {
    const waitMs = earlier.startedAt + deps.createSettleMs - step.now();
    if (waitMs > 0) throw new CreateSettlingError(friendlyName, earlier.eventId, waitMs);
  }
  // The lease's write recorded this attempt's intent, unless an earlier one was there: a create
  // after that one has settled gets an intent of its own, so that the settle time counts from it.
  if (step.ownIntent === undefined) {
    await deps.ledger.recordCreateIntent(lease, { eventId: event.eventId, startedAt: step.now() });
  }
  step.progress.createSent = true;
  try {
    return await deps.gateway.create(friendlyName, call);
  } catch (error) {
    if (!(error instanceof CreateOutcomeUnknownError)) throw error;
    const created = await findLive(step);
    if (created === undefined) throw new UnresolvedCreateError(friendlyName, error);
    return created;
  }
};

/** A created event implies an active subaccount, even one adopted in another state. */
const ensureActive = async (account: Subaccount, { deps, call }: Step): Promise<Subaccount> =>
  account.status === 'active' ? account : deps.gateway.setStatus(account.sid, 'active', call);

const activeState = (account: Subaccount, key: StoredKey | undefined): Performed['state'] => ({
  lifecycle: 'active',
  accountSid: account.sid,
  friendlyName: account.friendlyName,
  secretRetired: false,
  ...(key === undefined ? {} : { apiKeySid: key.sid }),
});

const provisioned = (step: Step, account: Subaccount, key: StoredKey | undefined): Performed => ({
  outcome: {
    kind: 'created',
    accountSid: account.sid,
    publish: {
      type: 'tenant.provisioned',
      accountSid: account.sid,
      secretName: step.deps.vault.secretName(step.event.tenantId),
    },
  },
  state: activeState(account, key),
});

const provision = async (step: Step): Promise<Performed> => {
  const account = await ensureActive(await liveSubaccount(step), step);
  const { event, deps } = step;
  const key = await keyFor(step, account);
  await deps.vault.create(
    credentialsFor(event, account, key, deps),
    markFor(event, 'active', account.sid),
    requestToken(event.eventId, 'create'),
  );
  return provisioned(step, account, key);
};

/**
 * A returning customer: closed subaccounts cannot be reopened, so a fresh one replaces it. The
 * retired secret is restored only once the new subaccount exists: a refused create (the limit
 * reached) leaves the closed account's credentials unreadable.
 */
const reprovision = async (step: Step, state: LedgerState): Promise<Performed> => {
  const { event, deps } = step;
  const account = await ensureActive(await liveSubaccount(step), step);
  const mark = markFor(event, 'active', account.sid);
  const secret = await deps.vault.describe(event.tenantId);
  if (secret === undefined) {
    // The recovery window has passed and the secret is gone for good: store it anew.
    const key = await keyFor(step, account);
    await deps.vault.create(
      credentialsFor(event, account, key, deps),
      mark,
      requestToken(event.eventId, 'create'),
    );
    return provisioned(step, account, key);
  }
  if (secret.retired || state.secretRetired) await deps.vault.restore(event.tenantId);
  const key = await keyFor(step, account);
  await deps.vault.replaceCredentials(
    credentialsFor(event, account, key, deps),
    requestToken(event.eventId, 'reprovision'),
  );
  await deps.vault.mark(event.tenantId, mark);
  return provisioned(step, account, key);
};

const reopenRejected = (event: TenantEvent, state: LedgerState): IllegalTransitionError =>
  new IllegalTransitionError('closed subaccounts cannot be reopened', {
    tenantId: event.tenantId,
    accountSid: state.accountSid,
    eventType: event.type,
  });

const changeStatus = async (
  step: Step,
  state: LedgerState,
  target: 'suspended' | 'active',
): Promise<Performed> => {
  const { event, deps, call } = step;
  const { status } = await deps.gateway.setStatus(state.accountSid, target, call);
  // Closed outside this service: reopening stays illegal, suspending has nothing left to do.
  if (status === 'closed' && target === 'active') throw reopenRejected(event, state);
  await deps.vault.mark(event.tenantId, markFor(event, status, state.accountSid));
  // A reactivation inside a grace period also cancels the scheduled close.
  const { closeDueAt: _cancelled, ...rest } = state;
  const next = { ...rest, lifecycle: status };
  if (status === 'closed')
    return {
      outcome: { kind: 'noop', accountSid: state.accountSid, note: 'subaccount is closed on Twilio' },
      state: next,
    };
  const secretName = deps.vault.secretName(event.tenantId);
  const outcome: Outcome =
    target === 'suspended'
      ? {
          kind: 'suspended',
          accountSid: state.accountSid,
          publish: { type: 'tenant.suspended', accountSid: state.accountSid, secretName },
        }
      : {
          kind: 'reactivated',
          accountSid: state.accountSid,
          publish: { type: 'tenant.reactivated', accountSid: state.accountSid, secretName },
        };
  return { outcome, state: next };
};

async function close(step: Step, state: LedgerState): Promise<Performed> {
  const { event, deps, call } = step;
  if (state.secretRetired)
    return {
      outcome: { kind: 'noop', accountSid: state.accountSid, note: 'already closed and retired' },
      state,
    };
  if (state.lifecycle !== 'closed') await deps.gateway.setStatus(state.accountSid, 'closed', call);
  // Marked closed before the deletion is scheduled: a retired secret can no longer be tagged.
  await deps.vault.mark(event.tenantId, markFor(event, 'closed', state.accountSid));
  await deps.vault.retire(event.tenantId, deps.recoveryWindowDays);
  const { closeDueAt: _done, ...rest } = state;
  return {
    outcome: {
      kind: 'closed',
      accountSid: state.accountSid,
      publish: {
        type: 'tenant.closed',
        accountSid: state.accountSid,
        secretName: deps.vault.secretName(event.tenantId),
      },
    },
    state: { ...rest, lifecycle: 'closed', secretRetired: true },
  };
}

/**
 * A churn with a grace period: suspended at once, closed when the window ends (the close sweep
 * sends `tenant.close-due` for it), unless a `tenant.reinstated` or `tenant.created` comes first.
 * The due time comes from the churn's own occurredAt, so every attempt records the same one.
 */
const scheduleClose = async (step: Step, state: LedgerState, graceMs: number): Promise<Performed> => {
  const { event, deps, call } = step;
  const status =
    state.lifecycle === 'suspended'
      ? state.lifecycle
      : (await deps.gateway.setStatus(state.accountSid, 'suspended', call)).status;
  // Closed outside this service in the meantime: nothing is left to wait for.
  if (status === 'closed') return close(step, { ...state, lifecycle: 'closed' });
  await deps.vault.mark(event.tenantId, markFor(event, 'suspended', state.accountSid));
  const closeDueAt = new Date(instantMs(parseInstant(event.occurredAt)) + graceMs);
  return {
    outcome: {
      kind: 'close-scheduled',
      accountSid: state.accountSid,
      note: `closing on ${closeDueAt.toISOString()}`,
      publish: {
        type: 'tenant.close-scheduled',
        accountSid: state.accountSid,
        closeDueAt,
        status: 'suspended',
        secretName: deps.vault.secretName(event.tenantId),
      },
    },
    state: { ...state, lifecycle: 'suspended', closeDueAt: closeDueAt.toISOString() },
  };
};

const churn = (step: Step, state: LedgerState): Promise<Performed> => {
  const graceMs = step.deps.churnGraceMs ?? 0;
  return graceMs > 0 ? scheduleClose(step, state, graceMs) : close(step, state);
};

/**
 * New credentials with no moment without a working one: a new key, stored as the secret's new
 * version, and only then the old key deleted. Idempotent for its eventId: the stored credentials
 * say which rotation wrote them.
 */
const rotate = async (step: Step, state: LedgerState): Promise<Performed> => {
  const { event, deps, call } = step;
  if (!usesKeys(deps)) throw new RotationUnsupportedError(event.tenantId);
  const keys = keysOf(deps);
  const stored = await deps.vault.readCredentials(event.tenantId);
  if (stored === undefined) throw new UnknownTenantError(event.tenantId, event.type);
  const current = storedKeyOf(stored, state.accountSid);
  let key: StoredKey;
  if (current !== undefined && stored.rotatedByEventId === event.eventId) {
    // An earlier attempt stored the new key and died before revoking the old one.
    key = current;
  } else {
    const created = await createKey(keys, state.accountSid, event.tenantId, current?.sid, call);
    key = { sid: created.sid, secret: created.secret };
    await deps.vault.replaceCredentials(
      { ...stored, apiKeySid: key.sid, apiKeySecret: key.secret, rotatedByEventId: event.eventId },
      requestToken(event.eventId, `rotate:${key.sid}`),
    );
  }
  await deleteOrphanKeys(keys, state.accountSid, event.tenantId, key.sid, call);
  return {
    outcome: {
      kind: 'rotated',
      accountSid: state.accountSid,
      publish: {
        type: 'tenant.credentials-rotated',
        accountSid: state.accountSid,
        secretName: deps.vault.secretName(event.tenantId),
        status: state.lifecycle,
      },
    },
    state: { ...state, apiKeySid: key.sid },
  };
};

/** An applied no-op still moves the watermark, so an older event cannot overtake it later. */
const noop = (state: LedgerState, note: string): Performed => ({
  outcome: { kind: 'noop', accountSid: state.accountSid, note },
  state,
});

type Performer = (step: Step, state: LedgerState) => Promise<Performed>;

const PERFORMERS: Readonly<Record<Exclude<Action, 'provision' | 'reject-unknown'>, Performer>> = {
  reprovision,
  suspend: (step, state) => changeStatus(step, state, 'suspended'),
  reactivate: (step, state) => changeStatus(step, state, 'active'),
  // Inside the grace period: the same subaccount again, and the close forgotten.
  'cancel-close': (step, state) => changeStatus(step, state, 'active'),
  churn,
  close,
  rotate,
  noop: async (_step, state) => noop(state, `already ${state.lifecycle}`),
  'noop-closed': async (_step, state) => noop(state, 'subaccount is closed'),
  'reject-closed': async ({ event }, state) => {
    throw reopenRejected(event, state);
  },
};

/** A tenant provisioned before the ledger existed (or whose item was lost) is read from its secret. */
const adoptedState = (record: TenantRecord): LedgerState => ({
  lifecycle: record.lifecycle,
  accountSid: record.accountSid,
  friendlyName: record.friendlyName,
  watermark: canonicalInstant(record.lastEventAt),
  appliedAtWatermark: [record.lastEventId],
  secretRetired: record.retired,
});

/** The outcome an applied event published, for its redelivery to publish again. */
const republished = (
  event: TenantEvent,
  state: LedgerState | undefined,
  deps: LifecycleDependencies,
): AppliedOutcome | undefined => {
  const type = state?.outcomesAtWatermark?.[event.eventId];
  if (state === undefined || type === undefined) return undefined;
  const secretName = deps.vault.secretName(event.tenantId);
  switch (type) {
    case 'tenant.close-scheduled':
      return state.closeDueAt === undefined
        ? undefined
        : {
            type,
            accountSid: state.accountSid,
            closeDueAt: new Date(state.closeDueAt),
            status: 'suspended',
            secretName,
          };
    case 'tenant.credentials-rotated':
      return { type, accountSid: state.accountSid, secretName, status: state.lifecycle };
    case 'tenant.event-rejected':
      return undefined;
    default:
      return { type, accountSid: state.accountSid, secretName };
  }
};

/** The outcome an event the secret says was applied has published, judged from the state it left. */
const outcomeOfApplied = (event: TenantEvent, state: LedgerState): OutcomeType | undefined => {
  switch (event.type) {
    case 'tenant.created':
      return state.lifecycle === 'active' ? 'tenant.provisioned' : undefined;
    case 'tenant.delinquent':
      return state.lifecycle === 'suspended' ? 'tenant.suspended' : undefined;
    case 'tenant.reinstated':
      return state.lifecycle === 'active' ? 'tenant.reactivated' : undefined;
    case 'tenant.churned':
    case 'tenant.close-due':
      return state.lifecycle === 'closed' ? 'tenant.closed' : undefined;
    case 'tenant.credentials-rotation-requested':
      return 'tenant.credentials-rotated';
  }
};

const withPublish = (publish: AppliedOutcome | undefined) => (publish === undefined ? {} : { publish });

/** The watermark after applying `event` on top of `state`: never behind it. */
const watermarkAfter = (
  event: TenantEvent,
  state: LedgerState | undefined,
  published: OutcomeType | undefined,
): Pick<LedgerState, 'watermark' | 'appliedAtWatermark' | 'outcomesAtWatermark'> => {
  const watermark = canonicalInstant(event.occurredAt);
  const same =
    state !== undefined && compareInstants(parseInstant(watermark), parseInstant(state.watermark)) === 0;
  const outcomes: Record<string, OutcomeType> = same ? { ...state.outcomesAtWatermark } : {};
  if (published !== undefined) outcomes[event.eventId] = published;
  return {
    watermark,
    appliedAtWatermark: same ? [...state.appliedAtWatermark, event.eventId] : [event.eventId],
    outcomesAtWatermark: outcomes,
  };
};

const perform = async (step: Step, action: Action): Promise<Performed> => {
  if (action === 'provision') return provision(step);
  if (step.state === undefined || action === 'reject-unknown')
    throw new UnknownTenantError(step.event.tenantId, step.event.type);
  return PERFORMERS[action](step, step.state);
};

export const applyTenantEvent = async (
  event: TenantEvent,
  deps: LifecycleDependencies,
  attempt: Attempt,
): Promise<Outcome> => {
  const now = deps.now ?? Date.now;
  const startedAt = now();
  if (instantMs(parseInstant(event.occurredAt)) > startedAt + deps.maxClockSkewMs) {
    throw new EventFromFutureError(event.occurredAt, startedAt, deps.maxClockSkewMs);
  }
  const call: GatewayCallOptions = attempt.deadline === undefined ? {} : { deadline: attempt.deadline };
  // A created event almost always needs the FriendlyName lookup, which depends on nothing the
  // lease returns: both go out together, saving a round trip on every signup. Its failure
  // surfaces where it is awaited, or nowhere if unused.
  const signup = event.type === 'tenant.created';
  const lookup = signup ? findLive({ event, deps, call }) : undefined;
  lookup?.catch(() => {});
  // A signup is usually a tenant the ledger has never seen, which the secret may still know
  // (provisioned before the ledger): that read goes out with the lease too. A replay pays it for nothing.
  const secretRecord = signup ? deps.vault.describe(event.tenantId) : undefined;
  secretRecord?.catch(() => {});
  // A signup's create intent goes with the lease: written before the lookup and the create POST,
  // it is in the ledger before any create can have been sent. Removed again by the commit, or by
  // the release when this attempt ends without having sent one.
  const intent: CreateIntent | undefined = signup ? { eventId: event.eventId, startedAt } : undefined;
  const taken = await deps.ledger.acquire(
    event.tenantId,
    attempt.owner,
    attempt.leaseExpiresAt,
    startedAt,
    intent,
  );
  if (!taken.acquired) throw new TenantBusyError(event.tenantId, taken.heldUntil);
  const { lease, entry } = taken;
  const ownIntent = taken.intentRecorded ? intent : undefined;
  const progress = { createSent: false };
  /** The release: the intent this attempt recorded goes with it unless a create was sent. */
  const release = () => deps.ledger.release(lease, progress.createSent ? undefined : ownIntent);
  try {
    let state = entry.state;
    if (state === undefined) {
      const record = await (secretRecord ?? deps.vault.describe(event.tenantId));
      state = record === undefined ? undefined : adoptedState(record);
    }
    const step: Step = { event, entry, state, lease, deps, call, now, lookup, ownIntent, progress };
    const action = decide(event, state);
    if (
      state !== undefined &&
      entry.state === undefined &&
      (action === 'ignore-stale' || action === 'replay')
    ) {
      // Adopted from the secret (a tenant from before the ledger, or an attempt that died after
      // its secret writes and before the commit): the ledger gets the state now, and a replay of
      // the event the secret last recorded publishes its outcome, which may never have gone out.
      const type = action === 'replay' ? outcomeOfApplied(event, state) : undefined;
      const adopted =
        type === undefined ? state : { ...state, outcomesAtWatermark: { [event.eventId]: type } };
      await deps.ledger.commit(lease, adopted);
      return action === 'ignore-stale'
        ? { kind: 'ignored-stale', accountSid: state.accountSid, note: `older than ${state.watermark}` }
        : {
            kind: 'noop',
            accountSid: state.accountSid,
            note: 'replay of an applied event (adopted from the secret)',
            ...withPublish(republished(event, adopted, deps)),
          };
    }
    if (action === 'ignore-stale' || action === 'replay') {
      await release();
      return action === 'ignore-stale'
        ? { kind: 'ignored-stale', accountSid: state?.accountSid, note: `older than ${state?.watermark}` }
        : {
            kind: 'noop',
            accountSid: state?.accountSid,
            note: 'replay of an applied event',
            ...withPublish(republished(event, state, deps)),
          };
    }
    const performed = await perform(step, action);
    await deps.ledger.commit(lease, {
      ...performed.state,
      ...watermarkAfter(event, state, performed.outcome.publish?.type),
    });
    return performed.outcome;
  } catch (error) {
    // Free the tenant for the redelivery at once; the intent of a create that was sent stays.
    // A no-op when the lease was lost.
    await release().catch(() => {});
    throw error;
  }
};
