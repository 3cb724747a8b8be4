import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TWILIO_BASE_URL,
  readTwilioBaseUrl,
  validateTwilioBaseUrl,
} from '../../../shared/twilio/base-url.ts';
import { TwilioConfigError } from '../../../shared/twilio/errors.ts';

describe('readTwilioBaseUrl', () => {
  it('defaults to the public API when TWILIO_API_BASE_URL is unset or blank', () => {
    expect(readTwilioBaseUrl({})).toBe('https://api.twilio.com');
    expect(readTwilioBaseUrl({ TWILIO_API_BASE_URL: '  ' })).toBe(DEFAULT_TWILIO_BASE_URL);
  });

  it.each([
    ['https://twilio-proxy.example.com', 'https://twilio-proxy.example.com'],
    ['https://api.twilio.com/', 'https://api.twilio.com'],
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4010'],
    ['http://localhost:4010/', 'http://localhost:4010'],
    ['http://[::1]:4010', 'http://[::1]:4010'],
  ])('accepts %s', (value, origin) => {
    expect(readTwilioBaseUrl({ TWILIO_API_BASE_URL: value })).toBe(origin);
  });

  it.each([
    'http://api.twilio.com',
    'http://10.0.0.5:4010',
    'http://127.0.0.1.example.com',
    'ftp://127.0.0.1',
    'not a url',
    'https://user:pass@api.twilio.com',
    'https://api.twilio.com/2010-04-01',
    'https://api.twilio.com/?x=1',
  ])('rejects %s, naming the variable', (value) => {
    expect(() => readTwilioBaseUrl({ TWILIO_API_BASE_URL: value })).toThrow(TwilioConfigError);
    expect(() => readTwilioBaseUrl({ TWILIO_API_BASE_URL: value })).toThrow(/^TWILIO_API_BASE_URL /);
  });

  it('never echoes credentials embedded in the URL', () => {
    try {
      validateTwilioBaseUrl('https://ACx:s3cr3t-token@api.twilio.com', 'baseUrl');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TwilioConfigError);
      expect(JSON.stringify(error)).not.toContain('s3cr3t-token');
      expect((error as Error).message).toMatch(/^baseUrl /);
    }
  });
});
