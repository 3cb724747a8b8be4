import { describe, expect, it } from 'vitest';
import {
  TwilioConfigError,
  TwilioInputError,
  TwilioUnexpectedResponseError,
} from '../../../../shared/twilio/errors.ts';
import {
  assertAccountSid,
  authorizationHeader,
  DEFAULT_TWILIO_BASE_URL,
  parseAccount,
  parseAccountPage,
  readTwilioBaseUrl,
  validateCreateInput,
  validateListInput,
  validateTwilioBaseUrl,
  validateUpdateInput,
} from '../../../../shared/twilio/wire.ts';

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

const INPUT_SID = `AC${'0123456789abcdefABCDEF0123456789'}`;

const inputError = (run: () => void): TwilioInputError => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TwilioInputError);
    return error as TwilioInputError;
  }
  throw new Error('expected a TwilioInputError');
};

describe('input validation', () => {
  it('accepts account SIDs of AC + 32 hex digits in either case', () => {
    expect(() => assertAccountSid(INPUT_SID)).not.toThrow();
  });

  it.each([
    '',
    `AC${'0'.repeat(31)}`,
    `AC${'0'.repeat(33)}`,
    `SK${'0'.repeat(32)}`,
    `ac${'0'.repeat(32)}`,
    `AC${'g'.repeat(32)}`,
    `AC${'0'.repeat(32)}/../x`,
  ])('rejects SID %j, not retryable', (sid) => {
    const error = inputError(() => assertAccountSid(sid));
    expect(error.retryable).toBe(false);
    expect(error.context).toEqual({ field: 'sid' });
  });

  it('limits FriendlyName to 64 characters, counting characters rather than UTF-16 units', () => {
    expect(() => validateCreateInput({ friendlyName: 'x'.repeat(64) })).not.toThrow();
    expect(() => validateCreateInput({ friendlyName: '😀'.repeat(64) })).not.toThrow();
    expect(inputError(() => validateCreateInput({ friendlyName: 'x'.repeat(65) })).message).toMatch(
      /friendlyName/,
    );
    inputError(() => validateCreateInput({ friendlyName: '' }));
    expect(() => validateCreateInput({})).not.toThrow();
  });

  it.each([1, 50, 1000])('accepts PageSize %d', (pageSize) => {
    expect(() => validateListInput({ pageSize })).not.toThrow();
  });

  it.each([0, 1001, 2.5, -1, Number.NaN])('rejects PageSize %d', (pageSize) => {
    expect(inputError(() => validateListInput({ pageSize })).context).toEqual({ field: 'pageSize' });
  });

  it('accepts only the three statuses', () => {
    for (const status of ['active', 'suspended', 'closed'] as const) {
      expect(() => validateListInput({ status })).not.toThrow();
      expect(() => validateUpdateInput(INPUT_SID, { status })).not.toThrow();
    }
    inputError(() => validateListInput({ status: 'Active' as never }));
    inputError(() => validateUpdateInput(INPUT_SID, { status: 'deleted' as never }));
  });

  it('needs at least one field to update and a valid SID', () => {
    expect(inputError(() => validateUpdateInput(INPUT_SID, {})).context).toEqual({ field: 'update' });
    expect(inputError(() => validateUpdateInput('AC123', { status: 'active' })).context).toEqual({
      field: 'sid',
    });
    expect(() => validateUpdateInput(INPUT_SID, { friendlyName: 'renamed' })).not.toThrow();
  });
});

const SID = `AC${'a'.repeat(32)}`;
const TOKEN = '0123456789abcdef0123456789abcdef';

const wireAccount = (overrides: Record<string, unknown> = {}) => ({
  auth_token: TOKEN,
  date_created: 'Thu, 30 Jul 2015 20:00:00 +0000',
  date_updated: 'Fri, 31 Jul 2015 08:30:15 +0000',
  friendly_name: 'tenant-1',
  owner_account_sid: `AC${'b'.repeat(32)}`,
  sid: SID,
  status: 'active',
  subresource_uris: { calls: `/2010-04-01/Accounts/${SID}/Calls.json` },
  type: 'Full',
  uri: `/2010-04-01/Accounts/${SID}.json`,
  ...overrides,
});

const read = (body: unknown) => parseAccount({ operation: 'fetch', status: 200, body: JSON.stringify(body) });

describe('account wire format', () => {
  it('maps snake_case to camelCase and RFC 2822 dates to Date', () => {
    expect(read(wireAccount())).toEqual({
      sid: SID,
      authToken: TOKEN,
      friendlyName: 'tenant-1',
      ownerAccountSid: `AC${'b'.repeat(32)}`,
      status: 'active',
      type: 'Full',
      dateCreated: new Date('2015-07-30T20:00:00Z'),
      dateUpdated: new Date('2015-07-31T08:30:15Z'),
      uri: `/2010-04-01/Accounts/${SID}.json`,
      subresourceUris: { calls: `/2010-04-01/Accounts/${SID}/Calls.json` },
    });
  });

  it('accepts the fields the OpenAPI marks nullable and that the product can do without', () => {
    const account = read(wireAccount({ friendly_name: null, uri: null, subresource_uris: null }));
    expect(account).toMatchObject({ friendlyName: '', uri: '', subresourceUris: {} });
  });

  it.each([
    ['a bad date', { date_created: 'yesterday' }, 'date_created'],
    ['an unknown status', { status: 'deleted' }, 'status'],
    ['a missing token', { auth_token: null }, 'auth_token'],
    ['a malformed sid', { sid: 'AC1' }, 'sid'],
  ])('rejects %s by field path, without quoting the body', (_label, overrides, path) => {
    try {
      read(wireAccount(overrides));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TwilioUnexpectedResponseError);
      expect((error as Error).message).toContain(path);
      expect(JSON.stringify(error)).not.toContain(TOKEN);
      expect((error as Error).message).not.toContain(TOKEN);
    }
  });

  it('rejects a body that is not JSON', () => {
    expect(() => parseAccount({ operation: 'create', status: 201, body: '<html>' })).toThrow(/not JSON/);
  });

  it('reads a page and its next_page_uri', () => {
    const next = '/2010-04-01/Accounts.json?PageSize=1&Page=1&PageToken=PAx';
    const body = JSON.stringify({ accounts: [wireAccount()], next_page_uri: next, page: 0, page_size: 1 });
    const page = parseAccountPage({ operation: 'list', status: 200, body });
    expect(page.accounts.map((a) => a.sid)).toEqual([SID]);
    expect(page.nextPageUri).toBe(next);
    const last = parseAccountPage({
      operation: 'list',
      status: 200,
      body: '{"accounts":[],"next_page_uri":null}',
    });
    expect(last).toEqual({ accounts: [], nextPageUri: undefined });
  });
});
