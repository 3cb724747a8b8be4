/**
 * The list-lag fault: a new account stays out of FriendlyName-filtered lists for a number of
 * lookups or of seconds (on the emulator's clock), while fetch by SID and the unfiltered list see
 * it at once. Twilio documents no consistency guarantee for the list.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTwilioEmulator, type TwilioEmulator } from '../../../local/twilio-emulator/index.ts';
import { accountsOpenApiMissing, loadOpenApiValidator } from '../../helpers/openapi.ts';
import {
  type AccountBody,
  accountPath,
  call,
  createSubaccount,
  LIST,
  mainAuth,
  manualClock,
  type PageBody,
} from './support.ts';

let emulator: TwilioEmulator;
afterEach(() => emulator?.close());

const lookup = async (friendlyName: string, extra = ''): Promise<string[]> => {
  const query = `?FriendlyName=${encodeURIComponent(friendlyName)}${extra}`;
  const reply = await call<PageBody>(emulator, 'GET', `${LIST}${query}`, { auth: mainAuth(emulator) });
  expect(reply.status).toBe(200);
  return reply.body.accounts.map((account) => account.sid);
};

const unfiltered = async (): Promise<string[]> =>
  (await call<PageBody>(emulator, 'GET', LIST, { auth: mainAuth(emulator) })).body.accounts.map((a) => a.sid);

const fetchStatus = async (sid: string): Promise<number> =>
  (await call<AccountBody>(emulator, 'GET', accountPath(sid), { auth: mainAuth(emulator) })).status;

describe('list lag by lookups', () => {
  it('hides a new account from its first N FriendlyName lookups only', async () => {
    emulator = await startTwilioEmulator({ listLag: { lookups: 2 } });
    const { sid } = await createSubaccount(emulator, 'lagged');
    expect(await fetchStatus(sid)).toBe(200);
    expect(await unfiltered()).toContain(sid);
    // Lookups of other names do not count against its lag.
    expect(await lookup('someone else')).toEqual([]);
    expect(await lookup('lagged')).toEqual([]);
    expect(await lookup('lagged')).toEqual([]);
    expect(await lookup('lagged')).toEqual([sid]);
    expect(await lookup('lagged')).toEqual([sid]);
    expect(emulator.stats().faultsInjected['list-lag']).toBe(2);
    const lagged = emulator.requestLog().filter((entry) => entry.fault === 'list-lag');
    expect(lagged.map((entry) => [entry.route, entry.status])).toEqual([
      ['list', 200],
      ['list', 200],
    ]);
  });

  it('hides only the new account: older ones of the same name stay listed, and the page is well-formed', async () => {
    emulator = await startTwilioEmulator();
    const older = await createSubaccount(emulator, 'twin');
    emulator.setListLag({ lookups: 1 });
    const newer = await createSubaccount(emulator, 'twin');
    const reply = await call<PageBody>(emulator, 'GET', `${LIST}?FriendlyName=twin`, {
      auth: mainAuth(emulator),
    });
    expect(reply.body.accounts.map((a) => a.sid)).toEqual([older.sid]);
    expect(reply.body.next_page_uri).toBeNull();
    if (accountsOpenApiMissing === undefined) {
      const openApi = loadOpenApiValidator(undefined, { exact: true });
      expect(openApi.errors(LIST, 'get', 200, reply.body)).toEqual([]);
    }
    expect(await lookup('twin')).toEqual([older.sid, newer.sid]);
  });

  it('applies a runtime setting to accounts created afterwards, and none once lifted', async () => {
    emulator = await startTwilioEmulator();
    const before = await createSubaccount(emulator, 'before');
    emulator.setListLag({ lookups: 1 });
    const during = await createSubaccount(emulator, 'during');
    emulator.setListLag(undefined);
    const after = await createSubaccount(emulator, 'after');
    expect(await lookup('before')).toEqual([before.sid]);
    expect(await lookup('after')).toEqual([after.sid]);
    expect(await lookup('during')).toEqual([]);
    expect(await lookup('during')).toEqual([during.sid]);
  });

  it('counts a lookup with a Status filter too, when the filters match the account', async () => {
    emulator = await startTwilioEmulator({ listLag: { lookups: 1 } });
    const { sid } = await createSubaccount(emulator, 'filtered');
    expect(await lookup('filtered', '&Status=suspended')).toEqual([]);
    expect(await lookup('filtered', '&Status=active')).toEqual([]);
    expect(await lookup('filtered', '&Status=active')).toEqual([sid]);
  });
});

describe('list lag by seconds', () => {
  it("hides a new account from FriendlyName lookups until N seconds on the emulator's clock have passed", async () => {
    const clock = manualClock('2026-01-01T00:00:00Z');
    emulator = await startTwilioEmulator({ now: clock.now, listLag: { seconds: 5 } });
    const { sid } = await createSubaccount(emulator, 'slow index');
    expect(await fetchStatus(sid)).toBe(200);
    for (let i = 0; i < 3; i += 1) expect(await lookup('slow index')).toEqual([]);
    clock.advance(4_999);
    expect(await lookup('slow index')).toEqual([]);
    clock.advance(1);
    expect(await lookup('slow index')).toEqual([sid]);
  });

  it('can be set at runtime, in fractions of a second', async () => {
    const clock = manualClock('2026-01-01T00:00:00Z');
    emulator = await startTwilioEmulator({ now: clock.now });
    emulator.setListLag({ seconds: 0.25 });
    const { sid } = await createSubaccount(emulator, 'quick');
    expect(await lookup('quick')).toEqual([]);
    clock.advance(250);
    expect(await lookup('quick')).toEqual([sid]);
  });
});
