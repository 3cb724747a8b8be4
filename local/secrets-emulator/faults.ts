import {
  EmulatorConfigError,
  InternalServiceError,
  type SecretsApiError,
  ThrottlingError,
} from './errors.ts';

export type SecretsFault =
  | { kind: 'throttle' }
  | { kind: 'internal-error' }
  | { kind: 'latency'; ms: number };

export interface SecretsFaultRule {
  /** An operation name such as 'CreateSecret', or '*' for every operation. */
  operation: string;
  fault: SecretsFault;
  /** How many times the rule fires; unlimited when absent. */
  times?: number;
  /** Chance (0..1) that the rule fires on a matching call, drawn with the emulator's `random`. */
  probability?: number;
}

/** What the faults decided for one call. */
export interface FaultDecision {
  delayMs: number;
  error?: SecretsApiError;
  fired: number;
}

interface ActiveRule {
  rule: SecretsFaultRule;
  remaining: number;
}

const ERRORS: Record<'throttle' | 'internal-error', () => SecretsApiError> = {
  throttle: () => new ThrottlingError(),
  'internal-error': () => new InternalServiceError(),
};

const validateRule = (rule: SecretsFaultRule): void => {
  if (typeof rule.operation !== 'string' || rule.operation.length === 0) {
    throw new EmulatorConfigError('rule.operation', 'must be an operation name or "*"');
  }
  if (!['throttle', 'internal-error', 'latency'].includes(rule.fault?.kind)) {
    throw new EmulatorConfigError('rule.fault.kind', 'must be throttle, internal-error or latency');
  }
  if (rule.fault.kind === 'latency' && !(Number.isFinite(rule.fault.ms) && rule.fault.ms >= 0)) {
    throw new EmulatorConfigError('rule.fault.ms', 'must be a non-negative number of milliseconds');
  }
  if (rule.times !== undefined && !(Number.isSafeInteger(rule.times) && rule.times > 0)) {
    throw new EmulatorConfigError('rule.times', 'must be a positive integer');
  }
  if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) {
    throw new EmulatorConfigError('rule.probability', 'must be between 0 and 1');
  }
};

/**
 * Rules are checked in the order they were injected. Latency rules add up; the first error rule
 * that fires answers the call, and later error rules are not consulted (nor their `times` used).
 */
export class FaultInjector {
  #rules: ActiveRule[] = [];

  constructor(private readonly random: () => number) {}

  inject(rule: SecretsFaultRule): void {
    validateRule(rule);
    this.#rules.push({ rule: structuredClone(rule), remaining: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.#rules = [];
  }

  decide(operation: string): FaultDecision {
    const decision: FaultDecision = { delayMs: 0, fired: 0 };
    for (const active of this.#rules) {
      if (decision.error) break;
      if (!this.#fires(active, operation)) continue;
      active.remaining -= 1;
      decision.fired += 1;
      const { fault } = active.rule;
      if (fault.kind === 'latency') decision.delayMs += fault.ms;
      else decision.error = ERRORS[fault.kind]();
    }
    this.#rules = this.#rules.filter((active) => active.remaining > 0);
    return decision;
  }

  #fires(active: ActiveRule, operation: string): boolean {
    const { rule } = active;
    if (active.remaining <= 0) return false;
    if (rule.operation !== '*' && rule.operation !== operation) return false;
    return rule.probability === undefined || this.random() < rule.probability;
  }
}
