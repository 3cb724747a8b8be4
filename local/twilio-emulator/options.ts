/** Validates emulator options once, failing with the option's name (never a secret's value). */
import type { AccountType } from '../../shared/twilio/types.ts';
import { TwilioEmulatorConfigError } from './errors.ts';
import { ACCOUNT_SID_PATTERN, AUTH_TOKEN_PATTERN, newAccountSid, newAuthToken } from './format.ts';
import type { TwilioEmulatorOptions } from './types.ts';

export interface ResolvedOptions {
  readonly port: number;
  readonly host: string;
  readonly accountSid: string;
  readonly authToken: string;
  readonly type: AccountType;
  readonly subaccountLimit: number;
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

const checkLimit = (limit: number | undefined, type: AccountType): number => {
  if (limit === undefined) return DEFAULT_SUBACCOUNT_LIMIT[type];
  if (!isIntegerIn(limit, 0, Number.MAX_SAFE_INTEGER)) {
    throw new TwilioEmulatorConfigError('subaccountLimit', 'must be a non-negative integer');
  }
  return limit;
};

export const resolveOptions = (options: TwilioEmulatorOptions): ResolvedOptions => {
  const type = checkType(options.type);
  return {
    port: checkPort(options.port ?? 0),
    host: options.host ?? '127.0.0.1',
    accountSid: checkAccountSid(options.accountSid),
    authToken: checkAuthToken(options.authToken),
    type,
    subaccountLimit: checkLimit(options.subaccountLimit, type),
    random: options.random ?? Math.random,
    now: options.now ?? (() => new Date()),
    log: options.log ?? (() => {}),
  };
};
