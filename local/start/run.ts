/**
 * `npm start`: the whole product on this machine. Starts the target (the local cloud, or AWS and
 * Twilio with --real), runs the real tenant-events function behind the event source runner,
 * replays an event file, prints every tenant's final state, then keeps serving until stopped.
 */

import { type EventLine, expectTenantStates } from '../expectations.ts';
import type { EventSourceRunner } from '../runner/index.ts';
import { readEventFile, SAMPLE_EVENTS_FILE } from './events-file.ts';
import { type FinalState, readFinalState } from './final-state.ts';
import { formatInstructions } from './instructions.ts';
import { startLocalTarget } from './local-target.ts';
import type { StartOptions } from './options.ts';
import { assertWritableLocation, writeEmulatorDump, writeReportJson } from './output-files.ts';
import { createRealTarget } from './real-target.ts';
import { type ReplayResult, replay } from './replay.ts';
import { formatTable, toReportEntries } from './report.ts';
import type { Target } from './target.ts';
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

const writeOutputs = async (options: StartOptions, target: Target, state: FinalState): Promise<void> => {
  if (options.reportJsonFile !== undefined) {
    await writeReportJson(options.reportJsonFile, toReportEntries(state.rows));
  }
  if (options.debugEmulatorDumpFile !== undefined && target.twilioEmulator !== undefined) {
    await writeEmulatorDump(options.debugEmulatorDumpFile, target.twilioEmulator);
  }
};

/** Why the run does not match its events; empty when every tenant is where its events lead. */
const problemsOf = (state: FinalState, replayed: ReplayResult): string[] => [
  ...(state.differences.length > 0 ? [`${state.differences.length} difference(s)`] : []),
  ...(replayed.refused.length > 0 ? [`${replayed.refused.length} line(s) not published`] : []),
  ...(replayed.drainError !== undefined ? ['the queue did not drain'] : []),
];

/** Replays, prints the table, writes the files; true when every tenant is where its events lead. */
const replayAndReport = async (
  options: StartOptions,
  target: Target,
  worker: EventSourceRunner,
  lines: readonly EventLine[],
  io: StartIo,
): Promise<boolean> => {
  const expectations = expectTenantStates(lines);
  const replayed = await replay(target, worker, lines, io.log);
  const state = await readFinalState(target, expectations);
  io.print(formatTable(state.rows));
  await writeOutputs(options, target, state);
  if (state.unreadDeadLetters > 0) {
    io.log(`${state.unreadDeadLetters} dead-lettered message(s) could not be read without consuming them`);
  }
  for (const difference of state.differences) io.log(`MISMATCH ${difference}`);
  const problems = problemsOf(state, replayed);
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
  const target = options.real ? await createRealTarget() : await startLocalTarget();
  let worker: EventSourceRunner | undefined;
  try {
    worker = await startWorker(target);
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
    await io.stopRequested;
    return EXIT.ok;
  } finally {
    io.log('stopping...');
    await worker?.stop();
    await target.stop();
  }
};
