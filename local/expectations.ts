/**
 * What a replayed event file must leave behind, derived from the lifecycle rules themselves
 * (shared/domain/transitions.ts), never from the running system: the local run compares what it
 * observes in the emulators against this.
 *
 * The model processes lines in file order. A FIFO queue keeps the order within each message group
 * (one group per tenant) and tenants never influence each other, so the file order is the order in
 * which every tenant's events reach the handler.
 */
import { parseTenantEvent } from '../shared/domain/envelope.ts';
import {
  EventFromFutureError,
  IllegalTransitionError,
  InvalidEventError,
  RotationUnsupportedError,
  UnknownTenantError,
} from '../shared/domain/errors.ts';
import type { TenantEvent } from '../shared/domain/event.ts';
import { canonicalInstant, instantMs, parseInstant } from '../shared/domain/instant.ts';
import type { LedgerState, SubaccountStatus, TenantCredentialKind } from '../shared/domain/ports.ts';
import { type Action, decide } from '../shared/domain/transitions.ts';

/** One non-blank line of an event file: a readable tenant event, or anything else. */
export type EventLine =
  | { readonly kind: 'event'; readonly lineNumber: number; readonly raw: string; readonly event: TenantEvent }
  | {
      readonly kind: 'malformed';
      readonly lineNumber: number;
      readonly raw: string;
      /** The tenantId the handler attributes the failure to, when one can be read. */
      readonly tenantId: string | undefined;
      readonly errorCode: string;
      readonly reason: string;
    };

/** A message the handler must move to the dead-letter queue, with the code and reason it gives. */
export interface ExpectedDeadLetter {
  readonly lineNumber: number;
  readonly tenantId: string | undefined;
  readonly errorCode: string;
  readonly reason: string;
}

export interface TenantExpectation {
  readonly tenantId: string;
  /** The status of the tenant's current subaccount on Twilio; `null` when it never had one. */
  readonly status: SubaccountStatus | null;
  /** A live (not scheduled for deletion) secret holds the current subaccount's credentials. */
  readonly secretStored: boolean;
  /** Error codes of the tenant's dead-lettered messages, in file order; `null` when there are none. */
  readonly deadLetter: string[] | null;
  /** Subaccounts created for the tenant over the file (a returning customer gets a fresh one). */
  readonly subaccounts: number;
}

export interface Expectations {
  /** In order of first appearance in the file. */
  readonly tenants: TenantExpectation[];
  /** Every message expected in the DLQ, in file order (also those with no readable tenantId). */
  readonly deadLetters: ExpectedDeadLetter[];
}

/** Reads one line the way the handler reads a message body. */
export const toEventLine = (raw: string, lineNumber: number): EventLine => {
  try {
    return { kind: 'event', lineNumber, raw, event: parseTenantEvent(raw).event };
  } catch (error) {
    if (!(error instanceof InvalidEventError)) throw error;
    return {
      kind: 'malformed',
      lineNumber,
      raw,
      tenantId: error.tenantId,
      errorCode: error.code,
      reason: error.message,
    };
  }
};

interface TenantModel {
  state: LedgerState | undefined;
  subaccounts: number;
  deadLetters: ExpectedDeadLetter[];
}

type Effect = (model: TenantModel, event: TenantEvent) => ExpectedDeadLetterFields | undefined;
type ExpectedDeadLetterFields = Pick<ExpectedDeadLetter, 'errorCode' | 'reason'>;

/** The watermark an applied event leaves in the ledger (apply-tenant-event.ts watermarkAfter). */
const applied = (
  state: LedgerState | undefined,
  event: TenantEvent,
  change: Partial<LedgerState>,
): LedgerState => {
  const watermark = canonicalInstant(event.occurredAt);
  const same = state !== undefined && state.watermark === watermark;
  return {
    lifecycle: 'active',
    accountSid: '',
    friendlyName: '',
    secretRetired: false,
    ...state,
    ...change,
    watermark,
    appliedAtWatermark: same ? [...state.appliedAtWatermark, event.eventId] : [event.eventId],
  };
};

const freshSubaccount = (model: TenantModel, event: TenantEvent): void => {
  model.subaccounts += 1;
  model.state = applied(model.state, event, {
    lifecycle: 'active',
    accountSid: `subaccount-${model.subaccounts}`,
    secretRetired: false,
  });
};

const setStatus =
  (lifecycle: SubaccountStatus): Effect =>
  (model, event) => {
    // A reactivation inside a grace period also forgets the scheduled close.
    const { closeDueAt: _cancelled, ...rest } = model.state ?? ({} as LedgerState);
    model.state = applied(model.state === undefined ? undefined : (rest as LedgerState), event, {
      lifecycle,
    });
    return undefined;
  };

/** A no-op still moves the watermark. */
const noop: Effect = (model, event) => {
  model.state = applied(model.state, event, {});
  return undefined;
};

