/** Command-line flags of the emulator, validated once; errors name the flag, never a token. */
import { parseArgs } from 'node:util';
import type { AccountType } from '../../shared/twilio/types.ts';
import { TwilioEmulatorConfigError } from './errors.ts';
import { ACCOUNT_SID_PATTERN, AUTH_TOKEN_PATTERN } from './format.ts';
import type { TwilioEmulatorOptions, TwilioListLag } from './types.ts';

export const USAGE = [
  'Usage: twilio:emulator -- --port PORT [--account-sid AC... --auth-token TOKEN] [--type Full|Trial]',
  '  [--subaccount-limit N] [--concurrency-limit N] [--list-lag-seconds N | --list-lag-lookups N]',
  '  [--main-account-suspended]',
].join('\n');

export type CliCommand =
  | { readonly help: true }
  | { readonly help: false; readonly options: TwilioEmulatorOptions };

const integerFlag = (flag: string, value: string | undefined, max: number): number | undefined => {
  if (value === undefined) return undefined;
  if (!/^\d{1,10}$/.test(value) || Number(value) > max) {
    throw new TwilioEmulatorConfigError(flag, `must be an integer from 0 to ${max}`);
  }
  return Number(value);
};

const positiveFlag = (flag: string, value: number | undefined): number | undefined => {
  if (value === 0) throw new TwilioEmulatorConfigError(flag, 'must be at least 1');
  return value;
};

const patternFlag = (flag: string, value: string | undefined, pattern: RegExp, expected: string) => {
  if (value !== undefined && !pattern.test(value))
    throw new TwilioEmulatorConfigError(flag, `must be ${expected}`);
  return value;
};

const typeFlag = (value: string | undefined): AccountType | undefined => {
  if (value === undefined || value === 'Full' || value === 'Trial') return value;
  throw new TwilioEmulatorConfigError('--type', 'must be Full or Trial');
};

const listLagFlags = (
  seconds: string | undefined,
  lookups: string | undefined,
): TwilioListLag | undefined => {
  if (seconds !== undefined && lookups !== undefined) {
    throw new TwilioEmulatorConfigError('--list-lag-seconds', 'and --list-lag-lookups cannot both be given');
  }
  const lagSeconds = integerFlag('--list-lag-seconds', seconds, Number.MAX_SAFE_INTEGER);
  if (lagSeconds !== undefined) return { seconds: lagSeconds };
  const lagLookups = integerFlag('--list-lag-lookups', lookups, Number.MAX_SAFE_INTEGER);
  return lagLookups === undefined ? undefined : { lookups: lagLookups };
};

const parseFlags = (argv: readonly string[]) => {
  try {
    return parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        'account-sid': { type: 'string' },
        'auth-token': { type: 'string' },
        type: { type: 'string' },
        'subaccount-limit': { type: 'string' },
        'concurrency-limit': { type: 'string' },
        'list-lag-seconds': { type: 'string' },
        'list-lag-lookups': { type: 'string' },
        'main-account-suspended': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    // parseArgs names the offending flag; it never quotes another flag's value.
    throw new TwilioEmulatorConfigError('arguments:', error instanceof Error ? error.message : 'are invalid');
  }
};

export const parseCliArgs = (argv: readonly string[]): CliCommand => {
  const flags = parseFlags(argv);
  if (flags.help) return { help: true };
  return {
    help: false,
    options: {
      port: integerFlag('--port', flags.port, 65_535) ?? 0,
      accountSid: patternFlag(
        '--account-sid',
        flags['account-sid'],
        ACCOUNT_SID_PATTERN,
        'AC followed by 32 hex digits',
      ),
      authToken: patternFlag('--auth-token', flags['auth-token'], AUTH_TOKEN_PATTERN, '32 hex digits'),
      type: typeFlag(flags.type),
      subaccountLimit: integerFlag('--subaccount-limit', flags['subaccount-limit'], Number.MAX_SAFE_INTEGER),
      concurrencyLimit: positiveFlag(
        '--concurrency-limit',
        integerFlag('--concurrency-limit', flags['concurrency-limit'], Number.MAX_SAFE_INTEGER),
      ),
      listLag: listLagFlags(flags['list-lag-seconds'], flags['list-lag-lookups']),
      mainAccountSuspended: flags['main-account-suspended'] ?? false,
    },
  };
};
