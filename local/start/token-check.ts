/**
 * Whether the stored credentials are the subaccount's current ones, asked of Twilio itself. Never
 * prints or returns a credential.
 *
 * - An auth token: an active subaccount is fetched with its own SID and the stored token. Twilio
 *   refuses every login of a suspended or closed account, so for those the stored token is
 *   compared with the one Twilio shows the owner account.
 * - An API key (TENANT_CREDENTIALS api-key or both): the subaccount's Balance is read with the
 *   stored key, a resource a Standard key may read. An active account answers it; a suspended one
 *   answers 403 (the key authenticated, the account may not act), while a wrong or deleted key,
 *   or a closed account, is refused with 401.
 *
 * With both, both must work.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { TenantCredentials } from '../../shared/domain/ports.ts';
import {
  createTwilioAccountsClient,
  type TwilioAccount,
  TwilioApiError,
  TwilioAuthError,
  type TwilioCredentials,
} from '../../shared/twilio/index.ts';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

const sameToken = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b));

/** A client of the subaccount's own credentials: one attempt, nothing refreshed. */
const ownClient = (baseUrl: string, credentials: TwilioCredentials) =>
  createTwilioAccountsClient({
    credentials: { current: () => credentials },
    baseUrl,
    retry: { maxAttempts: 1 },
  });

const loginSucceeds = async (baseUrl: string, accountSid: string, authToken: string): Promise<boolean> => {
  try {
    return (await ownClient(baseUrl, { accountSid, authToken }).fetchAccount(accountSid)).sid === accountSid;
  } catch (error) {
    if (error instanceof TwilioAuthError) return false;
    throw error;
  }
};

const tokenIsValid = (
  baseUrl: string,
  authToken: string,
  ownerView: TwilioAccount,
): Promise<boolean> | boolean =>
  ownerView.status === 'active'
    ? loginSucceeds(baseUrl, ownerView.sid, authToken)
    : sameToken(authToken, ownerView.authToken);

const keyIsValid = async (
  baseUrl: string,
  ownerView: TwilioAccount,
  apiKeySid: string,
  apiKeySecret: string,
): Promise<boolean> => {
  const accountSid = ownerView.sid;
  try {
    await ownClient(baseUrl, { accountSid, apiKeySid, apiKeySecret }).fetchBalance(accountSid);
    return ownerView.status === 'active';
  } catch (error) {
    if (error instanceof TwilioAuthError) return false;
    // Authenticated, refused to act: what a valid key of a suspended subaccount is answered.
    if (error instanceof TwilioApiError && error.status === 403) return ownerView.status === 'suspended';
    throw error;
  }
};

export const storedTokenIsValid = async (
  baseUrl: string,
  credentials: TenantCredentials,
  ownerView: TwilioAccount | undefined,
): Promise<boolean> => {
  if (ownerView === undefined || ownerView.sid !== credentials.accountSid) return false;
  const { authToken, apiKeySid, apiKeySecret } = credentials;
  const hasKey = apiKeySid !== undefined && apiKeySecret !== undefined;
  if (authToken === undefined && !hasKey) return false;
  if (authToken !== undefined && !(await tokenIsValid(baseUrl, authToken, ownerView))) return false;
  return hasKey ? keyIsValid(baseUrl, ownerView, apiKeySid, apiKeySecret) : true;
};