const close: Effect = (model, event) => {
  if (model.state?.secretRetired) return noop(model, event);
  const { closeDueAt: _done, ...rest } = model.state ?? ({} as LedgerState);
  model.state = applied(rest as LedgerState, event, { lifecycle: 'closed', secretRetired: true });
  return undefined;
};

const deadLetterOf = (error: { code: string; message: string }): ExpectedDeadLetterFields => ({
  errorCode: error.code,
  reason: error.message,
});

/** What each decision of the transition table does to the model, under the run's settings. */
const effectsOf = (
  settings: ExpectationSettings,
): Readonly<Record<Action | 'ignore-stale' | 'replay', Effect>> => ({
  provision: (model, event) => {
    freshSubaccount(model, event);
    return undefined;
  },
  reprovision: (model, event) => {
    freshSubaccount(model, event);
    return undefined;
  },
  suspend: setStatus('suspended'),
  reactivate: setStatus('active'),
  'cancel-close': setStatus('active'),
  churn: (model, event) => {
    if (settings.churnGraceMs <= 0 || model.state?.lifecycle === 'closed') return close(model, event);
    const closeDueAt = new Date(
      instantMs(parseInstant(event.occurredAt)) + settings.churnGraceMs,
    ).toISOString();
    model.state = applied(model.state, event, { lifecycle: 'suspended', closeDueAt });
    return undefined;
  },
  close,
  rotate: (model, event) =>
    settings.credentials === 'auth-token'
      ? deadLetterOf(new RotationUnsupportedError(event.tenantId))
      : noop(model, event),
  noop,
  'noop-closed': noop,
  'ignore-stale': () => undefined,
  replay: () => undefined,
  'reject-closed': (_model, event) =>
    deadLetterOf(
      new IllegalTransitionError('closed subaccounts cannot be reopened', {
        tenantId: event.tenantId,
        eventType: event.type,
      }),
    ),
  'reject-unknown': (_model, event) => deadLetterOf(new UnknownTenantError(event.tenantId, event.type)),
});

const applyEvent = (
  model: TenantModel,
  event: TenantEvent,
  settings: ExpectationSettings,
): ExpectedDeadLetterFields | undefined => {
  const now = settings.now();
  if (instantMs(parseInstant(event.occurredAt)) > now + settings.maxClockSkewMs) {
    return deadLetterOf(new EventFromFutureError(event.occurredAt, now, settings.maxClockSkewMs));
  }
  return effectsOf(settings)[decide(event, model.state)](model, event);
};

/** The handler's settings that change what an event does. */
export interface ExpectationSettings {
  readonly now: () => number;
  /** Events from further in the future than this are refused. */
  readonly maxClockSkewMs: number;
  /** A churn with a grace period suspends and schedules the close instead of closing. */
  readonly churnGraceMs: number;
  readonly credentials: TenantCredentialKind;
}

const DEFAULT_SETTINGS: ExpectationSettings = {
  now: Date.now,
  maxClockSkewMs: 300_000,
  churnGraceMs: 0,
  credentials: 'auth-token',
};

const expectationOf = (tenantId: string, model: TenantModel): TenantExpectation => ({
  tenantId,
  status: model.state?.lifecycle ?? null,
  secretStored: model.state !== undefined && !model.state.secretRetired,
  deadLetter: model.deadLetters.length === 0 ? null : model.deadLetters.map((entry) => entry.errorCode),
  subaccounts: model.subaccounts,
});

/** Applies every line, in order, to an in-memory model of each tenant. Pure. */
export const expectTenantStates = (
  lines: readonly EventLine[],
  overrides: Partial<ExpectationSettings> = {},
): Expectations => {
  const settings: ExpectationSettings = { ...DEFAULT_SETTINGS, ...overrides };
  const tenants = new Map<string, TenantModel>();
  const deadLetters: ExpectedDeadLetter[] = [];
  const modelOf = (tenantId: string): TenantModel => {
    let model = tenants.get(tenantId);
    if (model === undefined) {
      model = { state: undefined, subaccounts: 0, deadLetters: [] };
      tenants.set(tenantId, model);
    }
    return model;
  };

  for (const line of lines) {
    const tenantId = line.kind === 'event' ? line.event.tenantId : line.tenantId;
    const tenant = tenantId === undefined ? undefined : modelOf(tenantId);
    const failure =
      line.kind === 'malformed'
        ? { errorCode: line.errorCode, reason: line.reason }
        : applyEvent(modelOf(line.event.tenantId), line.event, settings);
    if (failure === undefined) continue;
    const deadLetter = { lineNumber: line.lineNumber, tenantId, ...failure };
    deadLetters.push(deadLetter);
    tenant?.deadLetters.push(deadLetter);
  }

  return {
    tenants: [...tenants].map(([tenantId, model]) => expectationOf(tenantId, model)),
    deadLetters,
  };
};
