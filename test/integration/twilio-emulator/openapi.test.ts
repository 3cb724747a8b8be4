import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwilioEmulator, type TwilioEmulator } from '../../../local/twilio-emulator/index.ts';
import { accountsOpenApiMissing, loadOpenApiValidator } from '../../helpers/openapi.ts';
import { type AccountBody, accountPath, call, LIST, mainAuth, type PageBody } from './support.ts';

const INSTANCE = '/2010-04-01/Accounts/{Sid}.json';
if (accountsOpenApiMissing !== undefined)
  console.warn(`skipping the OpenAPI checks: ${accountsOpenApiMissing}`);
const openApi =
  accountsOpenApiMissing === undefined ? loadOpenApiValidator(undefined, { exact: true }) : undefined!;

let emulator: TwilioEmulator;
beforeAll(async () => {
  emulator = await startTwilioEmulator();
});
afterAll(() => emulator.close());

const auth = () => mainAuth(emulator);

describe.skipIf(accountsOpenApiMissing !== undefined)("responses match Twilio's OpenAPI description", () => {
  const created: AccountBody[] = [];

  it('create (201), with and without FriendlyName', async () => {
    for (const form of [{ FriendlyName: 'openapi tenant' }, undefined, { FriendlyName: 'openapi tenant' }]) {
      const reply = await call<AccountBody>(emulator, 'POST', LIST, { auth: auth(), form });
      expect(reply.status).toBe(201);
      expect(openApi.errors(LIST, 'post', 201, reply.body)).toEqual([]);
      created.push(reply.body);
    }
  });

  it('fetch (200) of the main account and a subaccount', async () => {
    for (const sid of [emulator.accountSid, created[0]?.sid as string]) {
      const reply = await call(emulator, 'GET', accountPath(sid), { auth: auth() });
      expect(reply.status).toBe(200);
      expect(openApi.errors(INSTANCE, 'get', 200, reply.body)).toEqual([]);
    }
  });

  it('update (200) through every status', async () => {
    const sid = created[1]?.sid as string;
    const forms: Record<string, string>[] = [
      { Status: 'suspended' },
      { Status: 'active', FriendlyName: 'renamed' },
      { Status: 'closed' },
    ];
    for (const form of forms) {
      const reply = await call(emulator, 'POST', accountPath(sid), { auth: auth(), form });
      expect(reply.status).toBe(200);
      expect(openApi.errors(INSTANCE, 'post', 200, reply.body)).toEqual([]);
    }
  });

  it('list (200): first, middle, last, filtered and empty pages', async () => {
    const queries = [
      '',
      '?PageSize=1',
      '?FriendlyName=openapi+tenant&Status=active&PageSize=1',
      '?Status=suspended',
    ];
    for (const query of queries) {
      let path: string | null = `${LIST}${query}`;
      while (path !== null) {
        const reply: { status: number; body: PageBody } = await call<PageBody>(emulator, 'GET', path, {
          auth: auth(),
        });
        expect(reply.status).toBe(200);
        expect(openApi.errors(LIST, 'get', 200, reply.body)).toEqual([]);
        path = reply.body.next_page_uri;
      }
    }
  });

  it('is a validation that can fail', async () => {
    const reply = await call<AccountBody>(emulator, 'GET', accountPath(emulator.accountSid), {
      auth: auth(),
    });
    const isoDates = { ...reply.body, date_created: new Date().toISOString() };
    const badSid = { ...reply.body, sid: 'AC123' };
    const { uri: _, ...missingUri } = reply.body;
    const extra = { ...reply.body, api_version: '2010-04-01' };
    for (const broken of [isoDates, badSid, missingUri, extra]) {
      expect(openApi.errors(INSTANCE, 'get', 200, broken)).not.toEqual([]);
    }
    expect(openApi.errors(LIST, 'get', 200, { accounts: [], page: 0 })).not.toEqual([]);
  });
});
