/** The one console summary of a run: what was published, which faults fired, what it cost, what held. */
import { HELD_WRITE_OPERATIONS, RUN_TIMING, TWILIO_FAULTS } from './fault-plan.ts';
import type { Invariant, InvariantResult } from './invariants.ts';
import type { ScenarioRun } from './scenario.ts';

export interface CheckedInvariant {
  readonly invariant: Invariant;
  readonly result: InvariantResult;
}

const countBy = <T>(items: readonly T[], key: (item: T) => string | undefined): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const item of items) {
    const name = key(item);
    if (name !== undefined) counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
};

const list = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ') || 'none';

interface RecordLine {
  readonly outcome: string;
  readonly attempt: number;
}

const recordLines = (run: ScenarioRun): RecordLine[] =>
  run.logs.flatMap((line) => {
    if (!line.text.includes('"outcome"')) return [];
    try {
      const parsed = JSON.parse(line.text) as { outcome?: unknown; attempt?: unknown };
      return typeof parsed.outcome === 'string'
        ? [{ outcome: parsed.outcome, attempt: Number(parsed.attempt) || 1 }]
        : [];
    } catch {
      return [];
    }
  });

export interface FaultCounts {
  /** Firings per kind, from the Twilio emulator's own counters. */
  readonly twilio: Readonly<Record<string, number>>;
  /** Calls answered with ThrottlingException, from the Secrets Manager emulator's log. */
  readonly secretsThrottled: number;
  /**
   * Writes held past the function timeout: the emulator counts firings per operation only, so
   * these are the held operations' firings less their throttles.
   */
  readonly secretsHeldWrites: number;
  /** Held writes whose caller disconnected, so they were never applied. */
  readonly secretsDroppedWrites: number;
  /** Fault firings per operation, from the Secrets Manager emulator's counters. */
  readonly secretsByOperation: Readonly<Record<string, number>>;
  /** Invocations killed by the runner at the function timeout. */
  readonly invocationsKilled: number;
  /** Invocations the handler itself ended with a TimeoutError just before the function timeout. */
  readonly invocationsTimedOutEarly: number;
}

export const faultCounts = (run: ScenarioRun): FaultCounts => {
  const secretsLines = run.logs.filter((line) => line.source === 'secrets').map((line) => line.text);
  const throttled = countBy(
    secretsLines.filter((text) => text.includes('ThrottlingException')),
    (text) => text.split(' ')[0],
  );
  const firings = run.stats.secrets.faultsInjected;
  return {
    twilio: run.stats.twilio.faultsInjected,
    secretsThrottled: Object.values(throttled).reduce((sum, count) => sum + count, 0),
    secretsHeldWrites: HELD_WRITE_OPERATIONS.reduce(
      (sum, operation) => sum + Math.max(0, (firings[operation] ?? 0) - (throttled[operation] ?? 0)),
      0,
    ),
    secretsDroppedWrites: secretsLines.filter((text) => text.includes('dropped')).length,
    secretsByOperation: firings,
    invocationsKilled: run.stats.runner.timedOut,
    invocationsTimedOutEarly: run.stats.invocations.filter(
      ({ report }) => report.outcome === 'error' && report.error?.type === 'TimeoutError',
    ).length,
  };
};

/** Every Twilio fault kind the plan injects. */
export const plannedTwilioFaultKinds = (): string[] => [
  ...new Set(TWILIO_FAULTS.map((rule) => rule.fault.kind)),
];

export const formatSummary = (run: ScenarioRun, checked: readonly CheckedInvariant[]): string => {
  const { settings, workload, stats } = run;
  const faults = faultCounts(run);
  const records = recordLines(run);
  const maxAttempt = Math.max(0, ...records.map((record) => record.attempt));
  const violated = checked.filter(({ result }) => result.violations.length > 0);
  const states = countBy(run.expectations.tenants, (tenant) => tenant.status ?? 'never provisioned');
  return [
    `fault-injection e2e: E2E_SEED=${settings.seed} E2E_TENANTS=${settings.tenants} ` +
      `(+${workload.unknownTenants.length} unknown), drained in ${(stats.processingMs / 1000).toFixed(1)} s`,
    `  messages published: ${run.published.length} (${list(countBy(run.published, (m) => m.planned.kind))})`,
    `  expected final states: ${list(states)}; expected dead letters: ${run.expectations.deadLetters.length}`,
    `  Twilio faults injected: ${list(faults.twilio)} (requests ${stats.twilio.total})`,
    `  Secrets Manager faults: throttled ${faults.secretsThrottled}, writes held past the function timeout ` +
      `${faults.secretsHeldWrites} (dropped unapplied ${faults.secretsDroppedWrites}; firings by operation: ` +
      `${list(faults.secretsByOperation)})`,
    `  runner: invocations ${stats.runner.invocations}, batch failures ${stats.runner.batchFailures} ` +
      `(out of time: killed ${faults.invocationsKilled}, TimeoutError from the handler ` +
      `${faults.invocationsTimedOutEarly}), records received ${stats.runner.records}, ` +
      `handed back for redelivery ${stats.runner.failed}, cold starts ${stats.runner.coldStarts}`,
    `  record outcomes: ${list(countBy(records, (record) => record.outcome))}; ` +
      `highest receive count ${maxAttempt} of ${RUN_TIMING.maxReceiveCount}`,
    `  dead-lettered: ${run.observed.deadLetters.length}; log lines captured: ${run.logs.length}`,
    `  invariants: ${checked.length} checked, ${violated.length} violated`,
    ...checked.map(
      ({ invariant, result }) =>
        `    ${result.violations.length === 0 ? 'ok  ' : 'FAIL'} ${invariant.id} ` +
        `(${result.checked} checked${result.violations.length === 0 ? '' : `, ${result.violations.length} violations`})`,
    ),
  ].join('\n');
};

/** A failure message naming the offenders, capped so a systemic failure stays readable. */
export const formatViolations = (invariant: Invariant, result: InvariantResult, limit = 25): string => {
  const shown = result.violations.slice(0, limit).map((v) => `  - ${v.subject}: ${v.problem}`);
  const more = result.violations.length > limit ? [`  ... and ${result.violations.length - limit} more`] : [];
  return [`${invariant.claim}: ${result.violations.length} offending`, ...shown, ...more].join('\n');
};
