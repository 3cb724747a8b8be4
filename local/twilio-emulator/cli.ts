/**
 * `npm run --silent twilio:emulator -- --port PORT`: runs the emulator until SIGINT/SIGTERM.
 * stdout carries exactly one JSON line (url and main credentials) once ready; logs go to stderr.
 */
import { parseCliArgs, USAGE } from './cli-args.ts';
import { startTwilioEmulator } from './emulator.ts';
import { TwilioEmulatorConfigError } from './errors.ts';

const EXIT_USAGE = 2;
const EXIT_FAILURE = 1;

const logLine = (line: string): void => {
  process.stderr.write(`[twilio-emulator] ${line}\n`);
};

const run = async (): Promise<void> => {
  const command = parseCliArgs(process.argv.slice(2));
  if (command.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const emulator = await startTwilioEmulator({ ...command.options, log: logLine });
  const stop = (signal: string): void => {
    logLine(`${signal} received, stopping`);
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(EXIT_FAILURE),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const { url, accountSid, authToken } = emulator;
  process.stdout.write(`${JSON.stringify({ url, accountSid, authToken })}\n`);
  logLine(`listening on ${url} (main account ${accountSid})`);
};

run().catch((error: unknown) => {
  const usage = error instanceof TwilioEmulatorConfigError;
  // Config errors carry only the flag name and the rule; other errors only their class and code.
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  logLine(usage ? `${detail}\n${USAGE}` : `failed to start: ${detail}`);
  process.exit(usage ? EXIT_USAGE : EXIT_FAILURE);
});
