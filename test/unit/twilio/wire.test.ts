import { describe, expect, it } from 'vitest';
import { TwilioUnexpectedResponseError } from '../../../shared/twilio/errors.ts';
import { parseAccount, parseAccountPage } from '../../../shared/twilio/wire.ts';

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
