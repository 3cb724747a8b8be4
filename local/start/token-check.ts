/**
 * Whether a stored auth token is the subaccount's current one, asked of Twilio itself. An active
 * subaccount is fetched with its own SID and the stored token. Twilio refuses every login of a
 * suspended or closed account, so for those the stored token is compared with the one Twilio
 * shows the owner account. Never prints or returns a token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { TenantCredentials } from '../../shared/domain/ports.ts';
import {
  createTwilioAccountsClient,
  type TwilioAccount,
  TwilioAuthError,
} from '../../shared/twilio/index.ts';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

const sameToken = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b));

const loginSucceeds = async (
  baseUrl: string,
  credentials: TenantCredentials & { authToken: string },
): Promise<boolean> => {
  const ownClient = createTwilioAccountsClient({
    credentials: {
      current: () => ({ accountSid: credentials.accountSid, authToken: credentials.authToken }),
    },
    baseUrl,
    retry: { maxAttempts: 1 },
  });
  try {
    return (await ownClient.fetchAccount(credentials.accountSid)).sid === credentials.accountSid;
  } catch (error) {
    if (error instanceof TwilioAuthError) return false;
    throw error;
  }
};

export const storedTokenIsValid = async (
  baseUrl: string,
  credentials: TenantCredentials,
  ownerView: TwilioAccount | undefined,
): Promise<boolean> => {
  if (ownerView === undefined || ownerView.sid !== credentials.accountSid) return false;
  const { authToken } = credentials;
  if (authToken === undefined) return false;
  return ownerView.status === 'active'
    ? loginSucceeds(baseUrl, { ...credentials, authToken })
    : sameToken(authToken, ownerView.authToken);
};
