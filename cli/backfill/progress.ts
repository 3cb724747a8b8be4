/**
 * Backfill progress on stderr (stdout stays for the summary): rows sent of the total, the rate
 * achieved over the last ten seconds, the rate it is paced at, and the time left at that speed.
 * On a terminal one line redrawn in place, at most five times a second; in a log or a pipe a
 * plain line every ten seconds and at every tenth of the way, so a 10,000-row run stays readable.
 * Pauses, throttling and rate changes get a line of their own.
 *
 *   backfill: 4210/10000 sent (42%), 48.7 rows/s, paced at 50/s, ETA 2m00s
 */
import type { OutputStream } from '../io.ts';
import { formatRate } from './pacer.ts';

export interface BackfillProgress {
  /** After every chunk: rows done so far (sent or failed) and how many failed. */
  update(done: number, failed: number): void;
  /** A line of its own (a pause, throttling, a rate change). */
  note(line: string): void;
  /** The last line: totals, time taken and the average rate. */
  finish(done: number, failed: number): void;
}

export interface ProgressOptions {
  readonly stream: OutputStream;
  readonly total: number;
  readonly now: () => number;
  /** The rate the pacer holds now. */
  readonly pacedAt: () => number;
}

const WINDOW_MS = 10_000;
const TERMINAL_REDRAW_MS = 200;
const LOG_LINE_EVERY_MS = 10_000;

export const formatDuration = (ms: number): string => {
  if (!Number.isFinite(ms)) return '?';
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
};

export const createBackfillProgress = (options: ProgressOptions): BackfillProgress => {
  const { stream, total } = options;
  const startedAt = options.now();
  const samples: Array<{ at: number; done: number }> = [{ at: startedAt, done: 0 }];
  let drawnAt = Number.NEGATIVE_INFINITY;
  let lineOpen = false;
  let lastTenth = 0;

  /** Rows per second over the last ten seconds (or since the start, if shorter). */
  const recentRate = (now: number, done: number): number => {
    while (samples.length > 1 && now - (samples[1]?.at ?? now) > WINDOW_MS) samples.shift();
    const first = samples[0] ?? { at: startedAt, done: 0 };
    const elapsed = now - first.at;
    return elapsed > 0 ? ((done - first.done) * 1000) / elapsed : 0;
  };

  const line = (done: number, failed: number, now: number): string => {
    const rate = recentRate(now, done);
    const left = total - done;
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    const paced = options.pacedAt();
    return [
      `backfill: ${done}/${total} sent (${percent}%)`,
      ...(failed > 0 ? [`${failed} failed`] : []),
      `${rate.toFixed(1)} rows/s`,
      paced === 0 ? 'paused' : `paced at ${formatRate(paced)}`,
      `ETA ${rate > 0 ? formatDuration((left / rate) * 1000) : '?'}`,
    ].join(', ');
  };

  const write = (text: string, now: number) => {
    if (stream.isTTY) {
      stream.write(`\r\x1b[K${text}`);
      lineOpen = true;
    } else {
      stream.write(`${text}\n`);
    }
    drawnAt = now;
  };

  return {
    update: (done, failed) => {
      const now = options.now();
      samples.push({ at: now, done });
      const tenth = total === 0 ? 10 : Math.floor((done / total) * 10);
      const due = stream.isTTY
        ? now - drawnAt >= TERMINAL_REDRAW_MS
        : now - drawnAt >= LOG_LINE_EVERY_MS || tenth > lastTenth;
      lastTenth = Math.max(lastTenth, tenth);
      if (due && done < total) write(line(done, failed, now), now);
    },
    note: (text) => {
      if (lineOpen) stream.write('\r\x1b[K');
      stream.write(`${text}\n`);
      lineOpen = false;
      drawnAt = Number.NEGATIVE_INFINITY;
    },
    finish: (done, failed) => {
      const elapsed = options.now() - startedAt;
      const average = elapsed > 0 ? (done * 1000) / elapsed : 0;
      const text =
        `backfill: sent ${done - failed}/${total}` +
        (failed > 0 ? `, ${failed} failed` : '') +
        ` in ${formatDuration(elapsed)} (${average.toFixed(1)} rows/s)`;
      if (lineOpen) stream.write('\r\x1b[K');
      stream.write(`${text}\n`);
      lineOpen = false;
    },
  };
};
