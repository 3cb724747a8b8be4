/**
 * The lifecycle rules as data: what each event does to a tenant in each state. The use case
 * (apply-tenant-event.ts) carries out the action; this table is the whole policy.
 */
import type { TenantEvent, TenantEventType } from './event.ts';
import { eventKey } from './event-key.ts';
import { compareInstants, parseInstant } from './instant.ts';
import type { LedgerState, SubaccountStatus } from './ports.ts';

/**
 * `absent`: never provisioned. `closing`: churned inside its grace period (suspended on Twilio,
 * the close due at a recorded time). `closed`: closed on Twilio (secret retired or about to be).
 */
export type TenantState = 'absent' | SubaccountStatus | 'closing';

export type Action =
  | 'provision' // create (or adopt) the subaccount and store its credentials
  | 'reprovision' // a returning customer: fresh subaccount, restore and replace the retired secret
  | 'suspend'
  | 'reactivate'
  | 'churn' // close now, or, with a grace period, suspend and schedule the close
  | 'close' // close now and retire the secret (also finishes a close closed outside the service)
  | 'cancel-close' // inside the grace period: reactivate the same subaccount, forget the close
  | 'rotate' // new credentials, then the old ones revoked
  | 'noop' // already in the state the event asks for
  | 'noop-closed' // nothing to do on a closed subaccount (logged)
  | 'reject-closed' // closed subaccounts cannot be reopened
  | 'reject-unknown'; // no subaccount for this tenant

export const TRANSITIONS: Readonly<Record<TenantEventType, Readonly<Record<TenantState, Action>>>> = {
  'tenant.created': {
    absent: 'provision',
    active: 'noop',
    suspended: 'noop',
    closing: 'cancel-close',
    closed: 'reprovision',
  },
  'tenant.delinquent': {
    absent: 'reject-unknown',
    active: 'suspend',
    suspended: 'noop',
    closing: 'noop',
    closed: 'noop-closed',
  },
  'tenant.reinstated': {
    absent: 'reject-unknown',
    active: 'noop',
    suspended: 'reactivate',
    closing: 'cancel-close',
    closed: 'reject-closed',
  },
  'tenant.churned': {
    absent: 'reject-unknown',
    active: 'churn',
    suspended: 'churn',
    // Churned twice: the close is already scheduled; it still happens once.
    closing: 'noop',
    closed: 'close',
  },
  'tenant.close-due': {
    absent: 'reject-unknown',
    // Cancelled meanwhile (reinstated or created again inside the window): nothing to close.
    active: 'noop',
    suspended: 'noop',
    closing: 'close',
    closed: 'noop-closed',
  },
  'tenant.credentials-rotation-requested': {
    absent: 'reject-unknown',
    active: 'rotate',
    suspended: 'rotate',
    closing: 'rotate',
    closed: 'reject-closed',
  },
};

export const stateOf = (state: LedgerState | undefined): TenantState => {
  if (state === undefined) return 'absent';
  return state.closeDueAt !== undefined && state.lifecycle !== 'closed' ? 'closing' : state.lifecycle;
};

export type Freshness = 'new' | 'replay' | 'stale';

/**
 * Against the ledger's watermark, compared as exact instants: `stale` is strictly older, so a
 * standard queue or a DLQ redrive that delivers out of order cannot roll a tenant back; `replay` is
 * an event applied at exactly the watermark instant (its eventId is recorded there); another
 * event at that same instant is `new` and applies in queue order.
 */
export const freshness = (event: TenantEvent, state: LedgerState | undefined): Freshness => {
  if (state === undefined) return 'new';
  const order = compareInstants(parseInstant(event.occurredAt), parseInstant(state.watermark));
  if (order < 0) return 'stale';
  if (order > 0) return 'new';
  const applied = state.appliedAtWatermark;
  return applied.includes(event.eventId) || applied.includes(eventKey(event.eventId)) ? 'replay' : 'new';
};

/** What an event does to a tenant in `state`: an action of the table, or nothing at all. */
export const decide = (
  event: TenantEvent,
  state: LedgerState | undefined,
): Action | 'ignore-stale' | 'replay' => {
  const fresh = freshness(event, state);
  if (fresh === 'stale') return 'ignore-stale';
  if (fresh === 'replay') return 'replay';
  return TRANSITIONS[event.type][stateOf(state)];
};
