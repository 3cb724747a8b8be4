/** Wire formats: RFC 2822 dates, SIDs, auth tokens, key secrets, default FriendlyName. */
import { randomBytes } from 'node:crypto';

export const ACCOUNT_SID_PATTERN = /^AC[0-9a-fA-F]{32}$/;
export const AUTH_TOKEN_PATTERN = /^[0-9a-fA-F]{32}$/;
export const API_KEY_SID_PATTERN = /^SK[0-9a-fA-F]{32}$/;

const hex32 = (): string => randomBytes(16).toString('hex');

export const newAccountSid = (): string => `AC${hex32()}`;
export const newAuthToken = (): string => hex32();
export const newApiKeySid = (): string => `SK${hex32()}`;
export const newRequestSid = (): string => `RQ${hex32()}`;

const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const SECRET_LENGTH = 32;
/** The largest multiple of the alphabet's size below 256, so every character is equally likely. */
const UNBIASED_BELOW = 256 - (256 % SECRET_ALPHABET.length);

/** 32 letters and digits, the shape of the secrets Twilio issues for API keys. */
export const newKeySecret = (): string => {
  let secret = '';
  while (secret.length < SECRET_LENGTH) {
    for (const byte of randomBytes(SECRET_LENGTH)) {
      if (byte < UNBIASED_BELOW && secret.length < SECRET_LENGTH)
        secret += SECRET_ALPHABET[byte % SECRET_ALPHABET.length];
    }
  }
  return secret;
};

/** `Thu, 30 Jul 2015 20:00:00 +0000`: Twilio writes GMT as a numeric offset. */
export const toRfc2822 = (date: Date): string => date.toUTCString().replace(/ GMT$/, ' +0000');

const pad2 = (value: number): string => String(value).padStart(2, '0');

/** `SubAccount Created at {YYYY-MM-DD HH:MM meridian}`, in UTC with a 12-hour clock. */
export const defaultFriendlyName = (date: Date): string => {
  const hours = date.getUTCHours();
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  const meridian = hours < 12 ? 'am' : 'pm';
  const day = `${date.getUTCFullYear()}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}`;
  return `SubAccount Created at ${day} ${pad2(hour12)}:${pad2(date.getUTCMinutes())} ${meridian}`;
};
