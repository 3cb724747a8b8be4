import {
  type EventBridgeApiError,
  InternalError,
  LocalEventBridgeConfigError,
  ThrottlingError,
} from './errors.ts';

/**
 * What a PutEvents call can meet instead of (or besides) being processed:
 * - `internal-error`: HTTP 500 `InternalException`, nothing stored (the SDK retries it);
 * - `throttle`: HTTP 400 `ThrottlingException` for the whole request, nothing stored (retried);
 * - `entry-throttle` / `entry-internal-failure`: HTTP 200, and the listed entries (all when
 *   `entries` is absent) fail with the retryable per-entry codes `ThrottlingException` /
 *   `InternalFailure` while the others are stored. The SDK does not retry these: a 200 is a
 *   success, so the caller must resend the failed entries itself.
 *   https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsResultEntry.html
 * - `latency`: the answer `ms` later; a caller that hangs up meanwhile has nothing stored.
 */
export type EventBridgeFault =
  | { kind: 'internal-error' }
  | { kind: 'throttle' }
  | { kind: 'entry-throttle'; entries?: number[] }
  | { kind: 'entry-internal-failure'; entries?: number[] }
  | { kind: 'latency'; ms: number };

export type EventBridgeFaultKind = EventBridgeFault['kind'];

export interface EventBridgeFaultRule {
  fault: EventBridgeFault;
  /** How many PutEvents calls the rule fires on; unlimited when absent. */
  times?: number;
  /** Chance (0..1) that the rule fires on a call, drawn with the `random` option. */
  probability?: number;
}

export type EntryFailureCode = 'ThrottlingException' | 'InternalFailure';

export interface FaultDecision {
  delayMs: number;
  error?: EventBridgeApiError;
  /** The injected failure of the entry at `index`, if any. */
  entryFailure(index: number): EntryFailureCode | undefined;
  fired: EventBridgeFaultKind[];
}

const ENTRY_FAILURE_MESSAGES: Record<EntryFailureCode, string> = {
  ThrottlingException: 'Rate exceeded',
  InternalFailure: 'Internal failure',
};

export const entryFailureMessage = (code: EntryFailureCode): string => ENTRY_FAILURE_MESSAGES[code];

interface ActiveRule {
  rule: EventBridgeFaultRule;
  remaining: number;
}

const KINDS: readonly EventBridgeFaultKind[] = [
  'internal-error',
  'throttle',
  'entry-throttle',
  'entry-internal-failure',
  'latency',
];

const validateRule = (rule: EventBridgeFaultRule): void => {
  const fail = (option: string, problem: string) => {
    throw new LocalEventBridgeConfigError(option, problem);
  };
  if (typeof rule !== 'object' || rule === null) fail('rule', 'must be an object');
  if (!KINDS.includes(rule.fault?.kind)) fail('rule.fault.kind', `must be one of ${KINDS.join(', ')}`);
  const { fault } = rule;
  if (fault.kind === 'latency' && !(Number.isFinite(fault.ms) && fault.ms >= 0)) {
    fail('rule.fault.ms', 'must be a non-negative number of milliseconds');
  }
  if (
    (fault.kind === 'entry-throttle' || fault.kind === 'entry-internal-failure') &&
    fault.entries !== undefined &&
    !(
      Array.isArray(fault.entries) &&
      fault.entries.every((index) => Number.isSafeInteger(index) && index >= 0)
    )
  ) {
    fail('rule.fault.entries', 'must be entry indexes (0-based)');
  }
  if (rule.times !== undefined && !(Number.isSafeInteger(rule.times) && rule.times > 0)) {
    fail('rule.times', 'must be a positive integer');
  }
  if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) {
    fail('rule.probability', 'must be between 0 and 1');
  }
};

/**
 * Rules are checked in the order they were added. Latencies add up and entry failures merge
 * (the first rule naming an entry decides its code); the first request-level error that fires
 * answers the call, and later rules are not consulted (nor their `times` used).
 */
export class EventBridgeFaultInjector {
  #rules: ActiveRule[] = [];

  constructor(private readonly random: () => number) {}

  inject(rule: EventBridgeFaultRule): void {
    validateRule(rule);
    this.#rules.push({ rule: structuredClone(rule), remaining: rule.times ?? Number.POSITIVE_INFINITY });
  }

  /** Replaces the unlimited fixed latency; 0 removes it. */
  setLatency(ms: number): void {
    if (!(Number.isFinite(ms) && ms >= 0)) throw new LocalEventBridgeConfigError('ms', 'must be >= 0');
    this.#rules = this.#rules.filter(
      ({ rule, remaining }) =>
        !(
          rule.fault.kind === 'latency' &&
          remaining === Number.POSITIVE_INFINITY &&
          rule.probability === undefined
        ),
    );
    if (ms > 0) this.inject({ fault: { kind: 'latency', ms } });
  }

  clear(): void {
    this.#rules = [];
  }

  /** The rules still in force, `times` being what is left of each. */
  active(): EventBridgeFaultRule[] {
    return this.#rules.map(({ rule, remaining }) => ({
      ...structuredClone(rule),
      ...(remaining === Number.POSITIVE_INFINITY ? {} : { times: remaining }),
    }));
  }

  decide(): FaultDecision {
    // Rules in order; `undefined` indexes stand for every entry of the call.
    const failures: Array<{ indexes?: readonly number[]; code: EntryFailureCode }> = [];
    const decision: FaultDecision = {
      delayMs: 0,
      entryFailure: (index) => failures.find((f) => f.indexes?.includes(index) ?? true)?.code,
      fired: [],
    };
    for (const active of this.#rules) {
      if (decision.error) break;
      if (!this.#fires(active)) continue;
      active.remaining -= 1;
      const { fault } = active.rule;
      decision.fired.push(fault.kind);
      if (fault.kind === 'latency') decision.delayMs += fault.ms;
      else if (fault.kind === 'internal-error') decision.error = new InternalError();
      else if (fault.kind === 'throttle') decision.error = new ThrottlingError();
      else {
        const code = fault.kind === 'entry-throttle' ? 'ThrottlingException' : 'InternalFailure';
        failures.push({ indexes: fault.entries, code });
      }
    }
    this.#rules = this.#rules.filter((active) => active.remaining > 0);
    return decision;
  }

  #fires(active: ActiveRule): boolean {
    if (active.remaining <= 0) return false;
    const { probability } = active.rule;
    return probability === undefined || this.random() < probability;
  }
}
