import { describe, expect, it } from 'vitest';
import { authorizationHeader } from '../../../shared/twilio/auth.ts';
import { TwilioConfigError } from '../../../shared/twilio/errors.ts';

const ACCOUNT_SID = `AC${'1'.repeat(32)}`;
const KEY_SID = `SK${'2'.repeat(32)}`;
const decode = (header: string): string => Buffer.from(header.replace(/^Basic /, ''), 'base64').toString();

describe('authorizationHeader', () => {
  it('uses the account SID and auth token', () => {
    expect(decode(authorizationHeader({ accountSid: ACCOUNT_SID, authToken: 'token-1' }))).toBe(
      `${ACCOUNT_SID}:token-1`,
    );
  });

  it('uses the API key SID and secret when given an API key', () => {
    const header = authorizationHeader({
      accountSid: ACCOUNT_SID,
      apiKeySid: KEY_SID,
      apiKeySecret: 'secret-1',
    });
    expect(decode(header)).toBe(`${KEY_SID}:secret-1`);
  });

  it.each([
    [{ accountSid: 'AC1', authToken: 'x' }, 'credentials.accountSid'],
    [{ accountSid: ACCOUNT_SID, authToken: '' }, 'credentials.authToken'],
    [{ accountSid: ACCOUNT_SID, apiKeySid: 'SK1', apiKeySecret: 'x' }, 'credentials.apiKeySid'],
    [{ accountSid: ACCOUNT_SID, apiKeySid: KEY_SID, apiKeySecret: '' }, 'credentials.apiKeySecret'],
  ])('rejects %j naming %s', (credentials, setting) => {
    expect(() => authorizationHeader(credentials)).toThrow(TwilioConfigError);
    expect(() => authorizationHeader(credentials)).toThrow(setting);
  });
});
