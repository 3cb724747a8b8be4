/**
 * The lifecycle use case: apply one tenant event so that its effect happens exactly once, however
 * often the event is delivered and wherever a previous attempt died.
 *
 * Every step is idempotent and ordered so that a crash between any two steps is repaired by the
 * next delivery: Twilio first (the source of truth for status), then the secret value, then the
 * watermark tags, then retirement. The watermark is written last, so an event is only "applied"
 * once everything it implies is done.
 */
import { IllegalTransitionError, UnknownTenantError, UnresolvedCreateError } from './errors.ts';
import type { TenantEvent } from './event.ts';
import { eventKey, requestToken } from './event-key.ts';
import type { FriendlyNameCodec } from './friendly-name.ts';
import type {
  CredentialVault,
  EventMark,
  GatewayCallOptions,
  Subaccount,
  SubaccountGateway,
  SubaccountStatus,
  TenantCredentials,
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
  readonly friendlyNames: FriendlyNameCodec;
  /** Days a churned tenant's secret stays recoverable (7..30). */
  readonly recoveryWindowDays: number;
}

interface Step {
  readonly event: TenantEvent;
  readonly record: TenantRecord | undefined;
  readonly deps: LifecycleDependencies;
  readonly call: GatewayCallOptions;
  /** The FriendlyName lookup, started alongside the watermark read (tenant.created only). */
  readonly lookup?: Promise<Subaccount | undefined>;
}

const findLive = async ({
  event,
  deps,
  call,
}: Pick<Step, 'event' | 'deps' | 'call'>): Promise<Subaccount | undefined> =>
  (await deps.gateway.findByFriendlyName(deps.friendlyNames.encode(event.tenantId), call)).find(
    (account) => account.status !== 'closed',
  );

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

const isAmbiguous = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && 'ambiguous' in error && error.ambiguous === true;

/**
 * The tenant's live (non-closed) subaccount: adopted when a previous attempt created it, else
 * created. A create with no answer is resolved by looking it up, never by creating again.
 */
const liveSubaccount = async (step: Step): Promise<Subaccount> => {
  const { event, deps, call } = step;
  const friendlyName = deps.friendlyNames.encode(event.tenantId);
  const existing = await (step.lookup ?? findLive(step));
  if (existing !== undefined) return existing;
  try {
    return await deps.gateway.create(friendlyName, call);
  } catch (error) {
    if (!isAmbiguous(error)) throw error;
    const created = await findLive(step);
    if (created === undefined) throw new UnresolvedCreateError(friendlyName, error);
    return created;
  }
};

/** A created event implies an active subaccount, even one adopted in another state. */
const ensureActive = async (account: Subaccount, { deps, call }: Step): Promise<Subaccount> =>
  account.status === 'active' ? account : deps.gateway.setStatus(account.sid, 'active', call);

const provision = async (step: Step): Promise<Outcome> => {
  const account = await ensureActive(await liveSubaccount(step), step);
  const { event, deps } = step;
  await deps.vault.create(
    credentialsFor(event, account),
    markFor(event, 'active', account.sid),
    requestToken(event.eventId, 'create'),
  );
  return { kind: 'created', accountSid: account.sid };
};

/** A returning customer: closed subaccounts cannot be reopened, so a fresh one replaces it. */
const reprovision = async (step: Step, record: TenantRecord): Promise<Outcome> => {
  const { event, deps } = step;
  if (record.retired) await deps.vault.restore(event.tenantId);
  const account = await ensureActive(await liveSubaccount(step), step);
  await deps.vault.replaceCredentials(
    credentialsFor(event, account),
    requestToken(event.eventId, 'reprovision'),
  );
  await deps.vault.mark(event.tenantId, markFor(event, 'active', account.sid));
  return { kind: 'created', accountSid: account.sid };
};

const reopenRejected = (event: TenantEvent, record: TenantRecord): IllegalTransitionError =>
  new IllegalTransitionError('closed subaccounts cannot be reopened', {
    tenantId: event.tenantId,
    accountSid: record.accountSid,
    eventType: event.type,
  });

const changeStatus = async (
  step: Step,
  record: TenantRecord,
  target: 'suspended' | 'active',
): Promise<Outcome> => {
  const { event, deps, call } = step;
  const { status } = await deps.gateway.setStatus(record.accountSid, target, call);
  // Closed outside this service: reopening stays illegal, suspending has nothing left to do.
  if (status === 'closed' && target === 'active') throw reopenRejected(event, record);
  await deps.vault.mark(event.tenantId, markFor(event, status, record.accountSid));
  if (status === 'closed')
    return { kind: 'noop', accountSid: record.accountSid, note: 'subaccount is closed on Twilio' };
  return { kind: target === 'suspended' ? 'suspended' : 'reactivated', accountSid: record.accountSid };
};

const close = async (step: Step, record: TenantRecord): Promise<Outcome> => {
  const { event, deps, call } = step;
  if (record.retired)
    return { kind: 'noop', accountSid: record.accountSid, note: 'already closed and retired' };
  if (record.lifecycle !== 'closed') await deps.gateway.setStatus(record.accountSid, 'closed', call);
  // Marked closed before the deletion is scheduled: a retired secret can no longer be tagged.
  if (record.lastEventId !== eventKey(event.eventId)) {
    await deps.vault.mark(event.tenantId, markFor(event, 'closed', record.accountSid));
  }
  await deps.vault.retire(event.tenantId, deps.recoveryWindowDays);
  return { kind: 'closed', accountSid: record.accountSid };
};

/** An applied no-op still moves the watermark, so an older event cannot overtake it later. */
const noop = async ({ event, deps }: Step, record: TenantRecord, note: string): Promise<Outcome> => {
  if (!record.retired && record.lastEventId !== eventKey(event.eventId)) {
    await deps.vault.mark(event.tenantId, markFor(event, record.lifecycle, record.accountSid));
  }
  return { kind: 'noop', accountSid: record.accountSid, note };
};

type Performer = (step: Step, record: TenantRecord) => Promise<Outcome>;

const PERFORMERS: Readonly<Record<Exclude<Action, 'provision' | 'reject-unknown'>, Performer>> = {
  reprovision,
  suspend: (step, record) => changeStatus(step, record, 'suspended'),
  reactivate: (step, record) => changeStatus(step, record, 'active'),
  close,
  noop: (step, record) => noop(step, record, `already ${record.lifecycle}`),
  'noop-closed': (step, record) => noop(step, record, 'subaccount is closed'),
  'reject-closed': async ({ event }, record) => {
    throw reopenRejected(event, record);
  },
};

export const applyTenantEvent = async (
  event: TenantEvent,
  deps: LifecycleDependencies,
  call: GatewayCallOptions = {},
): Promise<Outcome> => {
  // A created event almost always needs the FriendlyName lookup, which depends on nothing the
  // watermark read returns: both go out together, saving a round trip on every signup. (A replay
  // pays one read for nothing.) Its failure surfaces where it is awaited, or nowhere if unused.
  const lookup = event.type === 'tenant.created' ? findLive({ event, deps, call }) : undefined;
  lookup?.catch(() => {});
  const record = await deps.vault.describe(event.tenantId);
  const action = decide(event, record);
  if (action === 'ignore-stale') {
    return {
      kind: 'ignored-stale',
      accountSid: record?.accountSid,
      note: `older than ${record?.lastEventAt}`,
    };
  }
  const step: Step = { event, record, deps, call, lookup };
  if (action === 'provision') return provision(step);
  if (record === undefined || action === 'reject-unknown')
    throw new UnknownTenantError(event.tenantId, event.type);
  return PERFORMERS[action](step, record);
};
