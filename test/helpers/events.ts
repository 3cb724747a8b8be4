import type { TenantEvent, TenantEventType } from '../../shared/domain/event.ts';

let sequence = 0;

/** A valid event; `at` is minutes after a fixed origin so tests can order events explicitly. */
export const tenantEvent = (
  type: TenantEventType,
  tenantId: string,
  options: { at?: number; eventId?: string; tenantName?: string } = {},
): TenantEvent => {
  sequence += 1;
  const at = options.at ?? sequence;
  return {
    type,
    tenantId,
    eventId: options.eventId ?? `evt-${tenantId}-${type}-${at}-${sequence}`,
    occurredAt: new Date(Date.UTC(2026, 10, 1, 0, 0) + at * 60_000).toISOString(),
    ...(options.tenantName === undefined ? {} : { tenantName: options.tenantName }),
    version: 1,
  };
};
