/**
 * Fault rules: throttling, server errors, latency and connection resets, so callers' retry,
 * timeout and ambiguous-create handling can be exercised over real HTTP.
 */
import { TwilioEmulatorConfigError } from './errors.ts';
import { TWILIO_ROUTES, type TwilioFault, type TwilioFaultRule, type TwilioRoute } from './types.ts';

/** A fault that decides the request's outcome (everything but latency). */
export type OutcomeFault = Exclude<TwilioFault, { kind: 'latency' }>;

export interface FaultPlan {
  /** Sum of every latency rule that fired. */
  readonly latencyMs: number;
  readonly latencyFired: boolean;
  readonly outcome: OutcomeFault | undefined;
}

interface ActiveRule {
  readonly rule: TwilioFaultRule;
  remaining: number;
}

const isNonNegativeInteger = (value: number): boolean => Number.isInteger(value) && value >= 0;

const FAULT_CHECKS: Record<TwilioFault['kind'], (fault: TwilioFault) => boolean> = {
  'rate-limit': (f) =>
    f.kind === 'rate-limit' &&
    (f.retryAfterSeconds === undefined || isNonNegativeInteger(f.retryAfterSeconds)),
  'server-error': (f) => f.kind === 'server-error' && (f.status === 500 || f.status === 503),
  latency: (f) => f.kind === 'latency' && Number.isFinite(f.ms) && f.ms >= 0,
  'reset-before': () => true,
  'reset-after': () => true,
};

const checkRule = (rule: TwilioFaultRule): void => {
  if (rule.route !== '*' && !TWILIO_ROUTES.includes(rule.route)) {
    throw new TwilioEmulatorConfigError('fault.route', `must be * or one of ${TWILIO_ROUTES.join(', ')}`);
  }
  const check = FAULT_CHECKS[rule.fault?.kind];
  if (check === undefined || !check(rule.fault)) {
    throw new TwilioEmulatorConfigError('fault.fault', 'is not a valid fault (see TwilioFault)');
  }
  if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times > 0)) {
    throw new TwilioEmulatorConfigError('fault.times', 'must be a positive integer');
  }
  const probability = rule.probability ?? 1;
  if (!(probability >= 0 && probability <= 1)) {
    throw new TwilioEmulatorConfigError('fault.probability', 'must be between 0 and 1');
  }
};

export class FaultBook {
  private rules: ActiveRule[] = [];

  constructor(
    private readonly random: () => number,
    private readonly onFire: (kind: TwilioFault['kind']) => void,
  ) {}

  inject(rule: TwilioFaultRule): void {
    checkRule(rule);
    this.rules.push({
      rule: { ...rule, fault: { ...rule.fault } },
      remaining: rule.times ?? Number.POSITIVE_INFINITY,
    });
  }

  clear(): void {
    this.rules = [];
  }

  /** Every matching latency rule may fire; then the first matching outcome rule that fires wins. */
  plan(route: TwilioRoute): FaultPlan {
    const matching = this.rules.filter((r) => r.rule.route === '*' || r.rule.route === route);
    let latencyMs = 0;
    let latencyFired = false;
    for (const active of matching) {
      if (active.rule.fault.kind !== 'latency' || !this.fire(active)) continue;
      latencyMs += active.rule.fault.ms;
      latencyFired = true;
    }
    const outcomeRule = matching.find((r) => r.rule.fault.kind !== 'latency' && this.fire(r));
    return { latencyMs, latencyFired, outcome: outcomeRule?.rule.fault as OutcomeFault | undefined };
  }

  /** Probability 1 fires without drawing, so a seeded sequence is only spent on chance rules. */
  private fire(active: ActiveRule): boolean {
    if (active.remaining <= 0) return false;
    const probability = active.rule.probability ?? 1;
    if (probability < 1 && !(this.random() < probability)) return false;
    active.remaining -= 1;
    if (active.remaining <= 0) this.rules = this.rules.filter((r) => r !== active);
    this.onFire(active.rule.fault.kind);
    return true;
  }
}
