/** Runs one command line and answers its exit code; never throws. */
import { CommanderError } from 'commander';
import { type CliIo, processIo } from './io.ts';
import { errorLine, writeLine } from './output.ts';
import { createProgram } from './program.ts';
import { createRuntime, EXIT } from './runtime.ts';

export const runCli = async (argv: readonly string[], io: CliIo = processIo()): Promise<number> => {
  const runtime = createRuntime(io);
  try {
    await createProgram(runtime).parseAsync([...argv], { from: 'user' });
    return runtime.exitCode();
  } catch (error) {
    // Commander has printed its message (or the help) already; --help and --version end with 0.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.error;
    writeLine(io.stderr, errorLine(error));
    return EXIT.error;
  }
};
