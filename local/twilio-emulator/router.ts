/** Maps a method and path to one of the four Accounts routes, or a Twilio 404 / 405. */
import { methodNotAllowed, notFound } from './errors.ts';
import type { TwilioRoute } from './types.ts';

export interface RouteMatch {
  readonly route: TwilioRoute;
  readonly sid: string | undefined;
}

const LIST_PATH = '/2010-04-01/Accounts.json';
const INSTANCE_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\.json$/;

const pick = (method: string, onGet: TwilioRoute, onPost: TwilioRoute): TwilioRoute => {
  if (method === 'GET') return onGet;
  if (method === 'POST') return onPost;
  throw methodNotAllowed(method);
};

/** Throws a TwilioApiError for paths and methods the emulator does not serve. */
export const matchRoute = (method: string, pathname: string): RouteMatch => {
  if (pathname === LIST_PATH) return { route: pick(method, 'list', 'create'), sid: undefined };
  const instance = INSTANCE_PATH.exec(pathname);
  if (instance?.[1] !== undefined) return { route: pick(method, 'fetch', 'update'), sid: instance[1] };
  throw notFound(pathname);
};
