/**
 * The close sweep on this machine: the same code as the scheduled close-sweep function
 * (shared/sweep/close-sweep.ts: scan the ledger, queue `tenant.close-due` for every tenant whose
 * grace period has ended), run against the local cloud every few seconds, so a churn with
 * `--churn-grace 90s` is seen to close 90 s later.
 *
 * It starts only once a replay has drained. A close-due event is dated when it is sent, so one sent
 * in the middle of a replay of older events would be queued ahead of that tenant's later lines
 * and make them stale; in production, events arrive as they happen and the question never arises.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { LedgerEntry } from '../../shared/domain/ports.ts';
import { stateOf } from '../../shared/domain/transitions.ts';
import { scanLedger } from '../../shared/ledger/scan-ledger.ts';
import { type SweepResult, sweepDueCloses } from '../../shared/sweep/close-sweep.ts';
import type { EventSourceRunner } from '../runner/index.ts';
import type { Target } from './target.ts';

/** Every few seconds: a newcomer watching a 90 s grace period sees the close within seconds of it. */
export const SWEEP_INTERVAL_MS = 2_000;

/** How long the run waits for due closes to be applied (with --once, for closes to fall due). */
export const SETTLE_TIMEOUT_MS = 60_000;

export type SweepTarget = Pick<Target, 'sqs' | 'queueUrl'> & {
  readonly ledger: NonNullable<Target['ledger']>;
};

export const sweepOnce = async (target: SweepTarget, now: Date): Promise<SweepResult> =>
  sweepDueCloses(await scanLedger(target.ledger.client, target.ledger.tableName), target, now);

const describeQueued = (result: SweepResult): string =>
  `close sweep: queued tenant.close-due for ${result.queued.join(', ')}`;

const logResult = (result: SweepResult, log: (line: string) => void): void => {
  if (result.queued.length > 0) log(describeQueued(result));
  for (const failure of result.failed) log(`close sweep: ${failure.error?.message ?? 'send refused'}`);
};

/** The earliest due time (epoch ms) of a tenant still closing, if any. */
const nextDue = (entries: readonly LedgerEntry[]): number | undefined => {
  const due = entries.flatMap((entry) =>
    stateOf(entry.state) === 'closing' && entry.state?.closeDueAt !== undefined
      ? [Date.parse(entry.state.closeDueAt)]
      : [],
  );
  return due.length === 0 ? undefined : Math.min(...due);
};

export interface Settled {
  /** The time of the last sweep: no tenant was closing past its due time then. */
  readonly at: Date;
  /** Set when the due closes were not all applied within the timeout. */
  readonly timedOut: boolean;
}

export interface SettleOptions {
  /**
   * Also wait for closes that fall due within this many milliseconds (`--once`: the whole timeout,
   * so a short grace period is seen to end); 0 only applies those already due.
   */
  readonly waitForDueMs: number;
  readonly timeoutMs?: number;
}

/**
 * Sweeps, waits until the function has applied what was queued, and sweeps again, until a sweep
 * finds no tenant closing past its due time, and none falls due within `waitForDueMs` (or the
 * timeout). Tenants whose close is due later stay closing.
 */
export const sweepUntilSettled = async (
  target: SweepTarget,
  worker: Pick<EventSourceRunner, 'drained'>,
  log: (line: string) => void,
  options: SettleOptions,
): Promise<Settled> => {
  const started = Date.now();
  const deadline = started + (options.timeoutMs ?? SETTLE_TIMEOUT_MS);
  const waitUntil = started + Math.min(options.waitForDueMs, options.timeoutMs ?? SETTLE_TIMEOUT_MS);
  let announced: number | undefined;
  let previous = '';
  for (;;) {
    const at = new Date();
    const entries = await scanLedger(target.ledger.client, target.ledger.tableName);
    const result = await sweepDueCloses(entries, target, at);
    logResult(result, log);
    if (result.queued.length === 0 && result.failed.length === 0) {
      const next = nextDue(entries);
      if (next === undefined || next > waitUntil) return { at, timedOut: false };
      if (announced !== next) log(`close sweep: waiting for a close due at ${new Date(next).toISOString()}`);
      announced = next;
      // Just past the due time, so the next sweep finds it due.
      await delay(Math.max(0, next - Date.now()) + 50);
      continue;
    }
    const left = deadline - Date.now();
    if (left <= 0) return { at, timedOut: true };
    try {
      await worker.drained({ timeoutMs: left });
    } catch {
      return { at, timedOut: true };
    }
    // The same closes queued again: the last ones did not take effect (dead-lettered, say), and
    // SQS drops a repeat within its deduplication window. Pause rather than spin until the timeout.
    const queued = result.queued.join(',');
    if (queued === previous || result.queued.length === 0) {
      await delay(Math.min(SWEEP_INTERVAL_MS, Math.max(0, deadline - Date.now())));
    }
    previous = queued;
  }
};

export interface PeriodicSweep {
  stop(): Promise<void>;
}

/** Sweeps every `intervalMs` until stopped; a failed sweep is logged and tried again next time. */
export const startPeriodicSweep = (
  target: SweepTarget,
  log: (line: string) => void,
  intervalMs: number = SWEEP_INTERVAL_MS,
): PeriodicSweep => {
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  const tick = async () => {
    try {
      logResult(await sweepOnce(target, new Date()), log);
    } catch (error) {
      log(`close sweep failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    running = tick().finally(() => {
      busy = false;
    });
  }, intervalMs);
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
};
