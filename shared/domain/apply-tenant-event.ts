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
 * 3. a create intent, written before the create POST, so a create whose answer was lost is never
 *    repeated before it had time to become visible by FriendlyName;
 * 4. the effects, each idempotent: Twilio first (the source of truth for status), then the secret
 *    value and its mirror tags;
 * 5. a fenced commit (new state, version + 1, lease released) that only succeeds while the lease
 *    is still held at the version read, so a late invocation never overwrites newer state.
 * A crash between any two steps leaves the ledger unchanged, and the next delivery redoes them.
 */
import {
  CreateOutcomeUnknownError,
  CreateSettlingError,
  EventFromFutureError,
  IllegalTransitionError,
  TenantBusyError,
  UnknownTenantError,
  UnresolvedCreateError,
} from './errors.ts';
import type { TenantEvent } from './event.ts';
import { eventKey, requestToken } from './event-key.ts';
import type { FriendlyNameCodec } from './friendly-name.ts';
import { canonicalInstant, compareInstants, instantMs, parseInstant } from './instant.ts';
import type {
  CredentialVault,
  EventMark,
  GatewayCallOptions,
  Lease,
  LedgerEntry,
  LedgerState,
  Subaccount,
  SubaccountGateway,
  SubaccountStatus,
  TenantCredentials,
  TenantLedger,
  TenantRecord,
} from './ports.ts';
import { type Action, decide } from './transitions.ts';

export type OutcomeKind = 'created' | 'suspended' | 'reactivated' | 'closed' | 'noop' | 'ignored-stale';

export interface Outcome {
  readonly kind: OutcomeKind;
  readonly accountSid?: string;
  /** Why nothing was done, for the log line. */
  readonly note?: string;
}

export interface LifecycleDependencies {
  readonly gateway: SubaccountGateway;
  readonly vault: CredentialVault;
  readonly ledger: TenantLedger;
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
}

