/**
 * The run proves something only if the faults it claims to survive really happened: every planned
 * Twilio fault kind fired, Secrets Manager throttled, and some invocations ran out of time with a
 * secret write held back.
 */
import type { Invariant } from './invariants.ts';
import { faultCounts, plannedTwilioFaultKinds } from './summary.ts';

/** Below this many tenants a rare fault may, by chance, never fire; the check is skipped then. */
export const FAULT_COVERAGE_MIN_TENANTS = 100;

export const faultCoverageInvariant: Invariant = {
  id: 'faults-exercised',
  claim: 'every planned fault kind was injected at least once',
  check: (run) => {
    const faults = faultCounts(run);
    const observed: Record<string, number> = {
      ...Object.fromEntries(
        plannedTwilioFaultKinds().map((kind) => [`Twilio ${kind}`, faults.twilio[kind] ?? 0]),
      ),
      'Secrets Manager throttling': faults.secretsThrottled,
      'secret writes held past the function timeout': faults.secretsHeldWrites,
      'invocations out of time': faults.invocationsKilled + faults.invocationsTimedOutEarly,
    };
    return {
      checked: Object.keys(observed).length,
      violations: Object.entries(observed)
        .filter(([, count]) => count === 0)
        .map(([kind]) => ({ subject: kind, problem: 'never happened during the run' })),
    };
  },
};
