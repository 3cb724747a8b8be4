/** Entry of `npm start`; see docs/local-run.md. Exit codes: 0 ok, 1 state mismatch or failure, 2 usage. */

import { StartUsageError } from './errors.ts';
import { parseStartOptions, USAGE } from './options.ts';
import { EXIT, runStart } from './run.ts';

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The first Ctrl-C stops cleanly; a second one gives up waiting. */
const onStopSignal = (): Promise<void> =>
  new Promise((resolve) => {
    let received = false;
    const handle = () => {
      if (received) process.exit(130);
      received = true;
      resolve();
    };
    process.on('SIGINT', handle);
    process.on('SIGTERM', handle);
  });

const main = async (): Promise<number> => {
  // Node 20 is this project's supported runtime; the AWS SDK's advance notice about dropping it
  // would otherwise open every run (and every execution environment) with the same paragraph.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  try {
    const options = parseStartOptions(process.argv.slice(2));
    if (options.help) {
      process.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    }
    return await runStart(options, {
      print: (text) => process.stdout.write(`${text}\n`),
      log: (line) => process.stderr.write(`${line}\n`),
      stopRequested: onStopSignal(),
    });
  } catch (error) {
    process.stderr.write(`npm start: ${describe(error).split('\n')[0]}\n`);
    return error instanceof StartUsageError ? EXIT.usage : EXIT.mismatch;
  }
};

process.exit(await main());
