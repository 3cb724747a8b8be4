/**
 * Everything a command touches outside its arguments, injected so the commands run the same in
 * a terminal (`main.ts`) and in-process in tests.
 */
import { setTimeout as delay } from 'node:timers/promises';

export interface OutputStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Relative file paths are resolved against it. */
  readonly cwd: string;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
}

export const processIo = (): CliIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  now: () => new Date(),
  sleep: (ms) => delay(ms),
});
