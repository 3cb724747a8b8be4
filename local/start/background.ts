/**
 * What runs while `npm start` keeps serving after its report: the close sweep every few seconds
 * (with a grace period), and one stderr line per outcome event the function publishes, so an
 * operator sees `tenants send churned my-tenant` become `tenant.close-scheduled`, the sweep queue
 * its `tenant.close-due` once the grace period is over, and `tenant.closed` follow.
 */
import { type PeriodicSweep, SWEEP_INTERVAL_MS, startPeriodicSweep } from './close-sweep.ts';
import type { PublishedOutcome, Target } from './target.ts';

export interface Background {
  stop(): Promise<void>;
}

export const describeOutcome = (outcome: PublishedOutcome): string =>
  `outcome ${outcome.type} for ${outcome.tenantId ?? '(unreadable tenant)'} (caused by ${outcome.causingEventId})`;

/** Prints the outcomes published after it started, each as it arrives. */
const watchOutcomes = (read: () => PublishedOutcome[], log: (line: string) => void): (() => void) => {
  let seen = read().length;
  const timer = setInterval(() => {
    const all = read();
    for (const outcome of all.slice(seen)) log(describeOutcome(outcome));
    seen = all.length;
  }, SWEEP_INTERVAL_MS / 4);
  return () => clearInterval(timer);
};

export const startBackground = (
  target: Target,
  settings: { readonly sweep: boolean },
  log: (line: string) => void,
): Background => {
  const { ledger, outcomes } = target;
  const sweep: PeriodicSweep | undefined =
    settings.sweep && ledger !== undefined ? startPeriodicSweep({ ...target, ledger }, log) : undefined;
  const stopWatching = outcomes === undefined ? undefined : watchOutcomes(outcomes, log);
  return {
    stop: async () => {
      stopWatching?.();
      await sweep?.stop();
    },
  };
};
