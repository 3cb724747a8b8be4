/**
 * A seeded workload of tenant lifecycles, as the messages a producer would publish: each tenant's
 * events in order (MessageGroupId = tenantId, MessageDeduplicationId = eventId), interleaved across
 * tenants, plus the delivery faults producers cause themselves — the same message sent twice, the
 * same signup sent at once in another group (so two invocations handle it concurrently), an old
 * event re-published later — and bodies the handler must reject.
 */
import type { TenantEvent, TenantEventType } from '../../../shared/domain/event.ts';
import { messageOf, newTenantEvent, type OutgoingMessage } from '../../../shared/publishing/publisher.ts';
import type { Dice } from './random.ts';

export type MessageKind = 'event' | 'duplicate' | 'concurrent' | 'republished' | 'malformed';

export type MalformedCode = 'EVENT_INVALID_JSON' | 'EVENT_SCHEMA_VIOLATION';

export interface PlannedMessage extends OutgoingMessage {
  readonly kind: MessageKind;
  /** The event the body carries, when it is one. */
  readonly event?: TenantEvent;
  /** For malformed bodies: the errorCode their dead letter must carry. */
  readonly malformedCode?: MalformedCode;
}

export interface Workload {
  /** Tenants with a lifecycle (each starts with tenant.created). */
  readonly tenants: readonly string[];
  /** Tenants that only ever receive delinquent / reinstated / churned events. */
  readonly unknownTenants: readonly string[];
  /** Every tenant's lifecycle, duplicates and malformed bodies, interleaved across groups. */
  readonly firstWave: readonly PlannedMessage[];
  /** Earlier events re-published under new deduplication ids, after the first wave. */
  readonly secondWave: readonly PlannedMessage[];
}

/** How often each producer behaviour occurs; tuned so every kind shows up at the default size. */
export const WORKLOAD_RATES = {
  /** Delinquent/reinstated pairs per lifecycle: 0..maxPairs. */
  maxPairs: 2,
  /** A delinquent event repeated (the second one is a no-op). */
  repeatedDelinquent: 0.1,
  /** A delinquency that is never reinstated (the lifecycle ends suspended, or churns from there). */
  unreinstated: 0.15,
  /** tenant.created again while the subaccount is live (a no-op). */
  createdAgain: 0.05,
  churned: 0.35,
  /** After churn: a returning customer, created again. */
  returning: 0.3,
  /** After churn: tenant.reinstated, which a closed subaccount refuses (dead-lettered). */
  reinstatedAfterChurn: 0.1,
  /** After churn: tenant.delinquent, which has nothing left to do. */
  delinquentAfterChurn: 0.08,
  /** The same message sent twice under different deduplication ids. */
  duplicate: 0.05,
  /** The first tenant.created also sent in a group of its own: delivered concurrently. */
  concurrent: 0.1,
  /** A tenant with one of its earlier events re-published in the second wave. */
  republished: 0.1,
  /** Unknown tenants and malformed bodies, as fractions of the tenant count (at least one each). */
  unknownTenants: 0.03,
  malformed: 0.02,
} as const;

const ORIGIN_MS = Date.UTC(2026, 0, 1);

const tenantIdOf = (prefix: string, index: number): string => `${prefix}-${String(index).padStart(5, '0')}`;

/** One live spell of a subaccount: delinquencies and reinstatements. */
const liveSpell = (dice: Dice, types: TenantEventType[]): void => {
  const pairs = dice.int(0, WORKLOAD_RATES.maxPairs);
  for (let pair = 0; pair < pairs; pair += 1) {
    types.push('tenant.delinquent');
    if (dice.chance(WORKLOAD_RATES.repeatedDelinquent)) types.push('tenant.delinquent');
    if (dice.chance(WORKLOAD_RATES.unreinstated)) return;
    types.push('tenant.reinstated');
  }
  if (dice.chance(WORKLOAD_RATES.createdAgain)) types.push('tenant.created');
};

const afterChurn = (dice: Dice, types: TenantEventType[]): void => {
  if (dice.chance(WORKLOAD_RATES.reinstatedAfterChurn)) types.push('tenant.reinstated');
  if (dice.chance(WORKLOAD_RATES.delinquentAfterChurn)) types.push('tenant.delinquent');
};

/** created; live spell; maybe churned; maybe a returning customer with a second lifecycle. */
export const lifecycleTypes = (dice: Dice): TenantEventType[] => {
  const types: TenantEventType[] = ['tenant.created'];
  liveSpell(dice, types);
  if (!dice.chance(WORKLOAD_RATES.churned)) return types;
  types.push('tenant.churned');
  afterChurn(dice, types);
  if (!dice.chance(WORKLOAD_RATES.returning)) return types;
  types.push('tenant.created');
  liveSpell(dice, types);
  if (dice.chance(WORKLOAD_RATES.churned)) types.push('tenant.churned');
  return types;
};

/** occurredAt a minute apart per tenant, so each tenant's events are strictly ordered. */
const eventsOf = (tenantId: string, tenantIndex: number, types: readonly TenantEventType[]): TenantEvent[] =>
  types.map((type, step) =>
    newTenantEvent(type, tenantId, {
      eventId: `${tenantId}.${step + 1}`,
      occurredAt: new Date(ORIGIN_MS + step * 60_000 + tenantIndex * 1_000),
      ...(type === 'tenant.created' ? { tenantName: `Tenant ${tenantId}` } : {}),
    }),
  );

const eventMessage = (event: TenantEvent): PlannedMessage => ({ ...messageOf(event), kind: 'event', event });

