/**
 * What every command action shares: the injected I/O, a context built from the command's own
 * options (and closed when the action ends), and the exit code the action decided.
 */
import type { CliFlags } from './config.ts';
import { type CliContext, createCliContext } from './context.ts';
import type { CliIo } from './io.ts';

/** 0: done; 1: done, with drift or failed rows to look at; 2: bad input or an error. */
export const EXIT = { ok: 0, attention: 1, error: 2 } as const;

export interface CommandRuntime {
  readonly io: CliIo;
  run(flags: CliFlags, work: (ctx: CliContext) => Promise<number>): Promise<void>;
  exitCode(): number;
}

export const createRuntime = (io: CliIo): CommandRuntime => {
  let exitCode: number = EXIT.ok;
  return {
    io,
    run: async (flags, work) => {
      const ctx = createCliContext(flags, io);
      try {
        exitCode = await work(ctx);
      } finally {
        await ctx.close();
      }
    },
    exitCode: () => exitCode,
  };
};