/** What a performed action leaves behind: the outcome, and the tenant's new state. */
interface Performed {
  readonly outcome: Outcome;
  /** The state to commit, without the watermark (the use case sets it for every action). */
  readonly state: Omit<LedgerState, 'watermark' | 'appliedAtWatermark'>;
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

const credentialsFor = (event: TenantEvent, account: Subaccount): TenantCredentials => ({
  tenantId: event.tenantId,
  accountSid: account.sid,
  authToken: account.authToken,
  friendlyName: account.friendlyName,
  // Derived from the account and the event only, so a retried write carries the same value and
  // the ClientRequestToken makes it a no-op.
  provisionedAt: account.dateCreated.toISOString(),
  provisionedByEventId: event.eventId,
});

/**
 * The tenant's live (non-closed) subaccount: adopted when a previous attempt created it, else
 * created. A create with no answer is resolved by looking it up, never by creating again at once:
 * its intent stays in the ledger, and another create is only tried once it is older than the
 * settle time (Twilio documents no consistency guarantee for the FriendlyName list).
 */
const liveSubaccount = async (step: Step): Promise<Subaccount> => {
  const { event, deps, call, entry, lease } = step;
  const friendlyName = deps.friendlyNames.encode(event.tenantId);
  const intent = entry.createIntent;
  // Without an intent, no create was ever tried under a lease, so the lookup that started with
  // the lease is as good as a fresh one. With one, only a lookup made under this lease counts.
  const existing = await (intent === undefined && step.lookup !== undefined ? step.lookup : findLive(step));
  if (existing !== undefined) return existing;
  if (intent !== undefined) {
    const waitMs = intent.startedAt + deps.createSettleMs - step.now();
    if (waitMs > 0) throw new CreateSettlingError(friendlyName, intent.eventId, waitMs);
  }
  await deps.ledger.recordCreateIntent(lease, { eventId: event.eventId, startedAt: step.now() });
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

const activeState = (account: Subaccount): Performed['state'] => ({
  lifecycle: 'active',
  accountSid: account.sid,
  friendlyName: account.friendlyName,
  secretRetired: false,
});

const provision = async (step: Step): Promise<Performed> => {
  const account = await ensureActive(await liveSubaccount(step), step);
  const { event, deps } = step;
  await deps.vault.create(
    credentialsFor(event, account),
    markFor(event, 'active', account.sid),
    requestToken(event.eventId, 'create'),
  );
  return { outcome: { kind: 'created', accountSid: account.sid }, state: activeState(account) };
};

/**
 * A returning customer: closed subaccounts cannot be reopened, so a fresh one replaces it. The
 * retired secret is restored only once the new subaccount exists: a refused create (the limit
 * reached) leaves the closed account's credentials unreadable.
 */
const reprovision = async (step: Step, state: LedgerState): Promise<Performed> => {
  const { event, deps } = step;
  const account = await ensureActive(await liveSubaccount(step), step);
  const credentials = credentialsFor(event, account);
  const mark = markFor(event, 'active', account.sid);
  const secret = await deps.vault.describe(event.tenantId);
  if (secret === undefined) {
    // The recovery window has passed and the secret is gone for good: store it anew.
    await deps.vault.create(credentials, mark, requestToken(event.eventId, 'create'));
  } else {
    if (secret.retired || state.secretRetired) await deps.vault.restore(event.tenantId);
    await deps.vault.replaceCredentials(credentials, requestToken(event.eventId, 'reprovision'));
    await deps.vault.mark(event.tenantId, mark);
  }
  return { outcome: { kind: 'created', accountSid: account.sid }, state: activeState(account) };
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
  const next = { ...state, lifecycle: status };
  if (status === 'closed')
    return {
      outcome: { kind: 'noop', accountSid: state.accountSid, note: 'subaccount is closed on Twilio' },
      state: next,
    };
  return {
    outcome: { kind: target === 'suspended' ? 'suspended' : 'reactivated', accountSid: state.accountSid },
    state: next,
  };
};

const close = async (step: Step, state: LedgerState): Promise<Performed> => {
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
  return {
    outcome: { kind: 'closed', accountSid: state.accountSid },
    state: { ...state, lifecycle: 'closed', secretRetired: true },
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
  close,
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

/** The watermark after applying `event` on top of `state`: never behind it. */
const watermarkAfter = (
  event: TenantEvent,
  state: LedgerState | undefined,
): Pick<LedgerState, 'watermark' | 'appliedAtWatermark'> => {
  const watermark = canonicalInstant(event.occurredAt);
  const same =
    state !== undefined && compareInstants(parseInstant(watermark), parseInstant(state.watermark)) === 0;
  return {
    watermark,
    appliedAtWatermark: same ? [...state.appliedAtWatermark, event.eventId] : [event.eventId],
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
  const lookup = event.type === 'tenant.created' ? findLive({ event, deps, call }) : undefined;
  lookup?.catch(() => {});
  const taken = await deps.ledger.acquire(event.tenantId, attempt.owner, attempt.leaseExpiresAt, startedAt);
  if (!taken.acquired) throw new TenantBusyError(event.tenantId, taken.heldUntil);
  const { lease, entry } = taken;
  try {
    let state = entry.state;
    if (state === undefined) {
      const record = await deps.vault.describe(event.tenantId);
      state = record === undefined ? undefined : adoptedState(record);
    }
    const step: Step = { event, entry, state, lease, deps, call, now, lookup };
    const action = decide(event, state);
    if (action === 'ignore-stale' || action === 'replay') {
      await deps.ledger.release(lease);
      return action === 'ignore-stale'
        ? { kind: 'ignored-stale', accountSid: state?.accountSid, note: `older than ${state?.watermark}` }
        : { kind: 'noop', accountSid: state?.accountSid, note: 'replay of an applied event' };
    }
    const performed = await perform(step, action);
    await deps.ledger.commit(lease, { ...performed.state, ...watermarkAfter(event, state) });
    return performed.outcome;
  } catch (error) {
    // Free the tenant for the redelivery at once; a create intent stays. A no-op when lost.
    await deps.ledger.release(lease).catch(() => {});
    throw error;
  }
};
