/**
 * Steering a running backfill without restarting it:
 * - `--rate-file FILE`: the file holds the rate (`25`, `25/s`; `0` pauses). Read at the start
 *   (created with `--rate` when absent) and again whenever it changes, at most once a second;
 *   edit it to speed up, slow down or pause. A line that is not a rate is reported and ignored.
 * - SIGUSR1 doubles the rate, SIGUSR2 halves it (`kill -USR2 <pid>`; the pid is printed).
 * - Ctrl-C (SIGINT) or SIGTERM: the chunk in flight finishes and is recorded, then the run stops
 *   and says how to resume; a second one exits at once (the journal holds every finished chunk).
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { CliFileError } from '../errors.ts';
import { formatRate, MAX_RATE, readRate } from './pacer.ts';

export type StopSignal = 'SIGINT' | 'SIGTERM';
export type RateSignal = 'SIGUSR1' | 'SIGUSR2';

/** Where signals come from: the process, or a test. Each subscription returns its unsubscribe. */
export interface SignalSource {
  on(signal: StopSignal | RateSignal, listener: () => void): () => void;
  /** Ends the process at once (a second Ctrl-C). */
  exitNow(code: number): never;
  readonly pid: number;
}

export const processSignals = (): SignalSource => ({
  on: (signal, listener) => {
    process.on(signal, listener);
    return () => {
      process.off(signal, listener);
    };
  },
  exitNow: (code) => process.exit(code),
  pid: process.pid,
});

/** A rate change and where it came from, for the progress line. */
export interface RateChange {
  readonly rate: number;
  readonly source: string;
}

export interface BackfillControl {
  /** True once a stop was asked for. */
  readonly stopping: boolean;
  /** The rate the operator asked for since the last call, if it changed (file or signal). */
  nextRateChange(): Promise<RateChange | undefined>;
  close(): void;
}

const RATE_FILE_CHECK_MS = 1_000;

const mtimeOf = async (path: string): Promise<number | undefined> => {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
};

export interface ControlOptions {
  readonly signals: SignalSource;
  readonly rateFile: string | undefined;
  /** The rate in force (`--rate`), which signals double and halve. */
  readonly currentRate: () => number;
  readonly now: () => number;
  readonly warn: (line: string) => void;
  readonly onStopRequested: () => void;
}

/** Writes `--rate` into a rate file that does not exist yet, so there is something to edit. */
export const initialRateFromFile = async (rateFile: string, rate: number): Promise<number> => {
  let text: string | undefined;
  try {
    text = await readFile(rateFile, 'utf8');
  } catch (error) {
    if (!(typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT')) {
      throw new CliFileError('read', rateFile, error);
    }
  }
  if (text === undefined) {
    try {
      await writeFile(rateFile, `${rate}\n`, 'utf8');
    } catch (error) {
      throw new CliFileError('write', rateFile, error);
    }
    return rate;
  }
  return readRate(text) ?? rate;
};

export const createBackfillControl = (options: ControlOptions): BackfillControl => {
  const { signals, rateFile } = options;
  let stopping = false;
  let pending: RateChange | undefined;
  const clamp = (rate: number) => Math.min(MAX_RATE, Math.max(0.1, rate));
  const unsubscribe = [
    ...(['SIGINT', 'SIGTERM'] as const).map((signal) =>
      signals.on(signal, () => {
        if (stopping) signals.exitNow(130);
        stopping = true;
        options.onStopRequested();
      }),
    ),
    signals.on('SIGUSR1', () => {
      pending = { rate: clamp((pending?.rate ?? options.currentRate()) * 2), source: 'SIGUSR1' };
    }),
    signals.on('SIGUSR2', () => {
      pending = { rate: clamp((pending?.rate ?? options.currentRate()) / 2), source: 'SIGUSR2' };
    }),
  ];
  let fileCheckedAt = Number.NEGATIVE_INFINITY;
  let fileMtime: number | undefined;
  let fileText: string | undefined;

  const readRateFile = async (): Promise<RateChange | undefined> => {
    if (rateFile === undefined) return undefined;
    const now = options.now();
    if (now - fileCheckedAt < RATE_FILE_CHECK_MS) return undefined;
    fileCheckedAt = now;
    const mtime = await mtimeOf(rateFile);
    if (mtime === undefined || mtime === fileMtime) return undefined;
    fileMtime = mtime;
    const text = await readFile(rateFile, 'utf8').catch(() => undefined);
    if (text === undefined || text === fileText) return undefined;
    const first = fileText === undefined;
    fileText = text;
    const rate = readRate(text);
    if (rate === undefined) {
      options.warn(`backfill: ${rateFile} holds "${text.trim()}", not a rate (like 25 or 25/s); ignored`);
      return undefined;
    }
    // The first read only learns the file; the start already took its rate.
    return first ? undefined : { rate, source: rateFile };
  };

  return {
    get stopping() {
      return stopping;
    },
    nextRateChange: async () => {
      const fromFile = await readRateFile();
      const change = fromFile ?? pending;
      pending = undefined;
      return change;
    },
    close: () => {
      for (const off of unsubscribe) off();
    },
  };
};

export const describeRateChange = (change: RateChange): string =>
  change.rate === 0
    ? `backfill: paused (rate 0 from ${change.source})`
    : `backfill: rate set to ${formatRate(change.rate)} (${change.source})`;
