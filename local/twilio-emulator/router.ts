/** Maps a method and path to one of the emulator's routes, or a Twilio 404 / 405. */
import { methodNotAllowed, notFound } from './errors.ts';
import type { TwilioRoute } from './types.ts';

export interface RouteMatch {
  readonly route: TwilioRoute;
  /** The Account SID of the path: `{Sid}` of Accounts/{Sid}.json, `{AccountSid}` of its subresources. */
  readonly sid: string | undefined;
  /** The key's `{Sid}` of Accounts/{AccountSid}/Keys/{Sid}.json. */
  readonly keySid?: string;
}

type Routes = Partial<Record<'GET' | 'POST' | 'DELETE', TwilioRoute>>;

const LIST_PATH = '/2010-04-01/Accounts.json';
const INSTANCE_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\.json$/;
const KEYS_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Keys\.json$/;
const KEY_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Keys\/([^/]+)\.json$/;
const BALANCE_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Balance\.json$/;

const ACCOUNTS: Routes = { GET: 'list', POST: 'create' };
const ACCOUNT: Routes = { GET: 'fetch', POST: 'update' };
const KEYS: Routes = { GET: 'key-list', POST: 'key-create' };
const KEY: Routes = { GET: 'key-fetch', POST: 'key-update', DELETE: 'key-delete' };
const BALANCE: Routes = { GET: 'balance' };

const pick = (method: string, routes: Routes): TwilioRoute => {
  const route = Object.hasOwn(routes, method) ? routes[method as keyof Routes] : undefined;
  if (route === undefined) throw methodNotAllowed(method);
  return route;
};

/** Throws a TwilioApiError for paths and methods the emulator does not serve. */
export const matchRoute = (method: string, pathname: string): RouteMatch => {
  if (pathname === LIST_PATH) return { route: pick(method, ACCOUNTS), sid: undefined };
  const instance = INSTANCE_PATH.exec(pathname);
  if (instance?.[1] !== undefined) return { route: pick(method, ACCOUNT), sid: instance[1] };
  const keys = KEYS_PATH.exec(pathname);
  if (keys?.[1] !== undefined) return { route: pick(method, KEYS), sid: keys[1] };
  const key = KEY_PATH.exec(pathname);
  if (key?.[1] !== undefined && key[2] !== undefined) {
    return { route: pick(method, KEY), sid: key[1], keySid: key[2] };
  }
  const balance = BALANCE_PATH.exec(pathname);
  if (balance?.[1] !== undefined) return { route: pick(method, BALANCE), sid: balance[1] };
  throw notFound(pathname);
};
