/**
 * The Keys and Balance wire format (keys-openapi.json: api.v2010.account.key, .new_key,
 * ListKeyResponse, .balance) and the checks made before any Keys or Balance request.
 */
import { describe, expect, it } from 'vitest';
import { TwilioInputError, TwilioUnexpectedResponseError } from '../../../../shared/twilio/errors.ts';
import {
  assertKeySid,
  balancePath,
  keyPath,
  keysPath,
  parseBalance,
  parseKey,
  parseKeyPage,
  parseNewKey,
  validateCreateKeyInput,
  validateGivenCredentials,
  validateKeyTarget,
  validateListKeysInput,
} from '../../../../shared/twilio/wire.ts';

const ACCOUNT_SID = `AC${'a'.repeat(32)}`;
const KEY_SID = `SK${'0123456789abcdefABCDEF0123456789'}`;
const SECRET = 'Zx9SecretOfTheKeyShownOnlyOnce42';

const wireKey = (overrides: Record<string, unknown> = {}) => ({
  sid: KEY_SID,
  friendly_name: 'tenant-1 key',
  date_created: 'Mon, 13 Jun 2016 22:50:08 +0000',
  date_updated: 'Tue, 14 Jun 2016 08:00:00 +0000',
  ...overrides,
});

const answer = (operation: 'key-create' | 'key-fetch' | 'key-list' | 'balance', body: unknown) => ({
  operation,
  status: operation === 'key-create' ? 201 : 200,
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

const inputError = (run: () => void): TwilioInputError => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TwilioInputError);
    return error as TwilioInputError;
  }
  throw new Error('expected a TwilioInputError');
};

