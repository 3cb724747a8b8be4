import { afterEach, describe, expect, it } from 'vitest';
import { startTwilioEmulator, type TwilioEmulator } from '../../../local/twilio-emulator/index.ts';
import {
  accountPath,
  call,
  createSubaccount,
  type ErrorBody,
  LIST,
  mainAuth,
  type PageBody,
  type Reply,
} from './support.ts';

let emulator: TwilioEmulator;
afterEach(() => emulator?.close());

const list = (query = ''): Promise<Reply<PageBody & ErrorBody>> =>
  call<PageBody & ErrorBody>(emulator, 'GET', `${LIST}${query}`, { auth: mainAuth(emulator) });

/** Follows next_page_uri (a path relative to the API host) as a Twilio helper library does. */
const followNext = async (first: PageBody): Promise<PageBody[]> => {
  const pages = [first];
  let page = first;
  while (page.next_page_uri !== null) {
    const reply = await call<PageBody>(emulator, 'GET', page.next_page_uri, { auth: mainAuth(emulator) });
    expect(reply.status).toBe(200);
    page = reply.body;
    pages.push(page);
  }
  return pages;
};

const sids = (pages: PageBody[]): string[] => pages.flatMap((p) => p.accounts.map((a) => a.sid));

describe('read', () => {
  it('lists the main account and its subaccounts in creation order with the documented defaults', async () => {
    emulator = await startTwilioEmulator();
    const a = await createSubaccount(emulator, 'a');
    const b = await createSubaccount(emulator, 'b');
    const reply = await list();
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      first_page_uri: '/2010-04-01/Accounts.json?PageSize=50&Page=0',
      uri: '/2010-04-01/Accounts.json?PageSize=50&Page=0',
      previous_page_uri: null,
      next_page_uri: null,
      page: 0,
      page_size: 50,
      start: 0,
      end: 2,
    });
    expect(sids([reply.body])).toEqual([emulator.accountSid, a.sid, b.sid]);
  });

  it('filters on exact FriendlyName and on Status, and carries the filters in every uri', async () => {
    emulator = await startTwilioEmulator();
    const wanted = await createSubaccount(emulator, 'tenant one');
    await createSubaccount(emulator, 'tenant one extra');
    await createSubaccount(emulator, 'Tenant One');
    const suspended = await createSubaccount(emulator, 'tenant one');
    await call(emulator, 'POST', accountPath(suspended.sid), {
      auth: mainAuth(emulator),
      form: { Status: 'suspended' },
    });

    const byName = await list('?FriendlyName=tenant+one');
    expect(sids([byName.body])).toEqual([wanted.sid, suspended.sid]);

    const both = await list('?FriendlyName=tenant%20one&Status=active');
    expect(sids([both.body])).toEqual([wanted.sid]);
    expect(both.body.uri).toBe(
      '/2010-04-01/Accounts.json?FriendlyName=tenant+one&Status=active&PageSize=50&Page=0',
    );
    expect(both.body.first_page_uri).toBe(both.body.uri);

    const bySuspended = await list('?Status=suspended');
    expect(sids([bySuspended.body])).toEqual([suspended.sid]);
    expect((await list('?Status=closed')).body.accounts).toEqual([]);
  });

  it('pages by PageSize with next and previous links that neither lose nor repeat accounts', async () => {
    emulator = await startTwilioEmulator();
    const created = [emulator.accountSid];
    for (const name of ['s1', 's2', 's3', 's4']) created.push((await createSubaccount(emulator, name)).sid);

    const first = await list('?PageSize=2');
    const pages = await followNext(first.body);
    expect(pages.map((p) => p.accounts.length)).toEqual([2, 2, 1]);
    expect(sids(pages)).toEqual(created);
    expect(pages.map((p) => p.page)).toEqual([0, 1, 2]);
    expect(pages.map((p) => [p.start, p.end])).toEqual([
      [0, 1],
      [2, 3],
      [4, 4],
    ]);
    expect(pages[0]?.previous_page_uri).toBeNull();
    for (const page of pages) {
      expect(page.page_size).toBe(2);
      expect(page.first_page_uri).toBe('/2010-04-01/Accounts.json?PageSize=2&Page=0');
    }
    expect(pages[1]?.uri).toBe(pages[0]?.next_page_uri);
    expect(pages[1]?.next_page_uri).toMatch(/^\/2010-04-01\/Accounts\.json\?PageSize=2&Page=2&PageToken=PA/);

    const last = pages[2] as PageBody;
    const back = await call<PageBody>(emulator, 'GET', last.previous_page_uri as string, {
      auth: mainAuth(emulator),
    });
    expect(back.body.page).toBe(1);
    expect(sids([back.body])).toEqual(sids([pages[1] as PageBody]));
  });

  it('keeps paging exact when accounts are created between page fetches', async () => {
    emulator = await startTwilioEmulator();
    for (const name of ['s1', 's2', 's3']) await createSubaccount(emulator, name);
    const first = await list('?PageSize=2');
    const late = [];
    for (const name of ['late1', 'late2', 'late3']) late.push(await createSubaccount(emulator, name));
    const pages = await followNext(first.body);
    const seen = sids(pages);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(emulator.accounts().map((a) => a.sid));
    expect(seen.slice(-3)).toEqual(late.map((a) => a.sid));
  });

  it('serves Page by offset when no PageToken is given', async () => {
    emulator = await startTwilioEmulator();
    for (const name of ['s1', 's2', 's3']) await createSubaccount(emulator, name);
    const reply = await list('?PageSize=2&Page=1');
    expect(sids([reply.body])).toEqual(
      emulator
        .accounts()
        .slice(2, 4)
        .map((a) => a.sid),
    );
    expect(reply.body.start).toBe(2);
    expect(reply.body.previous_page_uri).not.toBeNull();
    expect((await list('?PageSize=2&Page=9')).body).toMatchObject({ accounts: [], next_page_uri: null });
  });

  it.each([
    ['?PageSize=1', 200],
    ['?PageSize=1000', 200],
    ['?PageSize=0', 400],
    ['?PageSize=1001', 400],
    ['?PageSize=abc', 400],
    ['?PageSize=2.5', 400],
    ['?PageSize=-1', 400],
    ['?PageSize=', 400],
    ['?Page=-1', 400],
    ['?Page=x', 400],
    ['?Status=deleted', 400],
    ['?PageToken=nonsense', 400],
    [`?PageToken=PA${'AC'}${'1'.repeat(32)}`, 400],
  ])('validates %s', async (query, status) => {
    emulator = await startTwilioEmulator();
    const reply = await list(query);
    expect(reply.status).toBe(status);
    if (status === 400) expect(reply.body.code).toBe(21100);
  });
});
