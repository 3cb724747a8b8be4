/**
 * The refusals Twilio documents a code of its own for (errors.md beside the checkout), and the
 * control switches that provoke them: subaccount limit, Twilio's own suspension of a subaccount,
 * a suspended main account, and status changes made outside the API.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  startTwilioEmulator,
  TwilioApiError,
  type TwilioEmulator,
} from '../../../local/twilio-emulator/index.ts';
import { twilioErrorBodyErrors } from '../../helpers/openapi.ts';
import {
  type AccountBody,
  accountPath,
  call,
  createSubaccount,
  type ErrorBody,
  LIST,
  mainAuth,
  type PageBody,
} from './support.ts';

let emulator: TwilioEmulator;
afterEach(() => emulator?.close());

const update = (sid: string, form: Record<string, string>, auth = mainAuth(emulator)) =>
  call<AccountBody & ErrorBody>(emulator, 'POST', accountPath(sid), { auth, form });

const create = (auth = mainAuth(emulator), friendlyName = 'tenant') =>
  call<AccountBody & ErrorBody>(emulator, 'POST', LIST, { auth, form: { FriendlyName: friendlyName } });

const statusOf = (sid: string): string | undefined => emulator.accounts().find((a) => a.sid === sid)?.status;

/** The whole body Twilio documents for `code`: status, catalogue title, more_info page. */
const expectTwilioError = (
  reply: { status: number; body: unknown },
  status: number,
  code: number,
  message: string,
): void => {
  expect(reply.status).toBe(status);
  expect(twilioErrorBodyErrors(reply.body)).toEqual([]);
  expect(reply.body).toEqual({
    code,
    message,
    more_info: `https://www.twilio.com/docs/api/errors/${code}`,
    status,
  });
};

const CLOSED = 'Unable to update Status for subaccount, subaccount has been closed';
const SUSPENDED_BY_TWILIO = 'Unable to update Status for subaccount, subaccount has been suspended by Twilio';
const PARENT_SUSPENDED = 'Unable to update Status for subaccount, parent account is suspended';
const LIMIT = 'Reached maximum number of subaccounts';
const NOT_ACTIVE = 'Account is not active';

describe('21479: a closed subaccount', () => {
  it('answers every status change with 21479 and changes nothing, while closing again is a no-op', async () => {
    emulator = await startTwilioEmulator();
    const { sid } = await createSubaccount(emulator, 'closed one');
    await update(sid, { Status: 'closed' });
    for (const Status of ['active', 'suspended']) {
      expectTwilioError(await update(sid, { Status, FriendlyName: 'renamed' }), 400, 21479, CLOSED);
    }
    expect((await update(sid, { Status: 'closed' })).status).toBe(200);
    expect(emulator.accounts().find((a) => a.sid === sid)).toMatchObject({
      status: 'closed',
      friendly_name: 'closed one',
    });
  });
});

describe('21480: the subaccount limit', () => {
  it('counts live subaccounts only, and can be lowered and raised at runtime', async () => {
    emulator = await startTwilioEmulator({ subaccountLimit: 2 });
    const a = await createSubaccount(emulator, 'a');
    const b = await createSubaccount(emulator, 'b');
    await update(b.sid, { Status: 'suspended' });
    expectTwilioError(await create(), 400, 21480, LIMIT);
    expect(emulator.accounts()).toHaveLength(3);

    await update(a.sid, { Status: 'closed' });
    expect((await create(mainAuth(emulator), 'c')).status).toBe(201);
    expectTwilioError(await create(), 400, 21480, LIMIT);

    emulator.setSubaccountLimit(3);
    expect((await create(mainAuth(emulator), 'd')).status).toBe(201);
    emulator.setSubaccountLimit(1);
    expectTwilioError(await create(), 400, 21480, LIMIT);
    expect(emulator.accounts().map((x) => x.friendly_name)).toEqual([
      'My first Twilio account',
      'a',
      'b',
      'c',
      'd',
    ]);
  });

  it("defaults to Twilio's 1,000 on a Full account", async () => {
    emulator = await startTwilioEmulator();
    for (let batch = 0; batch < 20; batch += 1) {
      const replies = await Promise.all(Array.from({ length: 50 }, () => create()));
      expect(replies.every((reply) => reply.status === 201)).toBe(true);
    }
    expectTwilioError(await create(), 400, 21480, LIMIT);
    emulator.setAccountStatus(emulator.accounts()[1]?.sid as string, 'closed');
    expect((await create()).status).toBe(201);
  });
});

describe('21101: a subaccount creating a subaccount', () => {
  it('is refused with 21101 (403) and creates nothing', async () => {
    emulator = await startTwilioEmulator();
    const sub = await createSubaccount(emulator, 'child');
    expectTwilioError(
      await create([sub.sid, sub.auth_token], 'grandchild'),
      403,
      21101,
      'Subaccounts cannot contain subaccounts',
    );
    expect(emulator.accounts()).toHaveLength(2);
  });
});

