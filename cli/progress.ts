/**
 * Progress on stderr (stdout stays for results): a bar redrawn in place on a terminal; in a log
 * or a pipe, a plain line every tenth of the way, so logs stay short.
 */
import type { OutputStream } from './io.ts';

export interface Progress {
  update(done: number, failed: number): void;
  finish(): void;
}

const BAR_WIDTH = 30;

const bar = (done: number, total: number): string => {
  const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
};

export const createProgress = (stream: OutputStream, total: number, label: string): Progress => {
  let lastTenth = -1;
  let drawn = false;
  const line = (done: number, failed: number) =>
    `${label} ${done}/${total}${failed > 0 ? `, ${failed} failed` : ''}`;
  return {
    update: (done, failed) => {
      if (stream.isTTY) {
        stream.write(`\r${bar(done, total)} ${line(done, failed)}`);
        drawn = true;
        return;
      }
      const tenth = total === 0 ? 10 : Math.floor((done / total) * 10);
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      stream.write(`${line(done, failed)}\n`);
    },
    finish: () => {
      if (drawn) stream.write('\n');
    },
  };
};
