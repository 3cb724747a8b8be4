/**
 * The main Twilio account as both functions reach it: its credentials read from Secrets Manager
 * (cached, re-read on a 401) and the undici Twilio client over them. One place, so the two
 * functions cannot drift apart in how they authenticate.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createParentCredentialsSource, type ParentCredentialsSource } from './secrets/parent-credentials.ts';
import { createTwilioAccountsClient, type TwilioAccountsClient } from './twilio/index.ts';

export interface MainAccountSettings {
  readonly PARENT_CREDENTIALS_SECRET: string;
  readonly PARENT_CREDENTIALS_TTL_SECONDS: number;
  readonly TWILIO_API_BASE_URL: string;
  readonly TWILIO_MAX_ATTEMPTS: number;
}

export interface MainAccount {
  readonly parentCredentials: ParentCredentialsSource;
  readonly twilio: TwilioAccountsClient;
}

export const connectMainAccount = (
  config: MainAccountSettings,
  secretsClient: SecretsManagerClient,
  twilio?: TwilioAccountsClient,
): MainAccount => {
  const parentCredentials = createParentCredentialsSource({
    client: secretsClient,
    secretId: config.PARENT_CREDENTIALS_SECRET,
    ttlMs: config.PARENT_CREDENTIALS_TTL_SECONDS * 1000,
  });
  return {
    parentCredentials,
    twilio:
      twilio ??
      createTwilioAccountsClient({
        credentials: parentCredentials,
        baseUrl: config.TWILIO_API_BASE_URL,
        retry: { maxAttempts: config.TWILIO_MAX_ATTEMPTS },
      }),
  };
};
