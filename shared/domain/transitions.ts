/**
 * The lifecycle rules as data: what each event does to a tenant in each state. The use case
 * (apply-tenant-event.ts) carries out the action; this table is the whole policy.
 */
import type { TenantEvent, TenantEventType } from './event.ts';
import { eventKey } from './event-key.ts';
import { compareInstants, parseInstant } from './instant.ts';
import type { LedgerState, SubaccountStatus } from './ports.ts';

/** `absent`: never provisioned. `closed`: closed on Twilio (secret retired or about to be). */
export type TenantState = 'absent' | SubaccountStatus;

export type Action =
  | 'provision' // create (or adopt) the subaccount and store its credentials
  | 'reprovision' // a returning customer: fresh subaccount, restore and replace the retired secret
  | 'suspend'
  | 'reactivate'
  | 'close'
  | 'noop' // already in the state the event asks for
  | 'noop-closed' // nothing to do on a closed subaccount (logged)
  | 'reject-closed' // closed subaccounts cannot be reopened
  | 'reject-unknown'; // no subaccount for this tenant

export const TRANSITIONS: Readonly<Record<TenantEventType, Readonly<Record<TenantState, Action>>>> = {
  'tenant.created': { absent: 'provision', active: 'noop', suspended: 'noop', closed: 'reprovision' },
  'tenant.delinquent': {
    absent: 'reject-unknown',
    active: 'suspend',
    suspended: 'noop',
    closed: 'noop-closed',
  },
  'tenant.reinstated': {
    absent: 'reject-unknown',
    active: 'noop',
    suspended: 'reactivate',
    closed: 'reject-closed',
  },
  'tenant.churned': { absent: 'reject-unknown', active: 'close', suspended: 'close', closed: 'close' },
};

export const stateOf = (state: LedgerState | undefined): TenantState => state?.lifecycle ?? 'absent';

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
