import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwilioEmulator, type TwilioEmulator } from '../../../local/twilio-emulator/index.ts';
import { twilioErrorBodyErrors } from '../../helpers/openapi.ts';
import {
  type AccountBody,
  accountPath,
  basic,
  type CallOptions,
  call,
  createSubaccount,
  LIST,
  mainAuth,
} from './support.ts';

let emulator: TwilioEmulator;
let sub: AccountBody;
beforeAll(async () => {
  emulator = await startTwilioEmulator();
  sub = await createSubaccount(emulator, 'target');
});
afterAll(() => emulator.close());

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

interface BadCase {
  readonly name: string;
  readonly method: string;
  readonly path: () => string;
  readonly options: () => CallOptions;
  readonly status: number;
  readonly code: number;
}

const authed =
  (extra: CallOptions = {}) =>
  (): CallOptions => ({ auth: mainAuth(emulator), ...extra });

const CASES: BadCase[] = [
  { name: 'no credentials', method: 'GET', path: () => LIST, options: () => ({}), status: 401, code: 20003 },
  {
    name: 'wrong token',
    method: 'GET',
    path: () => LIST,
    options: () => ({ auth: [emulator.accountSid, 'f'.repeat(32)] }),
    status: 401,
    code: 20003,
  },
  {
    name: 'unknown account SID as user',
    method: 'POST',
    path: () => LIST,
    options: () => ({ auth: [`AC${'e'.repeat(32)}`, emulator.authToken] }),
    status: 401,
    code: 20003,
  },
  {
    name: 'malformed Authorization header',
    method: 'GET',
    path: () => LIST,
    options: () => ({ headers: { Authorization: 'Basic !!!not-base64' } }),
    status: 401,
    code: 20003,
  },
  {
    name: 'Bearer scheme',
    method: 'GET',
    path: () => LIST,
    options: () => ({ headers: { Authorization: `Bearer ${emulator.authToken}` } }),
    status: 401,
    code: 20003,
  },
  {
    name: 'invalid Status on update',
    method: 'POST',
    path: () => accountPath(sub.sid),
    options: authed({ form: { Status: 'deleted' } }),
    status: 400,
    code: 21100,
  },
  {
    name: 'numeric Status on update',
    method: 'POST',
    path: () => accountPath(sub.sid),
    options: authed({ form: { Status: '1' } }),
    status: 400,
    code: 21100,
  },
  {
    name: 'FriendlyName of 65 characters on create',
    method: 'POST',
    path: () => LIST,
    options: authed({ form: { FriendlyName: 'x'.repeat(65) } }),
    status: 400,
    code: 21100,
  },
  {
    name: 'FriendlyName of 65 characters on update',
    method: 'POST',
    path: () => accountPath(sub.sid),
    options: authed({ form: { FriendlyName: 'é'.repeat(65) } }),
    status: 400,
    code: 21100,
  },
  {
    name: 'bad percent-encoding',
    method: 'POST',
    path: () => LIST,
    options: authed({ rawBody: 'FriendlyName=%E0%A4%A', headers: FORM }),
    status: 400,
    code: 21100,
  },
  {
    name: 'body that is not UTF-8',
    method: 'POST',
    path: () => LIST,
    options: authed({ rawBody: Buffer.from([0x46, 0x3d, 0xff, 0xfe]), headers: FORM }),
    status: 400,
    code: 21100,
  },
  {
    name: 'JSON body',
    method: 'POST',
    path: () => LIST,
    options: authed({ rawBody: '{"FriendlyName":"x"}', headers: { 'Content-Type': 'application/json' } }),
    status: 400,
    code: 21100,
  },
  {
    name: 'parameter given twice',
    method: 'POST',
    path: () => accountPath(sub.sid),
    options: authed({ rawBody: 'Status=active&Status=closed', headers: FORM }),
    status: 400,
    code: 21100,
  },
  {
    name: 'malformed SID on fetch',
    method: 'GET',
    path: () => accountPath('AC123'),
    options: authed(),
    status: 400,
    code: 21100,
  },
  {
    name: 'malformed SID on update',
    method: 'POST',
    path: () => accountPath(`PN${'a'.repeat(32)}`),
    options: authed({ form: { FriendlyName: 'x' } }),
    status: 400,
    code: 21100,
  },
  {
    name: 'unknown SID on update',
    method: 'POST',
    path: () => accountPath(`AC${'a'.repeat(32)}`),
    options: authed({ form: { FriendlyName: 'x' } }),
    status: 404,
    code: 20404,
  },
  {
    name: 'unknown route',
    method: 'GET',
    path: () => `/2010-04-01/Accounts/${sub.sid}/Calls.json`,
    options: authed(),
    status: 404,
    code: 20404,
  },
  {
    name: 'unknown version',
    method: 'GET',
    path: () => '/2099-01-01/Accounts.json',
    options: () => ({}),
    status: 404,
    code: 20404,
  },
  {
    name: 'DELETE an account',
    method: 'DELETE',
    path: () => accountPath(sub.sid),
    options: authed(),
    status: 405,
    code: 20004,
  },
  { name: 'PUT the list', method: 'PUT', path: () => LIST, options: authed(), status: 405, code: 20004 },
  {
    name: 'body over 64 KiB',
    method: 'POST',
    path: () => LIST,
    options: authed({ rawBody: `FriendlyName=${'x'.repeat(70_000)}`, headers: FORM }),
    status: 413,
    code: 21100,
  },
];

describe('bad input', () => {
  it.each(CASES.map((c) => [c.name, c] as const))(
    'answers %s with a Twilio error, never a 500',
    async (_, c) => {
      const reply = await call(emulator, c.method, c.path(), c.options());
      expect(reply.status).toBe(c.status);
      expect(twilioErrorBodyErrors(reply.body)).toEqual([]);
      expect(reply.body).toMatchObject({
        code: c.code,
        status: c.status,
        more_info: `https://www.twilio.com/docs/api/errors/${c.code}`,
      });
      expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    },
  );

  it('sends WWW-Authenticate with a 401', async () => {
    const reply = await call(emulator, 'GET', LIST);
    expect(reply.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
  });

  it('leaves the account untouched after refused updates', async () => {
    const fetched = await call<AccountBody>(emulator, 'GET', accountPath(sub.sid), {
      auth: mainAuth(emulator),
    });
    expect(fetched.body).toMatchObject({ friendly_name: 'target', status: 'active' });
    expect(emulator.accounts()).toHaveLength(2);
  });

  it('accepts a FriendlyName of exactly 64 characters', async () => {
    const name = 'ü'.repeat(64);
    const reply = await call<AccountBody>(emulator, 'POST', accountPath(sub.sid), {
      auth: mainAuth(emulator),
      form: { FriendlyName: name },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.friendly_name).toBe(name);
  });

  it('answers a request line that is not a path with 404', async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const url = new URL(emulator.url);
      const req = request({ host: url.hostname, port: url.port, method: 'OPTIONS', path: '*' }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.setHeader('Authorization', basic(emulator.accountSid, emulator.authToken));
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(404);
  });

  it('never puts a token in an error message', async () => {
    const reply = await call<{ message: string }>(emulator, 'GET', LIST, {
      auth: [emulator.accountSid, `${emulator.authToken}0`],
    });
    for (const token of emulator.issuedAuthTokens()) expect(reply.body.message).not.toContain(token);
  });
});
