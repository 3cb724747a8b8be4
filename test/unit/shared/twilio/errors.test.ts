import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  apiErrorFromAnswer,
  classifyTwilioError,
  networkErrorFromThrown,
  parentApiKeyRefusal,
  parseRetryAfterMs,
  TwilioAmbiguousCreateError,
  TwilioApiError,
  TwilioAuthError,
  TwilioInputError,
  TwilioMainAccountSuspendedError,
  TwilioNetworkError,
  TwilioNotFoundError,
  TwilioParentIsSubaccountError,
  TwilioRateLimitError,
  TwilioSubaccountClosedError,
  TwilioSubaccountLimitError,
  TwilioSubaccountSuspendedByTwilioError,
} from '../../../../shared/twilio/errors.ts';
import * as publicApi from '../../../../shared/twilio/index.ts';
import { resolveRetryPolicy } from '../../../../shared/twilio/retry-policy.ts';

const policy = resolveRetryPolicy();
const NOW = Date.parse('2025-03-01T12:00:00Z');

const twilioBody = (status: number, code: number, message: string): string =>
  JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/api/errors/${code}`, status });

const answer = (status: number, body: string, headers: Record<string, string> = {}) =>
  apiErrorFromAnswer({ operation: 'fetch', status, headers, body }, policy, NOW);

describe('errors built from Twilio answers', () => {
  it.each([
    [400, 21100, TwilioApiError, 'api', false, false],
    [401, 20003, TwilioAuthError, 'auth', false, false],
    [403, 21100, TwilioApiError, 'api', false, false],
    [404, 20404, TwilioNotFoundError, 'not-found', false, false],
    [429, 20429, TwilioRateLimitError, 'rate-limited', true, false],
    [500, 20500, TwilioApiError, 'api', true, true],
    [502, 20502, TwilioApiError, 'api', true, true],
    [503, 20503, TwilioApiError, 'api', true, true],
    [504, 20504, TwilioApiError, 'api', true, true],
    [501, 20501, TwilioApiError, 'api', false, true],
  ] as const)(
    'HTTP %d / code %d → %o (%s), retryable %s, mayHaveApplied %s',
    (status, code, ErrorClass, kind, retryable, mayHaveApplied) => {
      const error = answer(status, twilioBody(status, code, 'Twilio says no'));
      expect(error).toBeInstanceOf(ErrorClass);
      expect(error.constructor).toBe(ErrorClass);
      expect(error).toMatchObject({
        kind,
        retryable,
        mayHaveApplied,
        status,
        twilioCode: code,
        moreInfo: `https://www.twilio.com/docs/api/errors/${code}`,
      });
      expect(error.message).toContain('Twilio says no');
      expect(classifyTwilioError(error)).toEqual({
        retryable,
        ambiguous: false,
        kind,
        status,
        twilioCode: code,
        metricCode: String(code),
      });
    },
  );

  const SID = `AC${'3'.repeat(32)}`;

  it.each([
    [
      'update',
      400,
      21479,
      'Unable to update Status for subaccount, subaccount has been closed',
      TwilioSubaccountClosedError,
      'SUBACCOUNT_CLOSED',
      false,
      `Subaccount ${SID} is closed`,
    ],
    [
      'update',
      400,
      21478,
      'Unable to update Status for subaccount, subaccount has been suspended by Twilio',
      TwilioSubaccountSuspendedByTwilioError,
      'SUBACCOUNT_SUSPENDED_BY_TWILIO',
      false,
      `Subaccount ${SID} was suspended by Twilio itself`,
    ],
    [
      'update',
      400,
      21476,
      'Unable to update Status for subaccount, parent account is suspended',
      TwilioMainAccountSuspendedError,
      'MAIN_ACCOUNT_SUSPENDED',
      true,
      'The main Twilio account is suspended',
    ],
    [
      'fetch',
      403,
      10001,
      'Account is not active',
      TwilioMainAccountSuspendedError,
      'MAIN_ACCOUNT_SUSPENDED',
      true,
      'The main Twilio account is suspended',
    ],
    [
      'create',
      401,
      20005,
      'Account not active',
      TwilioMainAccountSuspendedError,
      'MAIN_ACCOUNT_SUSPENDED',
      true,
      'The main Twilio account is suspended',
    ],
    [
      'create',
      400,
      21480,
      'Reached maximum number of subaccounts',
      TwilioSubaccountLimitError,
      'SUBACCOUNT_LIMIT_REACHED',
      false,
      'The main Twilio account has reached its maximum number of subaccounts',
    ],
    [
      'create',
      403,
      21101,
      'Subaccounts cannot contain subaccounts',
      TwilioParentIsSubaccountError,
      'PARENT_IS_SUBACCOUNT',
      false,
      'The parent credentials belong to a subaccount',
    ],
  ] as const)(
    '%s answered HTTP %d / code %d (%s) → %o, code %s, retryable %s',
    (operation, status, twilioCode, twilioMessage, ErrorClass, code, retryable, summary) => {
      const error = apiErrorFromAnswer(
        {
          operation,
          accountSid: operation === 'create' ? undefined : SID,
          status,
          headers: {},
          body: twilioBody(status, twilioCode, twilioMessage),
        },
        policy,
        NOW,
      );
      expect(error.constructor).toBe(ErrorClass);
      // Still a TwilioApiError: the TwilioError metric's twilioErrorCode dimension keeps working.
      expect(error).toBeInstanceOf(TwilioApiError);
      expect(error).toMatchObject({
        code,
        retryable,
        retryLater: retryable,
        kind: 'api',
        status,
        twilioCode,
        moreInfo: `https://www.twilio.com/docs/api/errors/${twilioCode}`,
        mayHaveApplied: false,
      });
      expect(error.message.startsWith(summary)).toBe(true);
      // The message keeps what Twilio said, for the dead-letter reason.
      expect(error.message).toContain(`HTTP ${status} (Twilio code ${twilioCode}): ${twilioMessage}`);
      expect(classifyTwilioError(error)).toMatchObject({ retryable, metricCode: String(twilioCode) });
      expect(error.toJSON()).toMatchObject({ code, twilioCode, retryable });
    },
  );

  it('decides on the code even when the status would say otherwise (a 500 carrying 21480)', () => {
    const error = answer(500, twilioBody(500, 21480, 'Reached maximum number of subaccounts'));
    expect(error).toBeInstanceOf(TwilioSubaccountLimitError);
    expect(error.retryable).toBe(false);
  });

  it('keeps the generic class for 21100 and other codes without a class of their own', () => {
    for (const code of [21100, 20404, 12345]) {
      const error = answer(400, twilioBody(400, code, 'something else'));
      expect(error.constructor).toBe(TwilioApiError);
      expect(error.code).toBe('TWILIO_API_ERROR');
    }
  });

  it('exports every class from the public entry point', () => {
    for (const ErrorClass of [
      TwilioSubaccountClosedError,
      TwilioSubaccountSuspendedByTwilioError,
      TwilioMainAccountSuspendedError,
      TwilioSubaccountLimitError,
      TwilioParentIsSubaccountError,
    ]) {
      expect(Object.values(publicApi)).toContain(ErrorClass);
    }
  });

  it('treats Twilio code 20429 as rate limiting whatever the status', () => {
    const error = answer(503, twilioBody(503, 20429, 'Too Many Requests'));
    expect(error).toBeInstanceOf(TwilioRateLimitError);
    expect(error.retryable).toBe(true);
  });

  it('keeps Retry-After in ms, from seconds or an HTTP date', () => {
    expect(answer(429, twilioBody(429, 20429, 'slow down'), { 'retry-after': '2' }).retryAfterMs).toBe(2000);
    expect(
      answer(429, twilioBody(429, 20429, 'slow down'), { 'retry-after': 'Sat, 01 Mar 2025 12:00:03 GMT' })
        .retryAfterMs,
    ).toBe(3000);
    expect(answer(429, twilioBody(429, 20429, 'slow down')).retryAfterMs).toBeUndefined();
  });

  it.each([
    ['HTML from a proxy', '<html><body>502 Bad Gateway</body></html>'],
    ['an empty body', ''],
    ['JSON that is not an object', '"oops"'],
    ['JSON with wrongly typed fields', '{"code":"20500","message":42}'],
  ])('handles %s', (_label, body) => {
    const error = answer(502, body);
    expect(error).toBeInstanceOf(TwilioApiError);
    expect(error).toMatchObject({ status: 502, twilioCode: undefined, retryable: true });
    expect(classifyTwilioError(error).metricCode).toBe('HTTP_502');
  });

  it('decides retryable from the policy it was built with', () => {
    const strict = resolveRetryPolicy({ retryableStatuses: [503] });
    const error = apiErrorFromAnswer({ operation: 'list', status: 500, headers: {}, body: '' }, strict, NOW);
    expect(error.retryable).toBe(false);
  });
});