/** The very same body again: a producer retrying a send whose answer it lost. */
const duplicateOf = (event: TenantEvent): PlannedMessage => ({
  ...messageOf(event),
  deduplicationId: `${event.eventId}#dup`,
  kind: 'duplicate',
  event,
});

/**
 * The signup in a group of its own, as a producer with the wrong group, a redrive or a standard
 * queue delivers it: it runs alongside the tenant's own group. Only the first tenant.created, the
 * tenant's oldest event, so whenever it runs it is the first apply, a replay or stale, and the
 * expected end state does not depend on the race.
 */
const concurrentCopyOf = (event: TenantEvent): PlannedMessage => ({
  ...messageOf(event),
  groupId: `${event.tenantId}.copy`,
  deduplicationId: `${event.eventId}#copy`,
  kind: 'concurrent',
  event,
});

const republicationOf = (event: TenantEvent): PlannedMessage => ({
  ...messageOf(event),
  deduplicationId: `${event.eventId}#again`,
  kind: 'republished',
  event,
});

/** `always`: the first tenant always has one, so even a tiny workload covers every kind of message. */
const withDuplicates = (dice: Dice, events: readonly TenantEvent[], always = false): PlannedMessage[] =>
  events.flatMap((event, i) =>
    dice.chance(WORKLOAD_RATES.duplicate) || (always && i === 0)
      ? [eventMessage(event), duplicateOf(event)]
      : [eventMessage(event)],
  );

const UNKNOWN_TYPES: readonly TenantEventType[] = [
  'tenant.delinquent',
  'tenant.reinstated',
  'tenant.churned',
];

interface MalformedTemplate {
  readonly code: MalformedCode;
  readonly body: (tenantId: string, n: number) => string;
}

/** A valid-looking event to spoil, with a fixed date so a seed always publishes the same bytes. */
const spoilable = (tenantId: string, n: number): TenantEvent =>
  newTenantEvent('tenant.created', tenantId, { eventId: `bad-${n}`, occurredAt: new Date(ORIGIN_MS) });

const MALFORMED: readonly MalformedTemplate[] = [
  { code: 'EVENT_INVALID_JSON', body: (tenantId) => `{"type":"tenant.created","tenantId":"${tenantId}"` },
  { code: 'EVENT_INVALID_JSON', body: (_tenantId, n) => `not json ${n}` },
  {
    code: 'EVENT_SCHEMA_VIOLATION',
    body: (tenantId, n) => JSON.stringify({ ...spoilable(tenantId, n), version: 2 }),
  },
  {
    code: 'EVENT_SCHEMA_VIOLATION',
    body: (tenantId, n) => JSON.stringify({ ...spoilable(tenantId, n), type: 'tenant.paused' }),
  },
  { code: 'EVENT_SCHEMA_VIOLATION', body: (_tenantId, n) => JSON.stringify([n, 'not an object']) },
];

/** Half of them ride in a real tenant's group, where they must not hold that tenant up. */
const malformedMessages = (dice: Dice, count: number, tenants: readonly string[]): PlannedMessage[] =>
  Array.from({ length: count }, (_, n) => {
    const template = MALFORMED[n % MALFORMED.length]!;
    const tenantId = dice.pick(tenants);
    return {
      body: template.body(tenantId, n),
      groupId: dice.chance(0.5) ? tenantId : `malformed-${n}`,
      deduplicationId: `malformed-${n}`,
      kind: 'malformed',
      malformedCode: template.code,
    };
  });

/** Merges the groups at random while keeping each group's own order (what a FIFO queue preserves). */
export const interleave = <T>(dice: Dice, groups: readonly (readonly T[])[]): T[] => {
  const open = groups.filter((group) => group.length > 0).map((group) => ({ group, next: 0 }));
  const merged: T[] = [];
  while (open.length > 0) {
    const at = dice.int(0, open.length - 1);
    const cursor = open[at]!;
    merged.push(cursor.group[cursor.next]!);
    cursor.next += 1;
    if (cursor.next === cursor.group.length) open.splice(at, 1);
  }
  return merged;
};

export const generateWorkload = (dice: Dice, tenantCount: number): Workload => {
  const tenants = Array.from({ length: tenantCount }, (_, i) => tenantIdOf('tenant', i + 1));
  const lifecycles = tenants.map((tenantId, i) => eventsOf(tenantId, i, lifecycleTypes(dice)));
  const unknownCount = Math.max(1, Math.round(tenantCount * WORKLOAD_RATES.unknownTenants));
  const unknownTenants = Array.from({ length: unknownCount }, (_, i) => tenantIdOf('unknown', i + 1));
  const unknownEvents = unknownTenants.map((tenantId, i) =>
    eventsOf(
      tenantId,
      tenantCount + i,
      Array.from({ length: dice.int(1, 2) }, () => dice.pick(UNKNOWN_TYPES)),
    ),
  );
  const malformed = malformedMessages(
    dice,
    Math.max(1, Math.round(tenantCount * WORKLOAD_RATES.malformed)),
    tenants,
  );
  const concurrentCopies = lifecycles
    .filter((_, i) => dice.chance(WORKLOAD_RATES.concurrent) || i === 0)
    .map((events) => [concurrentCopyOf(events[0]!)]);
  const firstWave = interleave(dice, [
    ...[...lifecycles, ...unknownEvents].map((events, i) => withDuplicates(dice, events, i === 0)),
    ...concurrentCopies,
    ...malformed.map((message) => [message]),
  ]);
  const secondWave = interleave(
    dice,
    lifecycles
      .filter((_, i) => dice.chance(WORKLOAD_RATES.republished) || i === 0)
      .map((events) => [republicationOf(dice.pick(events))]),
  );
  return { tenants, unknownTenants, firstWave, secondWave };
};
