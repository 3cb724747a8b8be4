/**
 * What the events imply once the close sweep has run: the model (local/expectations.ts) applies
 * the file's lines under the run's grace period, then a `tenant.close-due` for every tenant it
 * leaves closing whose close was due by the time of the last sweep, as the sweep sends them.
 *
 * The model does not report due times, so they are derived from the model itself: a tenant is
 * closing after a prefix of its lines when a close-due appended there closes it (the transition
 * table closes only a closing tenant); its close is due the grace period after the churn that
 * began the uninterrupted run of closing prefixes that reaches the end of the file. Tenants never
 * influence each other in the model, so each is modelled on its own lines.
 */

import { instantMs, parseInstant } from '../../shared/domain/instant.ts';
import {
  type EventLine,
  type ExpectationSettings,
  type Expectations,
  expectTenantStates,
  type TenantExpectation,
} from '../expectations.ts';

export type GraceSettings = Pick<ExpectationSettings, 'churnGraceMs' | 'credentials'> &
  Partial<Pick<ExpectationSettings, 'now' | 'maxClockSkewMs'>>;

const DEFAULT_SKEW_MS = 300_000;

const linesOf = (lines: readonly EventLine[], tenantId: string): EventLine[] =>
  lines.filter((line) => (line.kind === 'event' ? line.event.tenantId : line.tenantId) === tenantId);

const statusAfter = (lines: readonly EventLine[], tenantId: string, settings: ExpectationSettings) =>
  expectTenantStates(lines, settings).tenants.find((tenant) => tenant.tenantId === tenantId)?.status ?? null;

/** A close-due later than every line (yet not from the future), as the sweep would send it. */
const closeDueLine = (
  lines: readonly EventLine[],
  tenantId: string,
  settings: ExpectationSettings,
): EventLine => {
  const now = settings.now();
  const latest = Math.max(
    now,
    ...lines.flatMap((line) =>
      line.kind === 'event' ? [instantMs(parseInstant(line.event.occurredAt))] : [],
    ),
  );
  const at = Math.min(latest + 1, now + settings.maxClockSkewMs);
  const event = {
    type: 'tenant.close-due' as const,
    tenantId,
    eventId: 'model-close-due',
    occurredAt: new Date(at).toISOString(),
    version: 1 as const,
  };
  return { kind: 'event', lineNumber: Number.MAX_SAFE_INTEGER, raw: JSON.stringify(event), event };
};

const closingAfter = (
  prefix: readonly EventLine[],
  tenantId: string,
  settings: ExpectationSettings,
): boolean =>
  statusAfter(prefix, tenantId, settings) === 'suspended' &&
  statusAfter([...prefix, closeDueLine(prefix, tenantId, settings)], tenantId, settings) === 'closed';

/** When the tenant's pending close is due (epoch ms), or `undefined` when it is not closing. */
export const pendingCloseDue = (
  lines: readonly EventLine[],
  tenantId: string,
  settings: ExpectationSettings,
): number | undefined => {
  const own = linesOf(lines, tenantId);
  if (!closingAfter(own, tenantId, settings)) return undefined;
  let start = own.length;
  while (start > 1 && closingAfter(own.slice(0, start - 1), tenantId, settings)) start -= 1;
  const churn = own[start - 1];
  if (churn?.kind !== 'event') return undefined;
  // As the function records it: a Date, so whole milliseconds.
  return Math.floor(instantMs(parseInstant(churn.event.occurredAt)) + settings.churnGraceMs);
};

const closedBySweep = (expected: TenantExpectation): TenantExpectation => ({
  ...expected,
  status: 'closed',
  secretStored: false,
});

/**
 * The expectations of `lines` under `settings`, with every tenant whose close was due by
 * `sweptAt` (epoch ms, the last sweep) closed, as the sweep and the function leave it.
 */
export const expectAfterSweep = (
  lines: readonly EventLine[],
  graceSettings: GraceSettings,
  sweptAt: number,
): Expectations => {
  const settings: ExpectationSettings = {
    now: Date.now,
    maxClockSkewMs: DEFAULT_SKEW_MS,
    ...graceSettings,
  };
  const expectations = expectTenantStates(lines, settings);
  if (settings.churnGraceMs <= 0) return expectations;
  return {
    ...expectations,
    tenants: expectations.tenants.map((expected) => {
      if (expected.status !== 'suspended') return expected;
      const due = pendingCloseDue(lines, expected.tenantId, settings);
      return due !== undefined && due <= sweptAt ? closedBySweep(expected) : expected;
    }),
  };
};