const socketError = (code: string, message = 'socket failure'): Error =>
  Object.assign(new Error(message), { code });

describe('errors built from thrown socket errors', () => {
  it.each([
    ['ECONNREFUSED', true, 'connect'],
    ['UND_ERR_CONNECT_TIMEOUT', true, 'connect'],
    ['ECONNRESET', true, 'exchange'],
    ['ETIMEDOUT', true, 'exchange'],
    ['EPIPE', true, 'exchange'],
    ['UND_ERR_SOCKET', true, 'exchange'],
    ['UND_ERR_HEADERS_TIMEOUT', true, 'exchange'],
    ['UND_ERR_BODY_TIMEOUT', true, 'exchange'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', false, 'exchange'],
  ] as const)('%s → retryable %s, phase %s', (code, retryable, phase) => {
    const error = networkErrorFromThrown('create', socketError(code), policy);
    expect(error).toBeInstanceOf(TwilioNetworkError);
    expect(error).toMatchObject({ errorCode: code, retryable, phase, mayHaveApplied: phase === 'exchange' });
    expect(classifyTwilioError(error)).toMatchObject({ kind: 'network', retryable, metricCode: code });
  });

  it('finds the code of a wrapped cause or of a dual-stack AggregateError', () => {
    const wrapped = new Error('fetch failed', { cause: socketError('ECONNRESET') });
    expect(networkErrorFromThrown('fetch', wrapped, policy).errorCode).toBe('ECONNRESET');
    const aggregate = new AggregateError(
      [new Error('no code'), socketError('ECONNREFUSED')],
      'connect failed',
    );
    expect(networkErrorFromThrown('fetch', aggregate, policy)).toMatchObject({
      errorCode: 'ECONNREFUSED',
      phase: 'connect',
    });
  });

  it('marks an error without any code as UNKNOWN and not retryable', () => {
    expect(networkErrorFromThrown('fetch', new Error('weird'), policy)).toMatchObject({
      errorCode: 'UNKNOWN',
      retryable: false,
    });
  });
});

describe('classifyTwilioError', () => {
  it('flags an ambiguous create, keeping the cause status for metrics', () => {
    const cause = apiErrorFromAnswer(
      { operation: 'create', status: 503, headers: {}, body: twilioBody(503, 20503, 'down') },
      policy,
      NOW,
    );
    const error = new TwilioAmbiguousCreateError('tenant-42', cause);
    expect(error).toMatchObject({ ambiguous: true, retryable: true, friendlyName: 'tenant-42' });
    expect(error.context).toMatchObject({ friendlyName: 'tenant-42' });
    expect(classifyTwilioError(error)).toEqual({
      retryable: true,
      ambiguous: true,
      kind: 'ambiguous-create',
      status: 503,
      twilioCode: 20503,
      metricCode: '20503',
    });
  });

  it('flags an ambiguous key create the same way, naming the operation and the account', () => {
    const accountSid = `AC${'4'.repeat(32)}`;
    const cause = networkErrorFromThrown('key-create', socketError('ECONNRESET'), policy);
    const error = new TwilioAmbiguousCreateError('tenant-42 key', cause, {
      operation: 'key-create',
      accountSid,
    });
    expect(error).toMatchObject({
      code: 'TWILIO_CREATE_AMBIGUOUS',
      ambiguous: true,
      retryable: true,
      mayHaveApplied: true,
      operation: 'key-create',
      accountSid,
      friendlyName: 'tenant-42 key',
    });
    expect(error.context).toEqual({
      operation: 'key-create',
      friendlyName: 'tenant-42 key',
      accountSid,
      causeCode: 'TWILIO_NETWORK_ERROR',
    });
    expect(error.message).toMatch(
      new RegExp(`^Twilio key-create on account ${accountSid} may or may not have been applied`),
    );
    expect(error.message).toContain('look the key up by FriendlyName and delete it');
    expect(classifyTwilioError(error)).toMatchObject({
      ambiguous: true,
      kind: 'ambiguous-create',
      metricCode: 'TWILIO_CREATE_AMBIGUOUS',
    });
    // A subaccount create stays as it was.
    expect(new TwilioAmbiguousCreateError('t', cause)).toMatchObject({
      operation: 'create',
      accountSid: undefined,
    });
  });

  it('routes input errors as permanent and foreign errors as unknown', () => {
    expect(classifyTwilioError(new TwilioInputError('sid', 'bad'))).toMatchObject({
      kind: 'input',
      retryable: false,
      metricCode: 'TWILIO_INPUT_INVALID',
    });
    expect(classifyTwilioError(new Error('boom'))).toMatchObject({ kind: 'unknown', retryable: false });
  });
});

describe('a refused parent API key', () => {
  const KEY_SID = `SK${'5'.repeat(32)}`;
  const SUB_SID = `AC${'6'.repeat(32)}`;

  it('is an auth error that says what the parent credentials must be, keeping what Twilio said', () => {
    const refusal = apiErrorFromAnswer(
      {
        operation: 'key-list',
        accountSid: SUB_SID,
        status: 401,
        headers: {},
        body: twilioBody(401, 20003, 'Authenticate'),
      },
      policy,
      NOW,
    );
    const error = parentApiKeyRefusal(refusal, KEY_SID);
    expect(error).toBeInstanceOf(TwilioAuthError);
    expect(error).toMatchObject({
      code: 'TWILIO_AUTH_FAILED',
      kind: 'auth',
      retryable: false,
      status: 401,
      twilioCode: 20003,
      moreInfo: 'https://www.twilio.com/docs/api/errors/20003',
    });
    expect(error.message).toMatch(new RegExp(`^Twilio refused the parent credentials, API key ${KEY_SID}`));
    expect(error.message).toContain("must be the main account's auth token or a Main API key");
    expect(error.message).toContain('a Standard key cannot create, update or list subaccounts');
    expect(error.message).toContain('Twilio key-list failed with HTTP 401 (Twilio code 20003): Authenticate');
    expect(error.context).toMatchObject({ operation: 'key-list', accountSid: SUB_SID });
  });
});

describe('key SIDs on errors', () => {
  it('names the key of a key fetch or delete in the context', () => {
    const keySid = `SK${'7'.repeat(32)}`;
    const error = apiErrorFromAnswer(
      {
        operation: 'key-delete',
        accountSid: `AC${'8'.repeat(32)}`,
        keySid,
        status: 404,
        headers: {},
        body: twilioBody(404, 20404, 'The requested resource was not found'),
      },
      policy,
      NOW,
    );
    expect(error).toBeInstanceOf(TwilioNotFoundError);
    expect(error.context).toMatchObject({ operation: 'key-delete', keySid });
    expect(error.details).toMatchObject({ operation: 'key-delete', keySid, twilioCode: 20404 });
    expect(error.message).toBe(
      'Twilio key-delete failed with HTTP 404 (Twilio code 20404): The requested resource was not found',
    );
  });
});

describe('secrets', () => {
  it('keeps the Authorization header and token out of messages, JSON and inspection', () => {
    const token = 'f00dfacef00dfacef00dfacef00dface';
    const header = `Basic ${Buffer.from(`AC${'1'.repeat(32)}:${token}`).toString('base64')}`;
    const errors = [
      answer(401, twilioBody(401, 20003, 'Authenticate')),
      networkErrorFromThrown('fetch', socketError('ECONNRESET'), policy),
    ];
    for (const error of errors) {
      const rendered = [error.message, JSON.stringify(error), inspect(error, { depth: 10 })].join('\n');
      expect(rendered).not.toContain(token);
      expect(rendered).not.toContain(header);
    }
  });
});

describe('parseRetryAfterMs', () => {
  it.each([
    ['0', 0],
    ['1', 1000],
    [' 7 ', 7000],
    ['120', 120_000],
  ])('reads delay-seconds %j as %d ms', (value, expected) => {
    expect(parseRetryAfterMs(value, NOW)).toBe(expected);
  });

  it('reads an HTTP-date as the time left until it', () => {
    expect(parseRetryAfterMs('Sat, 01 Mar 2025 12:00:05 GMT', NOW)).toBe(5000);
  });

  it('treats an HTTP-date in the past as no wait', () => {
    expect(parseRetryAfterMs('Sat, 01 Mar 2025 11:59:00 GMT', NOW)).toBe(0);
  });

  it('takes the first of repeated headers', () => {
    expect(parseRetryAfterMs(['3', '9'], NOW)).toBe(3000);
  });

  it.each([undefined, '', '   ', '-1', '1.5', 'soon', '10s'])('ignores %j', (value) => {
    expect(parseRetryAfterMs(value, NOW)).toBeUndefined();
  });
});
