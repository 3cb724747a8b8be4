/**
 * Errors of the Twilio emulator. `TwilioApiError` is what a request handler throws; the server
 * renders it as Twilio's error body `{ code, message, more_info, status }`
 * (https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions), with
 * `more_info` = https://www.twilio.com/docs/api/errors/<code> as Twilio's error reference gives it.
 * Where Twilio's catalogue has a code for a refusal, that code and its title are answered; the
 * catalogue's titles are the messages. Messages never carry a token.
 */
import { ProvisionerError } from '../../shared/errors.ts';

export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

/** An emulator option or CLI flag is invalid; the message names it (never its value when secret). */
export class TwilioEmulatorConfigError extends ProvisionerError {
  readonly code = 'TWILIO_EMULATOR_CONFIG';
  constructor(option: string, reason: string) {
    super(`${option} ${reason}`, { retryable: false, context: { option } });
  }
}

/** Where every error body's `more_info` points: Twilio's page for the code. */
const MORE_INFO_BASE = 'https://www.twilio.com/docs/api/errors/';

export class TwilioApiError extends ProvisionerError {
  readonly code = 'TWILIO_EMULATOR_API_ERROR';
  constructor(
    readonly status: number,
    readonly twilioCode: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    // Mirrors how a Twilio client should judge it: throttling and server faults may pass.
    super(message, {
      retryable: status === 429 || status >= 500,
      context: { status, twilioCode },
    });
  }

  body(): TwilioErrorBody {
    return {
      code: this.twilioCode,
      message: this.message,
      more_info: `${MORE_INFO_BASE}${this.twilioCode}`,
      status: this.status,
    };
  }
}

/** 20404: unknown resource (https://www.twilio.com/docs/api/errors/20404). */
export const notFound = (path: string): TwilioApiError =>
  new TwilioApiError(404, 20404, `The requested resource ${path} was not found`);

/** 20003: missing or wrong credentials (https://www.twilio.com/docs/api/errors/20003). */
export const authenticationFailed = (): TwilioApiError =>
  new TwilioApiError(401, 20003, 'Authenticate', { 'WWW-Authenticate': 'Basic realm="Twilio API"' });

/** 20004: the path exists but not with this method. */
export const methodNotAllowed = (method: string): TwilioApiError =>
  new TwilioApiError(405, 20004, `Method not allowed: ${method}`);

/** 21100: an invalid request to the Accounts resource (https://www.twilio.com/docs/api/errors/21100). */
export const invalidAccountsRequest = (message: string): TwilioApiError =>
  new TwilioApiError(400, 21100, message);

/**
 * 21100 with 403: the credentials are valid but may not act on the target account. Twilio's 21100
 * page lists this case ("Subaccount credentials cannot access the main account or other
 * subaccounts"). It is answered alike whether or not the target exists, so a subaccount cannot
 * probe for its siblings' SIDs.
 */
export const accountAccessDenied = (message: string): TwilioApiError =>
  new TwilioApiError(403, 21100, message);

/**
 * 21101: a subaccount's credentials tried to create a subaccount; only a main account may
 * (https://www.twilio.com/docs/api/errors/21101). The catalogue gives no status; 403 like every
 * other "valid credentials, not allowed" refusal here.
 */
export const subaccountsCannotContainSubaccounts = (): TwilioApiError =>
  new TwilioApiError(403, 21101, 'Subaccounts cannot contain subaccounts');

/**
 * 21480: as many non-closed subaccounts as the limit allows already exist (Twilio's default is
 * 1,000 on a full account; closed ones don't count) (https://www.twilio.com/docs/api/errors/21480).
 */
export const subaccountLimitReached = (): TwilioApiError =>
  new TwilioApiError(400, 21480, 'Reached maximum number of subaccounts');

/** 21479: any status change of a closed subaccount (https://www.twilio.com/docs/api/errors/21479). */
export const subaccountClosed = (): TwilioApiError =>
  new TwilioApiError(400, 21479, 'Unable to update Status for subaccount, subaccount has been closed');

/**
 * 21478: Twilio itself suspended the subaccount (policy, fraud); only Twilio support can change
 * its status (https://www.twilio.com/docs/api/errors/21478).
 */
export const subaccountSuspendedByTwilio = (): TwilioApiError =>
  new TwilioApiError(
    400,
    21478,
    'Unable to update Status for subaccount, subaccount has been suspended by Twilio',
  );

/**
 * 21476: the main account is suspended, so no subaccount status can change until it is in good
 * standing (https://www.twilio.com/docs/api/errors/21476).
 */
export const parentAccountSuspended = (): TwilioApiError =>
  new TwilioApiError(400, 21476, 'Unable to update Status for subaccount, parent account is suspended');

/**
 * 10001: a request made with the credentials of a suspended account or subaccount, or of a
 * subaccount whose parent is suspended (https://www.twilio.com/docs/api/errors/10001). The
 * catalogue gives no status: 403, because the credentials are right but the account may not act
 * (a 401 would tell a client to re-read its credentials, which cannot help).
 */
export const accountNotActive = (): TwilioApiError => new TwilioApiError(403, 10001, 'Account is not active');

/** 413: the body is larger than any Accounts request can be. */
export const bodyTooLarge = (): TwilioApiError => new TwilioApiError(413, 21100, 'Request body too large');

/** 20429: throttled (https://www.twilio.com/docs/api/errors/20429). */
export const tooManyRequests = (retryAfterSeconds: number): TwilioApiError =>
  new TwilioApiError(429, 20429, 'Too Many Requests', { 'Retry-After': String(retryAfterSeconds) });

/** 20500 / 20503: Twilio-side failure. */
export const serverError = (status: 500 | 503): TwilioApiError =>
  status === 503
    ? new TwilioApiError(503, 20503, 'Service Unavailable')
    : new TwilioApiError(500, 20500, 'Internal Server Error');
