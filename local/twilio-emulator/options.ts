/** Validates emulator options once, failing with the option's name (never a secret's value). */
import type { AccountType } from '../../shared/twilio/types.ts';
import { TwilioEmulatorConfigError } from './errors.ts';
import { ACCOUNT_SID_PATTERN, AUTH_TOKEN_PATTERN, newAccountSid, newAuthToken } from './format.ts';
import type { TwilioEmulatorOptions, TwilioListLag } from './types.ts';

export interface ResolvedOptions {
  readonly port: number;
  readonly host: string;
  readonly accountSid: string;
  readonly authToken: string;
  readonly type: AccountType;
  readonly subaccountLimit: number;
  readonly concurrencyLimit: number | undefined;
  readonly listLag: TwilioListLag | undefined;
  readonly mainAccountSuspended: boolean;
  readonly random: () => number;
  readonly now: () => Date;
  readonly log: (line: string) => void;
}

/** Twilio's documented defaults: trial accounts get one subaccount, upgraded ones 1000. */
const DEFAULT_SUBACCOUNT_LIMIT: Record<AccountType, number> = { Full: 1000, Trial: 1 };

const isIntegerIn = (value: number, min: number, max: number): boolean =>
  Number.isInteger(value) && value >= min && value <= max;

const checkPort = (port: number): number => {
  if (!isIntegerIn(port, 0, 65_535))
    throw new TwilioEmulatorConfigError('port', 'must be an integer 0..65535');
  return port;
};

const checkAccountSid = (sid: string | undefined): string => {
  if (sid === undefined) return newAccountSid();
  if (!ACCOUNT_SID_PATTERN.test(sid)) {
    throw new TwilioEmulatorConfigError('accountSid', 'must be AC followed by 32 hex digits');
  }
  return sid;
};

const checkAuthToken = (token: string | undefined): string => {
  if (token === undefined) return newAuthToken();
  if (!AUTH_TOKEN_PATTERN.test(token))
    throw new TwilioEmulatorConfigError('authToken', 'must be 32 hex digits');
  return token;
};

const checkType = (type: AccountType | undefined): AccountType => {
  if (type === undefined || type === 'Full' || type === 'Trial') return type ?? 'Full';
  throw new TwilioEmulatorConfigError('type', 'must be Full or Trial');
};

/** Also the check of `setSubaccountLimit`. */
export const checkSubaccountLimit = (limit: number): number => {
  if (!isIntegerIn(limit, 0, Number.MAX_SAFE_INTEGER)) {
    throw new TwilioEmulatorConfigError('subaccountLimit', 'must be a non-negative integer');
  }
  return limit;
};

/** Also the check of `setConcurrencyLimit`; `undefined` means unlimited. */
export const checkConcurrencyLimit = (limit: number | undefined): number | undefined => {
  if (limit !== undefined && !isIntegerIn(limit, 1, Number.MAX_SAFE_INTEGER)) {
    throw new TwilioEmulatorConfigError('concurrencyLimit', 'must be a positive integer');
  }
  return limit;
};

/** Also the check of `setListLag`; `undefined` means no lag. */
export const checkListLag = (lag: TwilioListLag | undefined): TwilioListLag | undefined => {
  if (lag === undefined) return undefined;
  if ('seconds' in lag && Number.isFinite(lag.seconds) && lag.seconds >= 0) return { seconds: lag.seconds };
  if ('lookups' in lag && isIntegerIn(lag.lookups, 0, Number.MAX_SAFE_INTEGER))
    return { lookups: lag.lookups };
  throw new TwilioEmulatorConfigError(
    'listLag',
    'must be { seconds } (a non-negative number) or { lookups } (a non-negative integer)',
  );
};

const checkFlag = (option: string, value: boolean | undefined): boolean => {
  if (value === undefined || typeof value === 'boolean') return value ?? false;
  throw new TwilioEmulatorConfigError(option, 'must be true or false');
};

export const resolveOptions = (options: TwilioEmulatorOptions): ResolvedOptions => {
  const type = checkType(options.type);
  return {
    port: checkPort(options.port ?? 0),
    host: options.host ?? '127.0.0.1',
    accountSid: checkAccountSid(options.accountSid),
    authToken: checkAuthToken(options.authToken),
    type,
    subaccountLimit:
      options.subaccountLimit === undefined
        ? DEFAULT_SUBACCOUNT_LIMIT[type]
        : checkSubaccountLimit(options.subaccountLimit),
    concurrencyLimit: checkConcurrencyLimit(options.concurrencyLimit),
    listLag: checkListLag(options.listLag),
    mainAccountSuspended: checkFlag('mainAccountSuspended', options.mainAccountSuspended),
    random: options.random ?? Math.random,
    now: options.now ?? (() => new Date()),
    log: options.log ?? (() => {}),
  };
};