describe('21478: a subaccount suspended by Twilio', () => {
  it('is suspended, refuses reactivation and closing with 21478, and is restored when lifted', async () => {
    emulator = await startTwilioEmulator();
    const { sid } = await createSubaccount(emulator, 'flagged');
    const other = await createSubaccount(emulator, 'fine');
    emulator.setSuspendedByTwilio(sid, true);
    expect(statusOf(sid)).toBe('suspended');
    const fetched = await call<AccountBody>(emulator, 'GET', accountPath(sid), { auth: mainAuth(emulator) });
    expect(fetched.body.status).toBe('suspended');

    expectTwilioError(await update(sid, { Status: 'active' }), 400, 21478, SUSPENDED_BY_TWILIO);
    expectTwilioError(await update(sid, { Status: 'closed' }), 400, 21478, SUSPENDED_BY_TWILIO);
    // Asking for the status it has is no change; other accounts are unaffected.
    expect((await update(sid, { Status: 'suspended' })).status).toBe(200);
    expect((await update(other.sid, { Status: 'suspended' })).status).toBe(200);
    expect(statusOf(sid)).toBe('suspended');

    emulator.setSuspendedByTwilio(sid, false);
    expect(statusOf(sid)).toBe('active');
    expect((await update(sid, { Status: 'suspended' })).body.status).toBe('suspended');
  });

  it('restores the status the subaccount had before, suspended by us included', async () => {
    emulator = await startTwilioEmulator();
    const { sid } = await createSubaccount(emulator, 'delinquent');
    await update(sid, { Status: 'suspended' });
    emulator.setSuspendedByTwilio(sid, true);
    expectTwilioError(await update(sid, { Status: 'active' }), 400, 21478, SUSPENDED_BY_TWILIO);
    emulator.setSuspendedByTwilio(sid, false);
    expect(statusOf(sid)).toBe('suspended');
    expect((await update(sid, { Status: 'active' })).body.status).toBe('active');
  });
});

describe('21476 and 10001: a suspended main account', () => {
  it('answers status changes 21476 and every other request 10001, then recovers', async () => {
    emulator = await startTwilioEmulator();
    const sub = await createSubaccount(emulator, 'tenant');
    const key = emulator.createApiKey();
    emulator.setMainAccountSuspended(true);
    expect(emulator.accounts()[0]?.status).toBe('suspended');

    for (const Status of ['suspended', 'closed']) {
      expectTwilioError(await update(sub.sid, { Status }), 400, 21476, PARENT_SUSPENDED);
    }
    expectTwilioError(
      await update(sub.sid, { Status: 'closed' }, [key.sid, key.secret]),
      400,
      21476,
      PARENT_SUSPENDED,
    );
    expect(statusOf(sub.sid)).toBe('active');

    const main = mainAuth(emulator);
    const others = [
      () => create(main),
      () => create([key.sid, key.secret]),
      () => call(emulator, 'GET', `${LIST}?FriendlyName=tenant`, { auth: main }),
      () => call(emulator, 'GET', accountPath(sub.sid), { auth: main }),
      () => update(sub.sid, { FriendlyName: 'renamed' }),
      // A subaccount of a suspended main account: "also when the parent is suspended".
      () => call(emulator, 'GET', accountPath(sub.sid), { auth: [sub.sid, sub.auth_token] }),
    ];
    for (const request of others) expectTwilioError(await request(), 403, 10001, NOT_ACTIVE);
    expect(emulator.accounts()).toHaveLength(2);
    expect(emulator.accounts()[1]?.friendly_name).toBe('tenant');

    // Wrong credentials are still wrong credentials.
    const wrong = await call(emulator, 'GET', LIST, { auth: [emulator.accountSid, 'f'.repeat(32)] });
    expect(wrong.status).toBe(401);

    emulator.setMainAccountSuspended(false);
    expect((await update(sub.sid, { Status: 'suspended' })).body.status).toBe('suspended');
    expect((await call<PageBody>(emulator, 'GET', LIST, { auth: main })).body.accounts).toHaveLength(2);
  });

  it('starts suspended with the mainAccountSuspended option', async () => {
    emulator = await startTwilioEmulator({ mainAccountSuspended: true });
    expectTwilioError(await create(), 403, 10001, NOT_ACTIVE);
    emulator.setMainAccountSuspended(false);
    expect((await create()).status).toBe(201);
  });

  it('comes before the state of the target: a closed subaccount still answers 21476', async () => {
    emulator = await startTwilioEmulator();
    const { sid } = await createSubaccount(emulator, 'gone');
    await update(sid, { Status: 'closed' });
    emulator.setMainAccountSuspended(true);
    expectTwilioError(await update(sid, { Status: 'active' }), 400, 21476, PARENT_SUSPENDED);
  });
});

describe('setAccountStatus: a change made outside the API (the Console)', () => {
  it('closes an account without a request, and keeps the Accounts rules', async () => {
    emulator = await startTwilioEmulator();
    const { sid } = await createSubaccount(emulator, 'closed elsewhere');
    emulator.resetStats();
    expect(emulator.setAccountStatus(sid, 'closed')).toMatchObject({ sid, status: 'closed' });
    expect(emulator.stats().total).toBe(0);
    expect(emulator.requestLog()).toEqual([]);
    expectTwilioError(await update(sid, { Status: 'active' }), 400, 21479, CLOSED);

    const refusal = (() => {
      try {
        emulator.setAccountStatus(sid, 'active');
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(refusal).toBeInstanceOf(TwilioApiError);
    expect((refusal as TwilioApiError).body()).toMatchObject({ code: 21479 });
    expect(statusOf(sid)).toBe('closed');
  });

  it('suspends and reactivates without faults applying', async () => {
    emulator = await startTwilioEmulator();
    const { sid } = await createSubaccount(emulator, 'console');
    emulator.injectFault({ route: '*', fault: { kind: 'server-error', status: 503 } });
    expect(emulator.setAccountStatus(sid, 'suspended').status).toBe('suspended');
    expect(emulator.setAccountStatus(sid, 'active').status).toBe('active');
    expect(emulator.stats().faultsInjected).toEqual({});
  });
});
