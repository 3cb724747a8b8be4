/**
 * `npm start`: the whole product on this machine. Starts the target (the local cloud, or AWS and
 * Twilio with --real), runs the real tenant-events function behind the event source runner,
 * replays an event file, prints every tenant's final state, then keeps serving until stopped.
 */

import type { EventLine } from '../expectations.ts';
import type { EventSourceRunner } from '../runner/index.ts';
import { startBackground } from './background.ts';
import { SETTLE_TIMEOUT_MS, type Settled, sweepUntilSettled } from './close-sweep.ts';
import { readEventFile, SAMPLE_EVENTS_FILE } from './events-file.ts';
import { type FinalState, readFinalState } from './final-state.ts';
import { expectAfterSweep } from './grace-expectations.ts';
import { formatInstructions } from './instructions.ts';
import { startLocalTarget } from './local-target.ts';
import type { StartOptions } from './options.ts';
import { assertWritableLocation, writeEmulatorDump, writeReportJson } from './output-files.ts';
import { createRealTarget } from './real-target.ts';
import { type ReplayResult, replay } from './replay.ts';
import { formatOutcomes, formatTable, toReportEntries } from './report.ts';
import type { PublishedOutcome, Target } from './target.ts';
import { startWorker } from './worker.ts';

export interface StartIo {
  /** The report and the instructions (stdout). */
  readonly print: (text: string) => void;
  /** Progress and problems (stderr). */
  readonly log: (line: string) => void;
  /** Resolves when the operator asks to stop (Ctrl-C). */
  readonly stopRequested: Promise<void>;
}

export const EXIT = { ok: 0, mismatch: 1, usage: 2 } as const;

/** With --real, only a file named explicitly is replayed: the sample would create real subaccounts. */
const eventFileOf = (options: StartOptions): string | undefined =>
  options.eventsFile ?? (options.real ? undefined : SAMPLE_EVENTS_FILE);

const checkOutputs = async (options: StartOptions): Promise<void> => {
  await assertWritableLocation('--report-json', options.reportJsonFile);
  await assertWritableLocation('--debug-emulator-dump', options.debugEmulatorDumpFile);
};

const writeOutputs = async (
  options: StartOptions,
  target: Target,
  state: FinalState,
  outcomes: readonly PublishedOutcome[] | undefined,
): Promise<void> => {
  if (options.reportJsonFile !== undefined) {
    await writeReportJson(options.reportJsonFile, toReportEntries(state.rows, outcomes));
  }
  if (options.debugEmulatorDumpFile !== undefined && target.twilioEmulator !== undefined) {
    await writeEmulatorDump(options.debugEmulatorDumpFile, target.twilioEmulator);
  }
};

/** Why the run does not match its events; empty when every tenant is where its events lead. */
const problemsOf = (state: FinalState, replayed: ReplayResult, settled: Settled | undefined): string[] => [
  ...(state.differences.length > 0 ? [`${state.differences.length} difference(s)`] : []),
  ...(settled?.timedOut ? ['the due closes were not all applied in time'] : []),
  ...(replayed.refused.length > 0 ? [`${replayed.refused.length} line(s) not published`] : []),
  ...(replayed.drainError !== undefined ? ['the queue did not drain'] : []),
];

/**
 * With a grace period, the close sweep's part once the replay has drained: the closes already due
 * are applied (with --once, also those falling due within the settle timeout), so the report and
 * the comparison see them. `undefined` when the sweep does not run here.
 */
const settleCloses = async (
  options: StartOptions,
  target: Target,
  worker: EventSourceRunner,
  log: (line: string) => void,
): Promise<Settled | undefined> => {
  const { ledger } = target;
  if (ledger === undefined || target.lifecycle.churnGraceMs <= 0) return undefined;
  return sweepUntilSettled({ ...target, ledger }, worker, log, {
    waitForDueMs: options.once ? SETTLE_TIMEOUT_MS : 0,
  });
};

/** Replays, prints the table, writes the files; true when every tenant is where its events lead. */
const replayAndReport = async (
  options: StartOptions,
  target: Target,
  worker: EventSourceRunner,
  lines: readonly EventLine[],
  io: StartIo,
): Promise<boolean> => {
  const replayed = await replay(target, worker, lines, io.log);
  const settled = await settleCloses(options, target, worker, io.log);
  const expectations = expectAfterSweep(
    lines,
    target.lifecycle,
    settled?.at.getTime() ?? Number.NEGATIVE_INFINITY,
  );
  const state = await readFinalState(target, expectations);
  const outcomes = target.outcomes?.();
  io.print(formatTable(state.rows));
  io.print(`\n${formatOutcomes(state.rows, outcomes, target.outcomeBus)}`);
  await writeOutputs(options, target, state, outcomes);
  if (state.unreadDeadLetters > 0) {
    io.log(`${state.unreadDeadLetters} dead-lettered message(s) could not be read without consuming them`);
  }
  for (const difference of state.differences) io.log(`MISMATCH ${difference}`);
  const problems = problemsOf(state, replayed, settled);
  io.log(
    problems.length === 0
      ? `every tenant reached the state its ${lines.length} lines imply`
      : `not the state the events imply: ${problems.join(', ')}`,
  );
  return problems.length === 0;
};

export const runStart = async (options: StartOptions, io: StartIo): Promise<number> => {
  const eventFile = eventFileOf(options);
  const lines = eventFile === undefined ? [] : await readEventFile(eventFile);
  await checkOutputs(options);
  const target = options.real
    ? await createRealTarget()
    : await startLocalTarget({
        churnGrace: options.churnGrace,
        tenantCredentials: options.tenantCredentials,
      });
  let worker: EventSourceRunner | undefined;
  try {
    worker = await startWorker(target, { fromSource: options.fromSource });
    const running = worker;
    const stopped = io.stopRequested.then(() => 'stopped' as const);
    const work = (async () =>
      lines.length === 0 ? true : replayAndReport(options, target, running, lines, io))();
    const first = await Promise.race([work, stopped]);
    if (first === 'stopped') {
      // The replay is abandoned: whatever it was doing fails once the target is gone.
      work.catch(() => {});
      return EXIT.ok;
    }
    if (options.once) return first ? EXIT.ok : EXIT.mismatch;
    io.print(`\n${formatInstructions(target)}`);
    const background = startBackground(target, { sweep: target.lifecycle.churnGraceMs > 0 }, io.log);
    await io.stopRequested;
    await background.stop();
    return EXIT.ok;
  } finally {
    io.log('stopping...');
    await worker?.stop();
    await target.stop();
  }
};
