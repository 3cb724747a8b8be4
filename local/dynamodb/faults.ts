import { LocalDynamoDbConfigError } from './errors.ts';
import { operationName } from './wire.ts';

/**
 * What the proxy can do to a call instead of (or before) passing it on:
 * - `latency`: wait `ms` before forwarding, as a slow network or a busy partition would;
 * - `throttle`: answer ProvisionedThroughputExceededException without forwarding, so nothing is
 *   applied, exactly as DynamoDB rejects a request it throttles;
 * - `lost-answer`: forward the call, let dynalite apply it, then destroy the connection before
 *   the answer reaches the caller, as when a Lambda times out or the network drops mid-call.
 */
export type DynamoFault = { kind: 'latency'; ms: number } | { kind: 'throttle' } | { kind: 'lost-answer' };

export type DynamoFaultKind = DynamoFault['kind'];

export interface DynamoFaultRule {
  /**
   * The operation as named in X-Amz-Target, with or without its prefix (`UpdateItem` or
   * `DynamoDB_20120810.UpdateItem`), or `'*'` (the default) for every call.
   */
  operation?: string;
  fault: DynamoFault;
  /** How many times the rule fires; unlimited when absent. */
  times?: number;
  /** Chance (0..1) that the rule fires on a matching call, drawn with the `random` option. */
  probability?: number;
}

/** What the faults decided for one call. */
export interface FaultDecision {
  delayMs: number;
  /** The fault that answers the call instead of dynalite's answer, if any. */
  outcome?: 'throttle' | 'lost-answer';
  /** Every rule that fired, for the stats. */
  fired: DynamoFaultKind[];
}

interface ActiveRule {
  operation: string;
  fault: DynamoFault;
  probability?: number;
  remaining: number;
}

const KINDS: readonly DynamoFaultKind[] = ['latency', 'throttle', 'lost-answer'];

const validateRule = (rule: DynamoFaultRule): void => {
  const fail = (option: string, problem: string) => {
    throw new LocalDynamoDbConfigError(option, problem);
  };
  if (typeof rule !== 'object' || rule === null) fail('rule', 'must be an object');
  if (rule.operation !== undefined && (typeof rule.operation !== 'string' || rule.operation.length === 0)) {
    fail('rule.operation', 'must be an operation name such as UpdateItem, or "*"');
  }
  if (!KINDS.includes(rule.fault?.kind)) fail('rule.fault.kind', 'must be latency, throttle or lost-answer');
  if (rule.fault.kind === 'latency' && !(Number.isFinite(rule.fault.ms) && rule.fault.ms >= 0)) {
    fail('rule.fault.ms', 'must be a non-negative number of milliseconds');
  }
  if (rule.times !== undefined && !(Number.isSafeInteger(rule.times) && rule.times > 0)) {
    fail('rule.times', 'must be a positive integer');
  }
  if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) {
    fail('rule.probability', 'must be between 0 and 1');
  }
};

/** `DynamoDB_20120810.UpdateItem` and `UpdateItem` name the same rule target. */
const normalise = (operation: string | undefined): string =>
  operation === undefined || operation === '*' ? '*' : (operationName(operation) ?? operation);

/**
 * Rules are checked in the order they were added. Latency rules add up; the first throttle or
 * lost-answer rule that fires decides the call, and later ones are not consulted (nor their
 * `times` used), so "throttle twice, then lose one answer" is two rules added in that order.
 */
export class DynamoFaultInjector {
  #rules: ActiveRule[] = [];

  constructor(private readonly random: () => number) {}

  inject(rule: DynamoFaultRule): void {
    validateRule(rule);
    this.#rules.push({
      operation: normalise(rule.operation),
      fault: { ...rule.fault },
      probability: rule.probability,
      remaining: rule.times ?? Number.POSITIVE_INFINITY,
    });
  }

  /** Replaces the unlimited fixed latency of `operation`; 0 removes it. */
  setLatency(ms: number, operation?: string): void {
    const target = normalise(operation);
    if (!(Number.isFinite(ms) && ms >= 0)) throw new LocalDynamoDbConfigError('ms', 'must be >= 0');
    this.#rules = this.#rules.filter(
      (rule) =>
        !(
          rule.fault.kind === 'latency' &&
          rule.operation === target &&
          rule.remaining === Number.POSITIVE_INFINITY &&
          rule.probability === undefined
        ),
    );
    if (ms > 0) this.inject({ operation: target, fault: { kind: 'latency', ms } });
  }

  clear(): void {
    this.#rules = [];
  }

  /** The rules still in force, `times` being what is left of each. */
  active(): DynamoFaultRule[] {
    return this.#rules.map((rule) => ({
      operation: rule.operation,
      fault: { ...rule.fault },
      ...(rule.remaining === Number.POSITIVE_INFINITY ? {} : { times: rule.remaining }),
      ...(rule.probability === undefined ? {} : { probability: rule.probability }),
    }));
  }

  decide(operation: string): FaultDecision {
    const decision: FaultDecision = { delayMs: 0, fired: [] };
    for (const rule of this.#rules) {
      if (decision.outcome) break;
      if (!this.#fires(rule, operation)) continue;
      rule.remaining -= 1;
      decision.fired.push(rule.fault.kind);
      if (rule.fault.kind === 'latency') decision.delayMs += rule.fault.ms;
      else decision.outcome = rule.fault.kind;
    }
    this.#rules = this.#rules.filter((rule) => rule.remaining > 0);
    return decision;
  }

  #fires(rule: ActiveRule, operation: string): boolean {
    if (rule.remaining <= 0) return false;
    if (rule.operation !== '*' && rule.operation !== operation) return false;
    return rule.probability === undefined || this.random() < rule.probability;
  }
}
