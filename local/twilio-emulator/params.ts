/** Validation of the Accounts resource's parameters (see the reference's parameter tables). */
import { ACCOUNT_STATUSES, type AccountStatus } from '../../shared/twilio/types.ts';
import { invalidAccountsRequest } from './errors.ts';
import { ACCOUNT_SID_PATTERN } from './format.ts';

/** "A human readable description of this account, up to 64 characters long." */
export const FRIENDLY_NAME_MAX = 64;

/** Twilio treats an empty form value as "not given". */
export const friendlyNameParam = (value: string | undefined): string | undefined => {
  if (value === undefined || value === '') return undefined;
  if ([...value].length > FRIENDLY_NAME_MAX) {
    throw invalidAccountsRequest(`FriendlyName must be at most ${FRIENDLY_NAME_MAX} characters`);
  }
  return value;
};

export const isAccountStatus = (value: string): value is AccountStatus =>
  (ACCOUNT_STATUSES as readonly string[]).includes(value);

export const statusParam = (value: string | undefined): AccountStatus | undefined => {
  if (value === undefined) return undefined;
  if (!isAccountStatus(value)) {
    throw invalidAccountsRequest(`Status must be one of ${ACCOUNT_STATUSES.join(', ')}`);
  }
  return value;
};

/** 21100 lists "an invalid Account SID in the path" among the Accounts resource's errors. */
export const accountSidParam = (sid: string): string => {
  if (!ACCOUNT_SID_PATTERN.test(sid)) {
    throw invalidAccountsRequest('The Account SID in the path must be AC followed by 32 hex digits');
  }
  return sid;
};

export const integerParam = (name: string, value: string, min: number, max: number): number => {
  const number = /^\d{1,10}$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= min && number <= max)) {
    throw invalidAccountsRequest(`${name} must be an integer from ${min} to ${max}`);
  }
  return number;
};
