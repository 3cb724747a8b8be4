/**
 * The Twilio API origin. Plain HTTP is only for an emulator on this machine: credentials travel
 * in a Basic Authorization header and must never cross a network in clear text.
 */
import { ENV } from '../config/env-names.ts';
import { TwilioConfigError } from './errors.ts';

export const DEFAULT_TWILIO_BASE_URL = 'https://api.twilio.com';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** Validates a base URL and returns its origin; `setting` names the variable or option in errors. */
export const validateTwilioBaseUrl = (value: string, setting: string): string => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TwilioConfigError(setting, 'is not a valid URL');
  }
  if (url.username || url.password) throw new TwilioConfigError(setting, 'must not contain credentials');
  if (url.pathname !== '/' || url.search || url.hash) {
    throw new TwilioConfigError(setting, 'must be an origin only, like https://api.twilio.com');
  }
  const loopbackHttp = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) {
    throw new TwilioConfigError(setting, 'must use https (plain http only for 127.0.0.1, ::1 or localhost)');
  }
  return url.origin;
};

/** `TWILIO_API_BASE_URL` when set (e.g. the local emulator), otherwise Twilio's public API. */
export const readTwilioBaseUrl = (
  env: Readonly<Record<string, string | undefined>> = process.env,
): string => {
  const value = env[ENV.twilioApiBaseUrl]?.trim();
  return value ? validateTwilioBaseUrl(value, ENV.twilioApiBaseUrl) : DEFAULT_TWILIO_BASE_URL;
};
