/**
 * The lifecycle rules as data: what each event does to a tenant in each state. The use case
 * (apply-tenant-event.ts) carries out the action; this table is the whole policy.
 */
import type { TenantEvent, TenantEventType } from './event.ts';
import { occurredAtMs } from './event.ts';
import { eventKey } from './event-key.ts';
import type { SubaccountStatus, TenantRecord } from './ports.ts';

/** `absent`: no secret at all. `closed`: closed on Twilio (secret retired or about to be). */
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

export const stateOf = (record: TenantRecord | undefined): TenantState => record?.lifecycle ?? 'absent';

export type Freshness = 'new' | 'replay' | 'stale';

/**
 * `stale`: strictly older than the last applied event, so a standard queue or a DLQ redrive that
 * delivers out of order cannot roll a tenant back. `replay`: the very event last applied.
 */
export const freshness = (event: TenantEvent, record: TenantRecord | undefined): Freshness => {
  if (record === undefined) return 'new';
  if (record.lastEventId === eventKey(event.eventId)) return 'replay';
  return occurredAtMs(event) < Date.parse(record.lastEventAt) ? 'stale' : 'new';
};

export const decide = (event: TenantEvent, record: TenantRecord | undefined): Action | 'ignore-stale' =>
  freshness(event, record) === 'stale' ? 'ignore-stale' : TRANSITIONS[event.type][stateOf(record)];
