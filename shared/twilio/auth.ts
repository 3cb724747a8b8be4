/**
 * HTTP Basic credentials for Twilio (https://www.twilio.com/docs/usage/requests-to-twilio#authentication):
 * the main account SID + auth token, or an API key SID + secret acting for that account.
 * The header value is built per request and never stored on an error or logged.
 */
import { TwilioConfigError } from './errors.ts';
import type { TwilioCredentials } from './types.ts';
import { ACCOUNT_SID_PATTERN } from './validation.ts';

const API_KEY_SID_PATTERN = /^SK[0-9a-fA-F]{32}$/;

const requireMatch = (setting: string, value: unknown, pattern: RegExp): string => {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new TwilioConfigError(setting, `must match ${pattern.source}`);
  }
  return value;
};

const requireSecret = (setting: string, value: unknown): string => {
  if (typeof value !== 'string' || value === '')
    throw new TwilioConfigError(setting, 'must be a non-empty string');
  return value;
};

const basicPair = (credentials: TwilioCredentials): readonly [string, string] =>
  'apiKeySid' in credentials
    ? [
        requireMatch('credentials.apiKeySid', credentials.apiKeySid, API_KEY_SID_PATTERN),
        requireSecret('credentials.apiKeySecret', credentials.apiKeySecret),
      ]
    : [credentials.accountSid, requireSecret('credentials.authToken', credentials.authToken)];

export const authorizationHeader = (credentials: TwilioCredentials): string => {
  requireMatch('credentials.accountSid', credentials.accountSid, ACCOUNT_SID_PATTERN);
  const [user, password] = basicPair(credentials);
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
};
