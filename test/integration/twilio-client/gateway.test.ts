/**
 * The subaccount gateway's closed outcome against a scripted server on loopback, for answers the
 * emulator does not give: Twilio refusing a closed subaccount's status change with the generic
 * 21100 instead of 21479, and refusals that the confirming fetch does not bear out.
 */
import { Agent } from 'undici';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTwilioAccountsClient,
  TwilioApiError,
  TwilioSubaccountClosedError,
} from '../../../shared/twilio/index.ts';
import { createTwilioSubaccountGateway } from '../../../shared/twilio/subaccount-gateway.ts';
import {
  accountJson,
  json,
  type ScriptedServer,
  startScriptedServer,
  twilioError,
} from './scripted-server.ts';

const MAIN_SID = `AC${'1'.repeat(32)}`;
const SUB_SID = `AC${'2'.repeat(32)}`;
const TOKEN = 'f00dface'.repeat(4);
const CLOSED_MESSAGE = 'Unable to update Status for subaccount, subaccount has been closed';

const agent = new Agent({ connect: { timeout: 1000 } });
let server: ScriptedServer;

beforeEach(async () => {
  server = await startScriptedServer();
});
afterEach(() => server.close());
afterAll(() => agent.close());

const gateway = () =>
  createTwilioSubaccountGateway(
    createTwilioAccountsClient({
      credentials: { current: () => ({ accountSid: MAIN_SID, authToken: TOKEN }) },
      baseUrl: server.url,
      dispatcher: agent,
      random: () => 0.5,
      sleep: async () => {},
    }),
  );

const sent = (): string[] => server.received.map((r) => `${r.method} ${r.url.split('?')[0]}`);
const UPDATE = `POST /2010-04-01/Accounts/${SUB_SID}.json`;
const FETCH = `GET /2010-04-01/Accounts/${SUB_SID}.json`;

describe('setStatus on a subaccount Twilio reports closed', () => {
  it.each([
    [21479, CLOSED_MESSAGE],
    [21100, 'Invalid Status'],
  ])(
    'resolves with the closed subaccount when Twilio answers %i and the fetch confirms it',
    async (code, message) => {
      server.script(twilioError(400, code, message), json(200, accountJson(SUB_SID, { status: 'closed' })));
      const result = await gateway().setStatus(SUB_SID, 'active');
      expect(result).toMatchObject({ sid: SUB_SID, status: 'closed', friendlyName: 'tenant-1' });
      expect(sent()).toEqual([UPDATE, FETCH]);
    },
  );

  it('throws the 21479 refusal when the fetch shows the subaccount is not closed after all', async () => {
    server.script(
      twilioError(400, 21479, CLOSED_MESSAGE),
      json(200, accountJson(SUB_SID, { status: 'active' })),
    );
    const error = await gateway()
      .setStatus(SUB_SID, 'suspended')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TwilioSubaccountClosedError);
    expect(error).toMatchObject({ code: 'SUBACCOUNT_CLOSED', retryable: false });
    expect(sent()).toEqual([UPDATE, FETCH]);
  });

  it('throws a 21100 refusal that is not about a closed subaccount, as the generic permanent error', async () => {
    server.script(
      twilioError(400, 21100, 'Invalid Status'),
      json(200, accountJson(SUB_SID, { status: 'active' })),
    );
    const error = await gateway()
      .setStatus(SUB_SID, 'suspended')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TwilioApiError);
    expect(error).toMatchObject({ code: 'TWILIO_API_ERROR', twilioCode: 21100, retryable: false });
  });

  it('does not fetch after a refusal of another code', async () => {
    server.script(
      twilioError(
        400,
        21478,
        'Unable to update Status for subaccount, subaccount has been suspended by Twilio',
      ),
    );
    const error = await gateway()
      .setStatus(SUB_SID, 'active')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SUBACCOUNT_SUSPENDED_BY_TWILIO', retryable: false });
    expect(sent()).toEqual([UPDATE]);
  });
});
