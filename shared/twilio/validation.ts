/**
 * Input checks run before any request, with the limits of Twilio's Accounts API
 * (https://www.twilio.com/docs/iam/api/account): a bad value never costs a round trip or a retry.
 */
import { TwilioInputError } from './errors.ts';
import {
  ACCOUNT_STATUSES,
  type AccountStatus,
  type CreateSubaccountInput,
  type ListAccountsInput,
  type UpdateAccountInput,
} from './types.ts';

export const ACCOUNT_SID_PATTERN = /^AC[0-9a-fA-F]{32}$/;
export const MAX_FRIENDLY_NAME_LENGTH = 64;
export const MAX_PAGE_SIZE = 1000;

export const assertAccountSid = (sid: unknown, field = 'sid'): void => {
  if (typeof sid !== 'string' || !ACCOUNT_SID_PATTERN.test(sid)) {
    throw new TwilioInputError(field, 'must match ^AC[0-9a-fA-F]{32}$');
  }
};

const assertFriendlyName = (name: unknown, field: string): void => {
  if (name === undefined) return;
  // Counted in characters, not UTF-16 units, as Twilio counts them.
  const length = typeof name === 'string' ? [...name].length : 0;
  if (length < 1 || length > MAX_FRIENDLY_NAME_LENGTH) {
    throw new TwilioInputError(field, `must be a string of 1 to ${MAX_FRIENDLY_NAME_LENGTH} characters`);
  }
};

const assertStatus = (status: unknown, field: string): void => {
  if (status !== undefined && !ACCOUNT_STATUSES.includes(status as AccountStatus)) {
    throw new TwilioInputError(field, `must be one of ${ACCOUNT_STATUSES.join(', ')}`);
  }
};

const assertPageSize = (pageSize: unknown, field: string): void => {
  if (pageSize === undefined) return;
  if (!Number.isInteger(pageSize) || (pageSize as number) < 1 || (pageSize as number) > MAX_PAGE_SIZE) {
    throw new TwilioInputError(field, `must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
};

export const validateCreateInput = (input: CreateSubaccountInput): void => {
  assertFriendlyName(input.friendlyName, 'friendlyName');
};

export const validateListInput = (input: ListAccountsInput): void => {
  assertFriendlyName(input.friendlyName, 'friendlyName');
  assertStatus(input.status, 'status');
  assertPageSize(input.pageSize, 'pageSize');
};

export const validateUpdateInput = (sid: unknown, input: UpdateAccountInput): void => {
  assertAccountSid(sid);
  if (input?.friendlyName === undefined && input?.status === undefined) {
    throw new TwilioInputError('update', 'needs at least one of friendlyName or status');
  }
  assertFriendlyName(input.friendlyName, 'friendlyName');
  assertStatus(input.status, 'status');
};
