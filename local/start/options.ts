/** Command-line flags of `npm start`, validated once. */
import { parseArgs } from 'node:util';
import type { TenantCredentialKind } from '../../shared/domain/ports.ts';
import { StartOptionError } from './errors.ts';
import { type ChurnGrace, parseChurnGrace, parseTenantCredentials } from './grace-options.ts';

export interface StartOptions {
  /** Exit after the replay, with 0 only when every tenant reached the state its events imply. */
  readonly once: boolean;
  /** JSONL file to replay; the bundled sample when absent. */
  readonly eventsFile: string | undefined;
  /** Where to write the final table as JSON. */
  readonly reportJsonFile: string | undefined;
  /** Run against AWS and Twilio instead of the local emulators. */
  readonly real: boolean;
  /** Local only: writes the Twilio emulator's accounts and issued tokens, for leak checks in tests. */
  readonly debugEmulatorDumpFile: string | undefined;
  /**
   * Run the function from its TypeScript sources (through tsx) instead of the bundle CDK deploys,
   * for debugging; LOCAL_RUNNER_SOURCE=1 does the same.
   */
  readonly fromSource: boolean;
  readonly help: boolean;
  // --- grace period and credentials (local only) ---
  /** `--churn-grace 90s`: the function's CHURN_GRACE_DAYS, and the close sweep runs locally. */
  readonly churnGrace: ChurnGrace | undefined;
  /** `--tenant-credentials`: the function's TENANT_CREDENTIALS. */
  readonly tenantCredentials: TenantCredentialKind | undefined;
}

export const USAGE = `Usage: npm start -- [options]

Starts the local cloud (Twilio, Secrets Manager and SQS emulators) and the tenant-events function,
replays an event file through the queue, prints every tenant's state, then keeps running.

Options:
  --once                       exit after the replay: 0 when every tenant reached the state its
                               events imply, 1 otherwise (the differences are printed)
  --events FILE                replay FILE (JSON Lines) instead of examples/events.jsonl
  --report-json FILE           write the final table to FILE as a JSON array
  --real                       run the same function against AWS and Twilio (see docs/local-run.md)
  --debug-emulator-dump FILE   write the Twilio emulator's accounts and issued tokens and API
                               key secrets to FILE
  --from-source                run the function from its TypeScript sources instead of the
                               esbuild bundle CDK deploys (also LOCAL_RUNNER_SOURCE=1)
  --churn-grace DURATION       local only: churned tenants are suspended and closed DURATION
                               later (90s, 2m, 1.5h, 7d) by the close sweep, run every few
                               seconds; with --once, the run waits (up to 60 s) for the closes
                               that fall due
  --tenant-credentials KIND    local only: what tenant secrets hold: auth-token (default),
                               api-key or both
  -h, --help                   show this help`;

const FLAGS = {
  once: { type: 'boolean' },
  events: { type: 'string' },
  'report-json': { type: 'string' },
  real: { type: 'boolean' },
  'debug-emulator-dump': { type: 'string' },
  'from-source': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  'churn-grace': { type: 'string' },
  'tenant-credentials': { type: 'string' },
} as const;

const nonEmptyPath = (flag: string, value: string | undefined): string | undefined => {
  if (value !== undefined && value.trim() === '') throw new StartOptionError(flag, 'needs a file path');
  return value;
};

/** Node's own messages name the offending flag; they become one StartOptionError line. */
const parse = (argv: readonly string[]) => {
  try {
    return parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new StartOptionError('arguments', message ?? 'invalid');
  }
};

export const parseStartOptions = (argv: readonly string[]): StartOptions => {
  const { values } = parse(argv);
  const options: StartOptions = {
    once: values.once ?? false,
    eventsFile: nonEmptyPath('--events', values.events),
    reportJsonFile: nonEmptyPath('--report-json', values['report-json']),
    real: values.real ?? false,
    debugEmulatorDumpFile: nonEmptyPath('--debug-emulator-dump', values['debug-emulator-dump']),
    fromSource: values['from-source'] ?? false,
    help: values.help ?? false,
    churnGrace: parseChurnGrace(values['churn-grace']),
    tenantCredentials: parseTenantCredentials(values['tenant-credentials']),
  };
  if (options.real && options.debugEmulatorDumpFile !== undefined) {
    throw new StartOptionError(
      '--debug-emulator-dump',
      'needs the local emulators; it cannot be used with --real',
    );
  }
  for (const [flag, value] of [
    ['--churn-grace', options.churnGrace],
    ['--tenant-credentials', options.tenantCredentials],
  ] as const) {
    if (options.real && value !== undefined) {
      throw new StartOptionError(
        flag,
        "is for the local run; with --real, the function's own CHURN_GRACE_DAYS and TENANT_CREDENTIALS apply",
      );
    }
  }
  return options;
};