describe('paths', () => {
  it('are those of API version 2010-04-01', () => {
    expect(keysPath(ACCOUNT_SID)).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Keys.json`);
    expect(keyPath(ACCOUNT_SID, KEY_SID)).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Keys/${KEY_SID}.json`);
    expect(balancePath(ACCOUNT_SID)).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Balance.json`);
  });
});

describe('key wire format', () => {
  it('reads a new key with its one-time secret, dates as Date', () => {
    expect(parseNewKey(answer('key-create', { ...wireKey(), secret: SECRET }))).toEqual({
      sid: KEY_SID,
      friendlyName: 'tenant-1 key',
      dateCreated: new Date('2016-06-13T22:50:08Z'),
      dateUpdated: new Date('2016-06-14T08:00:00Z'),
      secret: SECRET,
    });
  });

  it('reads a key (fetch, list) without a secret, and ignores one that is there', () => {
    const key = parseKey(answer('key-fetch', { ...wireKey(), secret: SECRET }));
    expect(key).toEqual({
      sid: KEY_SID,
      friendlyName: 'tenant-1 key',
      dateCreated: new Date('2016-06-13T22:50:08Z'),
      dateUpdated: new Date('2016-06-14T08:00:00Z'),
    });
    expect(JSON.stringify(key)).not.toContain(SECRET);
  });

  it('reads a key created without a FriendlyName (null) as an empty one', () => {
    expect(parseKey(answer('key-fetch', wireKey({ friendly_name: null }))).friendlyName).toBe('');
  });

  it.each([
    ['a secret missing from a create answer', 'key-create', wireKey(), 'secret'],
    ['a null secret', 'key-create', { ...wireKey(), secret: null }, 'secret'],
    ['an empty secret', 'key-create', { ...wireKey(), secret: '' }, 'secret'],
    ['an account SID for a key SID', 'key-fetch', wireKey({ sid: ACCOUNT_SID }), 'sid'],
    ['a short key SID', 'key-fetch', wireKey({ sid: 'SK123' }), 'sid'],
    ['a bad date', 'key-fetch', wireKey({ date_created: 'yesterday' }), 'date_created'],
    ['a missing date', 'key-fetch', wireKey({ date_updated: undefined }), 'date_updated'],
  ] as const)('rejects %s by field path', (_label, operation, body, path) => {
    const parse = operation === 'key-create' ? parseNewKey : parseKey;
    try {
      parse(answer(operation, body));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TwilioUnexpectedResponseError);
      expect((error as Error).message).toContain(path);
      expect((error as Error).message).toContain(`Twilio ${operation} answered`);
    }
  });

  it('never quotes a secret when the rest of a create answer is malformed', () => {
    try {
      parseNewKey(answer('key-create', { ...wireKey({ sid: 'bad' }), secret: SECRET }));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TwilioUnexpectedResponseError);
      expect((error as Error).message).not.toContain(SECRET);
      expect(JSON.stringify(error)).not.toContain(SECRET);
    }
  });

  it('rejects a body that is not JSON', () => {
    expect(() => parseNewKey(answer('key-create', '<html>'))).toThrow(/not JSON/);
  });

  it('reads a list page and its next_page_uri (ListKeyResponse)', () => {
    const next = `/2010-04-01/Accounts/${ACCOUNT_SID}/Keys.json?PageSize=1&Page=1&PageToken=PA${KEY_SID}`;
    const page = parseKeyPage(
      answer('key-list', {
        keys: [wireKey()],
        first_page_uri: `/2010-04-01/Accounts/${ACCOUNT_SID}/Keys.json?PageSize=1&Page=0`,
        next_page_uri: next,
        previous_page_uri: null,
        page: 0,
        page_size: 1,
        start: 0,
        end: 0,
        uri: `/2010-04-01/Accounts/${ACCOUNT_SID}/Keys.json?PageSize=1&Page=0`,
      }),
    );
    expect(page.keys.map((key) => key.sid)).toEqual([KEY_SID]);
    expect(page.nextPageUri).toBe(next);
    expect(parseKeyPage(answer('key-list', { keys: [], next_page_uri: null }))).toEqual({
      keys: [],
      nextPageUri: undefined,
    });
  });

  it('rejects a page without its keys array', () => {
    expect(() => parseKeyPage(answer('key-list', { accounts: [] }))).toThrow(/invalid keys/);
  });
});

describe('balance wire format', () => {
  it('reads account_sid, balance and currency', () => {
    expect(
      parseBalance(answer('balance', { account_sid: ACCOUNT_SID, balance: '0.05', currency: 'USD' })),
    ).toEqual({ accountSid: ACCOUNT_SID, balance: '0.05', currency: 'USD' });
  });

  it('accepts a subaccount without balance information of its own', () => {
    expect(
      parseBalance(answer('balance', { account_sid: ACCOUNT_SID, balance: null, currency: null })),
    ).toEqual({ accountSid: ACCOUNT_SID, balance: undefined, currency: undefined });
  });

  it('rejects a malformed account_sid', () => {
    expect(() => parseBalance(answer('balance', { account_sid: 'AC1', balance: '1' }))).toThrow(
      /invalid account_sid/,
    );
  });
});

describe('input validation', () => {
  it('accepts key SIDs of SK + 32 hex digits in either case', () => {
    expect(() => assertKeySid(KEY_SID)).not.toThrow();
    expect(() => validateKeyTarget(ACCOUNT_SID, KEY_SID)).not.toThrow();
  });

  it.each([
    '',
    `SK${'0'.repeat(31)}`,
    `SK${'0'.repeat(33)}`,
    `AC${'0'.repeat(32)}`,
    `sk${'0'.repeat(32)}`,
    `SK${'g'.repeat(32)}`,
    `SK${'0'.repeat(32)}/../x`,
    undefined,
  ])('rejects key SID %j, naming keySid, not retryable', (sid) => {
    const error = inputError(() => validateKeyTarget(ACCOUNT_SID, sid));
    expect(error.retryable).toBe(false);
    expect(error.context).toEqual({ field: 'keySid' });
    expect(error.message).toContain('SK[0-9a-fA-F]{32}');
  });

  it.each([
    ['create', () => validateCreateKeyInput('AC123', {})],
    ['list', () => validateListKeysInput(`SK${'0'.repeat(32)}`, {})],
    ['fetch or delete', () => validateKeyTarget(`AC${'0'.repeat(32)}/x`, KEY_SID)],
  ])('rejects a malformed account SID to %s keys of, naming accountSid', (_label, run) => {
    expect(inputError(run).context).toEqual({ field: 'accountSid' });
  });

  it('limits a key FriendlyName to 1..64 characters, counting characters', () => {
    expect(() => validateCreateKeyInput(ACCOUNT_SID, {})).not.toThrow();
    expect(() => validateCreateKeyInput(ACCOUNT_SID, { friendlyName: 'x'.repeat(64) })).not.toThrow();
    expect(() => validateCreateKeyInput(ACCOUNT_SID, { friendlyName: '🔑'.repeat(64) })).not.toThrow();
    for (const friendlyName of ['x'.repeat(65), '']) {
      expect(inputError(() => validateCreateKeyInput(ACCOUNT_SID, { friendlyName })).context).toEqual({
        field: 'friendlyName',
      });
    }
  });

  it.each([0, 1001, 2.5, -1, Number.NaN])('rejects a Keys PageSize of %d', (pageSize) => {
    expect(inputError(() => validateListKeysInput(ACCOUNT_SID, { pageSize })).context).toEqual({
      field: 'pageSize',
    });
  });

  it.each([1, 50, 1000, undefined])('accepts a Keys PageSize of %s', (pageSize) => {
    expect(() => validateListKeysInput(ACCOUNT_SID, { pageSize })).not.toThrow();
  });
});

describe('credentials given for one call', () => {
  it('accepts a key or an auth token of an account', () => {
    expect(() =>
      validateGivenCredentials({ accountSid: ACCOUNT_SID, apiKeySid: KEY_SID, apiKeySecret: SECRET }),
    ).not.toThrow();
    expect(() => validateGivenCredentials({ accountSid: ACCOUNT_SID, authToken: SECRET })).not.toThrow();
  });

  it.each([
    [{ accountSid: 'AC1', apiKeySid: KEY_SID, apiKeySecret: SECRET }, 'credentials.accountSid'],
    [{ accountSid: ACCOUNT_SID, apiKeySid: 'SK1', apiKeySecret: SECRET }, 'credentials.apiKeySid'],
    [{ accountSid: ACCOUNT_SID, apiKeySid: KEY_SID, apiKeySecret: '' }, 'credentials.apiKeySecret'],
    [{ accountSid: ACCOUNT_SID, authToken: '' }, 'credentials.authToken'],
    [null, 'credentials'],
  ])('rejects %j as input naming %s, never quoting a value', (credentials, field) => {
    const error = inputError(() => validateGivenCredentials(credentials as never));
    expect(error.context).toEqual({ field });
    expect(error.message).not.toContain(SECRET);
  });
});
