/** The product's Twilio client (undici), configured from the function's configuration. */
import { createTwilioAccountsClient } from '../twilio/client.ts';
import type { TwilioClientFactory } from './tenant-events-app.ts';

export const createUndiciTwilioClient: TwilioClientFactory = (credentials, config) =>
  createTwilioAccountsClient({
    credentials,
    baseUrl: config.TWILIO_API_BASE_URL,
    retry: { maxAttempts: config.TWILIO_MAX_ATTEMPTS },
  });
